"""Errors on demand: what the fake answers instead of a result, as Telegram would."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answer of the Bot API (raised inside the fake, returned as JSON)."""

    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body

    def __repr__(self) -> str:
        return f"ApiError({self.code}, {self.description!r}, {self.parameters!r})"


class NetworkFailure(Exception):
    """A transport failure: the fake raises telegram.error.NetworkError (or TimedOut)."""

    def __init__(self, message: str = "connection reset", timed_out: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.timed_out = timed_out


def bad_request(description: str) -> ApiError:
    """400; the description gets Telegram's "Bad Request: " prefix if missing."""
    if not description.startswith("Bad Request"):
        description = f"Bad Request: {description}"
    return ApiError(400, description)


def forbidden(description: str = "Forbidden: bot was kicked from the group chat") -> ApiError:
    """403, e.g. the bot was removed or blocked; PTB raises telegram.error.Forbidden."""
    if not description.startswith("Forbidden"):
        description = f"Forbidden: {description}"
    return ApiError(403, description)


def retry_after(seconds: int) -> ApiError:
    """429 flood control; PTB raises telegram.error.RetryAfter."""
    return ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


def migrated(new_chat_id: int) -> ApiError:
    """400 with migrate_to_chat_id; PTB raises telegram.error.ChatMigrated."""
    return ApiError(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": new_chat_id},
    )


def network_error(message: str = "connection reset") -> NetworkFailure:
    """The request never got an answer; PTB raises telegram.error.NetworkError."""
    return NetworkFailure(message)


def timed_out() -> NetworkFailure:
    """The request timed out; PTB raises telegram.error.TimedOut (a NetworkError)."""
    return NetworkFailure("Timed out", timed_out=True)
