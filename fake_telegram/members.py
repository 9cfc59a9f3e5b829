"""Chat members as Telegram describes them: statuses, an admin's rights, ChatMember JSON."""

from __future__ import annotations

from typing import Any

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
