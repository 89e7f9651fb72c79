-- Version 2: one spaced-repetition card per learner and question. The card remembers the content
-- hash of the question it was learned on; when the question changes, the card is reset and
-- changed_at says when. Cards for answers already given are rebuilt by replaying them (Go step).

CREATE TABLE review_cards (
    learner_id     INTEGER NOT NULL REFERENCES learners(id),
    question_id    TEXT    NOT NULL,
    content_hash   TEXT    NOT NULL DEFAULT '',
    scheduler      TEXT    NOT NULL,
    state          INTEGER NOT NULL DEFAULT 0,
    due_at         INTEGER NOT NULL,
    last_review_at INTEGER,
    reps           INTEGER NOT NULL DEFAULT 0,
    lapses         INTEGER NOT NULL DEFAULT 0,
    stability      REAL    NOT NULL DEFAULT 0,
    difficulty     REAL    NOT NULL DEFAULT 0,
    ease           REAL    NOT NULL DEFAULT 0,
    interval_days  REAL    NOT NULL DEFAULT 0,
    streak         INTEGER NOT NULL DEFAULT 0,
    changed_at     INTEGER,          -- when a content change reset this card
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (learner_id, question_id)
) WITHOUT ROWID;
CREATE INDEX review_cards_by_due ON review_cards(learner_id, due_at);
