-- The set's quiet time (/quiet, /daysoff): no mentions or reminders then in sessions across
-- days, and their steps end after it. quiet_hours: local 'HH:MM-HH:MM' (crossing midnight when
-- the end is earlier); days_off: 'fri' or 'sat,sun', Monday first. NULL: none.
ALTER TABLE sets ADD COLUMN quiet_hours TEXT;
ALTER TABLE sets ADD COLUMN days_off TEXT;
