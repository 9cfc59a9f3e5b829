-- Durable input: every update fetched from Telegram is journalled here before its offset is
-- acknowledged, then handled; 'set_aside' keeps an update that could not be parsed or handled.
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    body        TEXT    NOT NULL,                   -- the update's JSON as Telegram sent it
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'done', 'set_aside')),
    error       TEXT,
    received_at TEXT    NOT NULL
);
CREATE INDEX inbox_pending ON inbox(update_id) WHERE status = 'pending';

-- Durable output: every message that carries a session or a follow-up is written here in the
-- transaction that decided it, then sent; message_id is Telegram's, once sent.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    chat_id      INTEGER NOT NULL,
    thread_id    INTEGER,
    op           TEXT    NOT NULL CHECK (op IN ('send', 'edit', 'react', 'clear_buttons')),
    text         TEXT,                              -- Telegram HTML (send, edit)
    markup       TEXT,                              -- inline keyboard JSON, if any
    target_id    INTEGER,                           -- the message an edit, reaction or clear is on
    fallback     TEXT,                              -- HTML sent instead where an edit or reaction is refused
    purpose      TEXT,                              -- what the message is for: holder_prompt, follow_up, ...
    ref          INTEGER,                           -- e.g. the action a follow-up question asks about
    session_id   INTEGER,
    scheduled_id INTEGER,                           -- the timed row that decided it, if any
    status       TEXT    NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sent', 'failed')),
    message_id   INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    created_at   TEXT    NOT NULL,
    sent_at      TEXT
);
CREATE INDEX outbox_pending ON outbox(chat_id, id) WHERE status = 'pending';
CREATE INDEX outbox_by_scheduled ON outbox(scheduled_id) WHERE scheduled_id IS NOT NULL;
