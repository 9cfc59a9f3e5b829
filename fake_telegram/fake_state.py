"""Records and error values shared by the fake Bot API and the user kit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BOT_ID = 777000111
BOT_FIRST_NAME = "Facilitator Bot"
BOT_USERNAME = "ActionLearningBot"

STATUSES = ("creator", "administrator", "member", "left", "kicked")
PRESENT_STATUSES = ("creator", "administrator", "member")

# Every right of ChatMemberAdministrator; PTB 22.8 requires the non-optional ones in its JSON.
ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": True,
    "can_edit_stories": True,
    "can_delete_stories": True,
    "can_pin_messages": True,
    "can_manage_topics": True,
}


def bot_user_json(privacy: bool = True) -> dict[str, Any]:
    """The bot as getMe returns it."""
    return {
        "id": BOT_ID,
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": not privacy,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def bot_user_ref() -> dict[str, Any]:
    """The bot as it appears in `from` of its messages."""
    return {"id": BOT_ID, "is_bot": True, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME}


def chat_member_json(user: dict, status: str, rights: dict | None = None) -> dict[str, Any]:
    """A ChatMember JSON object for a status, with the fields PTB requires."""
    if status == "creator":
        return {"status": status, "user": user, "is_anonymous": False}
    if status == "administrator":
        return {"status": status, "user": user, **ADMIN_RIGHTS, **(rights or {})}
    if status == "kicked":
        return {"status": status, "user": user, "until_date": 0}
    if status in ("member", "left"):
        return {"status": status, "user": user}
    raise ValueError(f"unsupported chat member status {status!r}; use one of {STATUSES}")


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


@dataclass
class Call:
    """One request the bot made, with decoded parameters and what the fake answered."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)
    result: Any = None
    error: ApiError | NetworkFailure | None = None

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.error is None


@dataclass
class SentMessage:
    """A message the bot sent, as it currently stands in the chat."""

    message_id: int
    chat_id: int
    text: str | None  # visible text (entities parsed, trimmed); the caption for documents
    reply_markup: dict | None = None
    thread_id: int | None = None
    deleted: bool = False
    edits: int = 0
    source: str | None = None  # the text as sent (e.g. the HTML), before entity parsing
    parse_mode: str | None = None
    entities: list[dict] = field(default_factory=list)
    date: int = 0
    edit_date: int | None = None
    reply_to: int | None = None
    document: Document | None = None

    def buttons(self) -> list[dict]:
        """The inline keyboard buttons, row by row, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, label_or_data: str) -> dict:
        """The button whose text or callback_data matches; LookupError lists the others."""
        for button in self.buttons():
            if label_or_data in (button.get("text"), button.get("callback_data")):
                return button
        labels = [(b.get("text"), b.get("callback_data")) for b in self.buttons()]
        raise LookupError(f"no button {label_or_data!r} on message {self.message_id}: {labels}")


@dataclass
class Document:
    """A file the bot sent."""

    filename: str
    content: bytes
    mime_type: str
    caption: str | None
    message_id: int
    file_id: str
