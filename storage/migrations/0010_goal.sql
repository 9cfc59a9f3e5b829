-- The set's routine goal (/goal): how many meetings per week or per month it commits to.
-- NULL: no goal. Meetings held are sessions closed in the period (README, Decisions).
ALTER TABLE sets ADD COLUMN goal_count INTEGER;
ALTER TABLE sets ADD COLUMN goal_unit TEXT;
CREATE INDEX sessions_closed ON sessions(chat_id, closed_at) WHERE closed_at IS NOT NULL;
