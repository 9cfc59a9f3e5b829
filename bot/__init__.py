"""The Telegram side of the bot: settings, the PTB application, handlers, rendering, I/O."""

import os

# PTB 22 gives time spans (RetryAfter.retry_after, durations) as datetime.timedelta when this is
# set, as its next major version will always do; without it, every read of one warns.
os.environ.setdefault("PTB_TIMEDELTA", "1")
