-- "How did we do?": each member's score of a closed session, 1 to 10 (a second tap changes it).
CREATE TABLE scores (
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    scored_at   TEXT    NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
