"""`make demo`: a whole action learning session and its follow-up, printed as a chat transcript.

The real application runs in-process on the fake Telegram Bot API (`fake_telegram/`), with a
clock the script moves by hand: no token, no network, no waiting.
"""
