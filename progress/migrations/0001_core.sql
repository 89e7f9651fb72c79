-- Version 1: learners and what they did — lesson reads and completions, quiz runs and answers,
-- exercise attempts. Times are Unix milliseconds; points are integer hundredths of a point.
-- Event rows carry a uid, random and global, so export/import can merge without duplicates.

CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
);

CREATE TABLE learners (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE lesson_reads (
    id           INTEGER PRIMARY KEY,
    uid          TEXT    NOT NULL UNIQUE,
    learner_id   INTEGER NOT NULL REFERENCES learners(id),
    lesson_id    TEXT    NOT NULL,
    content_hash TEXT    NOT NULL DEFAULT '',
    read_at      INTEGER NOT NULL
);
CREATE INDEX lesson_reads_by_learner ON lesson_reads(learner_id, lesson_id, read_at);

CREATE TABLE lesson_completions (
    learner_id   INTEGER NOT NULL REFERENCES learners(id),
    lesson_id    TEXT    NOT NULL,
    content_hash TEXT    NOT NULL DEFAULT '',
    completed_at INTEGER NOT NULL,
    PRIMARY KEY (learner_id, lesson_id)
);

CREATE TABLE quiz_runs (
    id           INTEGER PRIMARY KEY,
    uid          TEXT    NOT NULL UNIQUE,
    learner_id   INTEGER NOT NULL REFERENCES learners(id),
    quiz_id      TEXT    NOT NULL,
    content_hash TEXT    NOT NULL DEFAULT '',
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,           -- NULL while running, or if abandoned
    score        INTEGER,           -- hundredths; NULL until finished
    max_score    INTEGER
);
CREATE INDEX quiz_runs_by_learner ON quiz_runs(learner_id, quiz_id, finished_at);

CREATE TABLE quiz_answers (
    id           INTEGER PRIMARY KEY,
    uid          TEXT    NOT NULL UNIQUE,
    learner_id   INTEGER NOT NULL REFERENCES learners(id),
    run_id       INTEGER REFERENCES quiz_runs(id) ON DELETE SET NULL,
    question_id  TEXT    NOT NULL,
    content_hash TEXT    NOT NULL DEFAULT '',
    answer       TEXT    NOT NULL,  -- the answer given, as the quiz encodes it
    correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
    points       INTEGER NOT NULL DEFAULT 0,
    max_points   INTEGER NOT NULL DEFAULT 0,
    hints_used   INTEGER NOT NULL DEFAULT 0,
    took_ms      INTEGER NOT NULL DEFAULT 0,
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    answered_at  INTEGER NOT NULL
);
CREATE INDEX quiz_answers_by_learner ON quiz_answers(learner_id, question_id, answered_at);
CREATE INDEX quiz_answers_by_run ON quiz_answers(run_id);

CREATE TABLE exercise_attempts (
    id           INTEGER PRIMARY KEY,
    uid          TEXT    NOT NULL UNIQUE,
    learner_id   INTEGER NOT NULL REFERENCES learners(id),
    exercise_id  TEXT    NOT NULL,
    content_hash TEXT    NOT NULL DEFAULT '',
    dockerfile   TEXT    NOT NULL,
    passed       INTEGER NOT NULL CHECK (passed IN (0, 1)),
    gradable     INTEGER NOT NULL DEFAULT 1 CHECK (gradable IN (0, 1)),
    score        INTEGER NOT NULL,
    max_score    INTEGER NOT NULL,
    image_size   INTEGER,           -- bytes unpacked; NULL when no image was built
    report       TEXT    NOT NULL DEFAULT '{}',  -- stagecraft.check/v1 JSON
    duration_ms  INTEGER NOT NULL DEFAULT 0,
    attempted_at INTEGER NOT NULL
);
CREATE INDEX exercise_attempts_by_learner ON exercise_attempts(learner_id, exercise_id, attempted_at);
