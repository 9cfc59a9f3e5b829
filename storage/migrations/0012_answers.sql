-- The topic holder's answer to a question (a reply to the question's message, or to a digest
-- with its number) names the question's contribution; the link stays when words are erased.
ALTER TABLE contributions ADD COLUMN answers_id INTEGER REFERENCES contributions(id);

-- Each message of an async step's digest, once Telegram took it: a reply to it names one of
-- that step's questions by its number (outbox rows are dropped after two days; a session across
-- days outlives them).
CREATE TABLE digest_messages (
    session_id  INTEGER NOT NULL REFERENCES sessions(id),
    message_id  INTEGER NOT NULL,
    step_index  INTEGER NOT NULL,
    PRIMARY KEY (session_id, message_id)
);
