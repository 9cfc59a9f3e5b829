"""Telegram handlers, thin: parse the update, ask flows, persist, then send."""
