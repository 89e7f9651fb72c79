-- Version 4: a grading run records whether it is running, complete or interrupted, and how many
-- submissions it set out to grade, so that a run stopped part way is never shown as a whole one.
-- pid and host name the process grading a running run: a run whose process is gone was killed
-- before it could say so, and is read as interrupted.

ALTER TABLE grading_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'complete'
    CHECK (status IN ('running', 'complete', 'interrupted'));
ALTER TABLE grading_runs ADD COLUMN submissions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE grading_runs ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE grading_runs ADD COLUMN host TEXT NOT NULL DEFAULT '';

-- Before this version only a run that was stopped part way has no finish time.
UPDATE grading_runs SET status = 'interrupted' WHERE finished_at IS NULL;
