"""`python -m bot`: check the settings, then poll Telegram until stopped."""

from __future__ import annotations

import logging
import sys

from telegram import Update

from bot.app import build_application
from bot.config import ConfigError, load_settings
from flows.exercises import ExerciseError


def main() -> int:
    """Run the bot; exit 2 with one clear line when the configuration is wrong."""
    try:
        settings = load_settings()
        application = build_application(settings)
    except (ConfigError, ExerciseError) as problem:
        print(f"Configuration error: {problem}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every poll at INFO; keep the log about the bot.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
