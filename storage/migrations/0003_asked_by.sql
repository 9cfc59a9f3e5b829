-- Which meeting-time follow-up row last asked an action: a retried meeting asks each once.
ALTER TABLE actions ADD COLUMN asked_by INTEGER;
