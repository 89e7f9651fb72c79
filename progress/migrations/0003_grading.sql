-- Version 3: the classroom checker. A grading run grades many submissions of one exercise; each
-- student has one result per run (a re-grade in the same run replaces it).

CREATE TABLE grading_runs (
    id           INTEGER PRIMARY KEY,
    uid          TEXT    NOT NULL UNIQUE,
    exercise_id  TEXT    NOT NULL,
    content_hash TEXT    NOT NULL DEFAULT '',
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    options      TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX grading_runs_by_exercise ON grading_runs(exercise_id, started_at);

CREATE TABLE grading_results (
    id              INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL REFERENCES grading_runs(id) ON DELETE CASCADE,
    student_id      TEXT    NOT NULL,
    score           INTEGER NOT NULL,
    max_score       INTEGER NOT NULL,
    passed          INTEGER NOT NULL CHECK (passed IN (0, 1)),
    gradable        INTEGER NOT NULL CHECK (gradable IN (0, 1)),
    report          TEXT    NOT NULL DEFAULT '{}',
    dockerfile_hash TEXT    NOT NULL DEFAULT '',
    graded_at       INTEGER NOT NULL,
    UNIQUE (run_id, student_id)
);
