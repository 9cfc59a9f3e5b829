-- A MEAL staff member's monthly digest sends its picture and CSV through the outbox, as a row of
-- op 'digest_files' stored with the digest's lines, so a crash cannot lose the files. SQLite
-- cannot change a CHECK in place: the outbox is rebuilt with the new op allowed.
CREATE TABLE outbox_rebuilt (
    id           INTEGER PRIMARY KEY,
    chat_id      INTEGER NOT NULL,
    thread_id    INTEGER,
    op           TEXT    NOT NULL
                 CHECK (op IN ('send', 'edit', 'react', 'clear_buttons', 'digest_files')),
    text         TEXT,                              -- Telegram HTML (send, edit); the period (digest_files)
    markup       TEXT,
    target_id    INTEGER,
    fallback     TEXT,
    purpose      TEXT,
    ref          INTEGER,
    session_id   INTEGER,
    scheduled_id INTEGER,
    status       TEXT    NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sent', 'failed')),
    message_id   INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    created_at   TEXT    NOT NULL,
    sent_at      TEXT
);
INSERT INTO outbox_rebuilt SELECT id, chat_id, thread_id, op, text, markup, target_id, fallback,
    purpose, ref, session_id, scheduled_id, status, message_id, attempts, error, created_at,
    sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox(chat_id, id) WHERE status = 'pending';
CREATE INDEX outbox_by_scheduled ON outbox(scheduled_id) WHERE scheduled_id IS NOT NULL;
CREATE INDEX outbox_holder_prompt ON outbox(session_id) WHERE purpose = 'holder_prompt';
