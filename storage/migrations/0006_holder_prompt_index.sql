-- A session's "who brings a topic?" message is found by its outbox row when the holder is
-- chosen and its button is taken off (the session state no longer keeps its message id).
CREATE INDEX outbox_holder_prompt ON outbox(session_id) WHERE purpose = 'holder_prompt';
