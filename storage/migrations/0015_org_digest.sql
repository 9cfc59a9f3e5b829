-- The organisation digest (/digest monthly): a MEAL staff member's monthly digest is a
-- `scheduled` row of kind 'org_digest' in their private chat, which is not a set. So `scheduled`
-- is rebuilt without its foreign key on sets (a set's rows now follow a supergroup migration by
-- hand, as contributions and the outbox do: storage/sets.py), and the digest's settings live in
-- org_digests: the staff member's zone (the month's bounds, 09:00 on the 1st) and language.
CREATE TABLE org_digests (
    chat_id     INTEGER PRIMARY KEY,               -- the staff member's private chat (user id)
    timezone    TEXT    NOT NULL,
    language    TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);

CREATE TABLE scheduled_rebuilt (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,                  -- a set's chat, or a staff member's (org_digest)
    thread_id   INTEGER,
    kind        TEXT    NOT NULL,                  -- step_warning, step_end, reminder, follow_up, org_digest
    session_id  INTEGER REFERENCES sessions(id),
    ref         INTEGER,
    due_at      TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'cancelled', 'missed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
INSERT INTO scheduled_rebuilt SELECT id, chat_id, thread_id, kind, session_id, ref, due_at, status,
    attempts, created_at, updated_at FROM scheduled;
DROP TABLE scheduled;
ALTER TABLE scheduled_rebuilt RENAME TO scheduled;
CREATE INDEX scheduled_pending ON scheduled(status, due_at);
CREATE INDEX scheduled_by_chat ON scheduled(chat_id, status);
CREATE INDEX scheduled_pending_by_session ON scheduled(session_id) WHERE status = 'pending';
