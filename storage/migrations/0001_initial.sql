-- Times are UTC text 'YYYY-MM-DD HH:MM:SS' (SQLite's own format); chat ids are Telegram's.

CREATE TABLE sets (
    chat_id          INTEGER PRIMARY KEY,
    thread_id        INTEGER,                       -- forum topic the set meets in, if any
    title            TEXT    NOT NULL DEFAULT '',
    language         TEXT,                          -- chosen with /language; NULL = not chosen
    language_hint    TEXT,                          -- Telegram language of whoever started the set
    timezone         TEXT,                          -- NULL = DEFAULT_TIMEZONE
    default_exercise TEXT    NOT NULL DEFAULT 'classic',
    reminder_minutes INTEGER DEFAULT 1440,          -- NULL = reminders off
    auto_advance     INTEGER NOT NULL DEFAULT 0,
    export_policy    TEXT    NOT NULL DEFAULT 'facilitators',
    meeting_rule     TEXT,                          -- JSON of flows.schedule.MeetingRule
    next_meeting_at  TEXT,
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE TABLE members (
    chat_id       INTEGER NOT NULL REFERENCES sets(chat_id) ON UPDATE CASCADE,
    user_id       INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    username      TEXT,
    language_code TEXT,
    role          TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'facilitator')),
    active        INTEGER NOT NULL DEFAULT 1,       -- 0 after /leave
    joined_at     TEXT    NOT NULL,
    PRIMARY KEY (chat_id, user_id)
);

CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL REFERENCES sets(chat_id) ON UPDATE CASCADE,
    thread_id       INTEGER,
    exercise        TEXT    NOT NULL,
    phase           TEXT    NOT NULL,               -- flows.session.Phase
    step_index      INTEGER NOT NULL DEFAULT 0,
    topic_holder_id INTEGER,
    topic           TEXT,
    reframe         TEXT,
    state           TEXT    NOT NULL DEFAULT '{}',  -- the rest of flows.session.SessionState, JSON
    started_by      INTEGER,
    started_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    closed_at       TEXT
);
CREATE UNIQUE INDEX one_open_session_per_chat ON sessions(chat_id) WHERE closed_at IS NULL;

CREATE TABLE contributions (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    session_id  INTEGER NOT NULL REFERENCES sessions(id),
    step_index  INTEGER NOT NULL,
    user_id     INTEGER,                            -- NULL after /forget
    kind        TEXT    NOT NULL,                   -- topic, question, answer, reframe, idea, ...
    text        TEXT    NOT NULL,
    flagged     TEXT,                               -- flows.guard.GuardReason when nudged
    created_at  TEXT    NOT NULL,
    edited_at   TEXT,
    UNIQUE (chat_id, message_id)
);
CREATE INDEX contributions_by_session ON contributions(session_id, step_index);

CREATE TABLE actions (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL REFERENCES sets(chat_id) ON UPDATE CASCADE,
    session_id      INTEGER REFERENCES sessions(id),
    holder_id       INTEGER,                        -- NULL after /forget
    holder_name     TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    success_sign    TEXT,
    help_needed     TEXT,
    due_at          TEXT,
    status          TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    outcome         TEXT,                           -- done, partly, not_yet, dropped
    learning        TEXT,
    previous_id     INTEGER REFERENCES actions(id),
    created_at      TEXT    NOT NULL,
    closed_at       TEXT
);
CREATE INDEX actions_open ON actions(chat_id, status);
CREATE INDEX actions_by_holder ON actions(holder_id, status);

CREATE TABLE scheduled (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES sets(chat_id) ON UPDATE CASCADE,
    thread_id   INTEGER,
    kind        TEXT    NOT NULL,                   -- step_warning, step_end, reminder, follow_up
    session_id  INTEGER REFERENCES sessions(id),
    ref         INTEGER,                            -- e.g. the step index a timer belongs to
    due_at      TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'cancelled', 'missed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX scheduled_pending ON scheduled(status, due_at);
CREATE INDEX scheduled_by_chat ON scheduled(chat_id, status);
