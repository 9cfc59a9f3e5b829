"""`make demo`: a whole action learning session and its follow-up, printed as a chat transcript.

The real application runs in-process on the test kit's fake Telegram Bot API, with a clock the
script moves by hand: no token, no network, no waiting.
"""
