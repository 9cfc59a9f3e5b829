-- Retention: how long a set keeps members' words (NULL = RETENTION_MONTHS, 0 = off), and what
-- the set was told: the latest notice covers words that ended before retention_told_until,
-- stored at retention_told_at; words that ended before retention_erasable_until were told
-- at least a week ago. An erased session or action keeps its row (counts, outcome, dates).
ALTER TABLE sets ADD COLUMN retention_months INTEGER;
ALTER TABLE sets ADD COLUMN retention_told_until TEXT;
ALTER TABLE sets ADD COLUMN retention_told_at TEXT;
ALTER TABLE sets ADD COLUMN retention_erasable_until TEXT;
ALTER TABLE sessions ADD COLUMN words_erased_at TEXT;
ALTER TABLE actions ADD COLUMN words_erased_at TEXT;
-- The daily sweep finds a set's oldest words still kept without reading the rest.
CREATE INDEX sessions_words_kept ON sessions(chat_id, closed_at)
    WHERE words_erased_at IS NULL AND closed_at IS NOT NULL;
CREATE INDEX actions_words_kept ON actions(chat_id, closed_at)
    WHERE words_erased_at IS NULL AND status = 'closed';
-- When each daily housekeeping job last ran to the end (a restart runs a missed day's at once).
CREATE TABLE sweeps (
    name        TEXT PRIMARY KEY,
    last_run_at TEXT NOT NULL
);
