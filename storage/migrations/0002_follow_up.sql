-- The follow-up of an action is a small conversation; its stage and message live on the action.
ALTER TABLE actions ADD COLUMN stage TEXT NOT NULL DEFAULT 'not_asked';
ALTER TABLE actions ADD COLUMN follow_up_message_id INTEGER;
CREATE INDEX actions_follow_up_message ON actions(chat_id, follow_up_message_id);
