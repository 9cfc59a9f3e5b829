-- Lookups that scanned a growing table: a step change cancelling its session's pending
-- timers, a chat's past sessions (the re-delivery check, the learning log, a supergroup
-- migration's cascade) and a session's actions in the log.
CREATE INDEX scheduled_pending_by_session ON scheduled(session_id) WHERE status = 'pending';
CREATE INDEX sessions_by_chat ON sessions(chat_id);
CREATE INDEX actions_by_session ON actions(session_id);
