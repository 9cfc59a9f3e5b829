-- A voice note is a contribution: its length, and Telegram's file id (nothing is downloaded).
ALTER TABLE contributions ADD COLUMN voice_seconds INTEGER;
ALTER TABLE contributions ADD COLUMN voice_file_id TEXT;
