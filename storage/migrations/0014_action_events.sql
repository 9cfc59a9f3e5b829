-- Exports for monitoring and evaluation (README, Decisions: "/export's ids and action changes").
-- A set's id in exports: random, so a file names no Telegram chat, and kept when the group
-- becomes a supergroup (its chat_id changes, this row stays). New sets get one on insert.
ALTER TABLE sets ADD COLUMN export_id TEXT;
UPDATE sets SET export_id = lower(hex(randomblob(8)));
CREATE UNIQUE INDEX sets_export_id ON sets(export_id);
CREATE TRIGGER sets_export_id AFTER INSERT ON sets WHEN NEW.export_id IS NULL
BEGIN
    UPDATE sets SET export_id = lower(hex(randomblob(8))) WHERE chat_id = NEW.chat_id;
END;

-- Every change of an action's status, appended in the transaction that makes it; never updated.
-- No words: /forget and retention leave it as it is.
CREATE TABLE action_events (
    id               INTEGER PRIMARY KEY,
    action_id        INTEGER NOT NULL REFERENCES actions(id),
    change           TEXT    NOT NULL CHECK (change IN
                     ('committed', 'asked', 'answered', 'carried_on', 'changed', 'closed')),
    outcome          TEXT,                          -- answered: the answer; settled: its outcome
    linked_action_id INTEGER REFERENCES actions(id), -- committed: the previous; settled: the next
    at               TEXT                           -- NULL: back-filled, the moment was not kept
);
CREATE INDEX action_events_by_action ON action_events(action_id);

-- The history the rows already hold, in the order it happened. Committed and settled come with
-- their moments (created_at, closed_at); asked only where its moment is still known (the
-- question in the outbox, kept two days, else the meeting's timer row that asked it); answered
-- without one (never stored). Carried on or changed: the next action has the same words or
-- other words, as /report tells them apart.
WITH
    asked_out AS (SELECT ref AS action_id, created_at AS at FROM outbox
                  WHERE purpose = 'follow_up' AND op = 'send' AND ref IS NOT NULL),
    last_out AS (SELECT action_id, max(at) AS at FROM asked_out GROUP BY action_id),
    next_of AS (SELECT previous_id AS action_id, min(id) AS next_id FROM actions
                WHERE previous_id IS NOT NULL GROUP BY previous_id)
INSERT INTO action_events (action_id, change, outcome, linked_action_id, at)
SELECT action_id, change, outcome, linked, at FROM (
    SELECT id AS action_id, 'committed' AS change, NULL AS outcome, previous_id AS linked,
           created_at AS at, created_at AS sort_at, 0 AS rank
    FROM actions
    UNION ALL
    SELECT q.action_id, 'asked', NULL, NULL, q.at, q.at, 1
    FROM asked_out q JOIN actions a ON a.id = q.action_id
    UNION ALL
    SELECT a.id, 'asked', NULL, NULL, s.updated_at, s.updated_at, 1
    FROM actions a JOIN scheduled s ON s.id = a.asked_by AND s.status = 'sent'
    LEFT JOIN last_out l ON l.action_id = a.id
    WHERE l.action_id IS NULL
    UNION ALL
    SELECT a.id, 'answered', a.outcome, NULL, NULL,
           coalesce(a.closed_at, l.at, s.updated_at, a.created_at), 2
    FROM actions a LEFT JOIN last_out l ON l.action_id = a.id
    LEFT JOIN scheduled s ON s.id = a.asked_by
    WHERE a.outcome IS NOT NULL
    UNION ALL
    SELECT a.id,
           CASE WHEN n.id IS NULL THEN 'closed' WHEN n.text = a.text THEN 'carried_on'
                ELSE 'changed' END,
           a.outcome, n.id, a.closed_at, a.closed_at, 3
    FROM actions a LEFT JOIN next_of x ON x.action_id = a.id LEFT JOIN actions n ON n.id = x.next_id
    WHERE a.status = 'closed'
)
ORDER BY sort_at, action_id, rank;
