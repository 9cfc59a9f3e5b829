"""Bot API methods that send, edit, delete and annotate messages (mixed into FakeTelegram)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fake_telegram.errors import ApiError, bad_request
from fake_telegram.identity import BOT_ID, bot_user_ref
from fake_telegram.records import Document, SentMessage
from fake_telegram.telegram_html import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    EntityParseError,
    format_text,
    utf16_len,
)

if TYPE_CHECKING:
    from fake_telegram.transport import FakeTelegram

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
}  # fmt: skip
CALLBACK_GONE = "query is too old and response timeout expired or query ID is invalid"


class MessageMethods:
    """sendMessage, editMessage*, deleteMessage, sendDocument, sendPhoto, callbacks, pins,
    reactions."""

    def api_sendMessage(self: FakeTelegram, params: dict, files: dict) -> dict:
        chat = self._chat(params)
        text, entities = self._formatted(params, "text", TEXT_LIMIT, "message is too long")
        if not text:
            raise bad_request("message text is empty")
        sent = self._new_message(chat, params)
        sent.raw_text, sent.entities = text, entities
        sent.source, sent.parse_mode = params["text"], params.get("parse_mode")
        return self.message_json(sent)

    def api_sendDocument(self: FakeTelegram, params: dict, files: dict) -> dict:
        chat = self._chat(params)
        caption, entities = self._formatted(
            params, "caption", CAPTION_LIMIT, "message caption is too long"
        )
        filename, content, mime_type = self._upload(params, files)
        sent = self._new_message(chat, params)
        sent.raw_text, sent.entities = caption or None, entities
        sent.source, sent.parse_mode = params.get("caption"), params.get("parse_mode")
        file_id = f"doc-{sent.chat_id}-{sent.message_id}"
        sent.document = Document(
            filename, content, mime_type, sent.raw_text, sent.message_id, file_id
        )
        self._documents.setdefault(chat["id"], []).append(sent.document)
        return self.message_json(sent)

    def api_sendPhoto(self: FakeTelegram, params: dict, files: dict) -> dict:
        chat = self._chat(params)
        caption, entities = self._formatted(
            params, "caption", CAPTION_LIMIT, "message caption is too long"
        )
        if "photo" not in files:
            raise bad_request("there is no photo in the request")
        filename, content, mime_type = files["photo"]
        sent = self._new_message(chat, params)
        sent.raw_text, sent.entities = caption or None, entities
        sent.source, sent.parse_mode = params.get("caption"), params.get("parse_mode")
        file_id = f"photo-{sent.chat_id}-{sent.message_id}"
        sent.photo = Document(filename, content, mime_type, sent.raw_text, sent.message_id, file_id)
        self._photos.setdefault(chat["id"], []).append(sent.photo)
        return self.message_json(sent)

    def api_editMessageText(self: FakeTelegram, params: dict, files: dict) -> dict:
        sent = self._editable(params, "message to edit not found")
        if sent.document is not None:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._formatted(params, "text", TEXT_LIMIT, "message is too long")
        if not text:
            raise bad_request("message text is empty")
        # Replace semantics: an edit without reply_markup removes the keyboard.
        markup = self._markup(params)
        if (text, entities, markup) == (sent.raw_text, sent.entities, sent.reply_markup):
            raise bad_request(NOT_MODIFIED)
        sent.raw_text, sent.entities, sent.reply_markup = text, entities, markup
        sent.source, sent.parse_mode = params["text"], params.get("parse_mode")
        return self._edited(sent)

    def api_editMessageReplyMarkup(self: FakeTelegram, params: dict, files: dict) -> dict:
        sent = self._editable(params, "message to edit not found")
        markup = self._markup(params)
        if markup == sent.reply_markup:
            raise bad_request(NOT_MODIFIED)
        sent.reply_markup = markup
        return self._edited(sent)

    def api_deleteMessage(self: FakeTelegram, params: dict, files: dict) -> bool:
        chat = self._chat(params)
        message_id = params.get("message_id")
        sent = self._bot_messages.get(chat["id"], {}).get(message_id)
        if sent is not None and not sent.deleted:
            sent.deleted = True
            return True
        if self.user_message(chat["id"], message_id) is None:
            raise bad_request("message to delete not found")
        if chat["type"] != "private" and not self._bot_has_right(chat, "can_delete_messages"):
            raise bad_request("message can't be deleted")
        del self._user_messages[chat["id"]][message_id]
        return True

    def api_answerCallbackQuery(self: FakeTelegram, params: dict, files: dict) -> bool:
        query_id = params.get("callback_query_id")
        if query_id not in self._callbacks or self._callbacks[query_id] is not None:
            raise bad_request(CALLBACK_GONE)
        if len(params.get("text", "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._callbacks[query_id] = {k: v for k, v in params.items() if k != "callback_query_id"}
        return True

    def api_sendChatAction(self: FakeTelegram, params: dict, files: dict) -> bool:
        self._chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def api_pinChatMessage(self: FakeTelegram, params: dict, files: dict) -> bool:
        chat = self._chat(params)
        self._check_pin_rights(chat)
        message_id = params.get("message_id")
        if not self._exists(chat["id"], message_id):
            raise bad_request("message to pin not found")
        pinned = self._pinned.setdefault(chat["id"], [])
        if message_id not in pinned:
            pinned.append(message_id)
        return True

    def api_unpinChatMessage(self: FakeTelegram, params: dict, files: dict) -> bool:
        chat = self._chat(params)
        self._check_pin_rights(chat)
        pinned = self._pinned.get(chat["id"], [])
        message_id = params.get("message_id", pinned[-1] if pinned else None)
        if message_id in pinned:
            pinned.remove(message_id)
        return True

    def api_setMessageReaction(self: FakeTelegram, params: dict, files: dict) -> bool:
        chat = self._chat(params)
        message_id = params.get("message_id")
        if not self._exists(chat["id"], message_id):
            raise bad_request("message to react not found")
        self._reactions[(chat["id"], message_id)] = list(params.get("reaction", []))
        return True

    # --- rendering -----------------------------------------------------------------------------

    def message_json(self: FakeTelegram, sent: SentMessage) -> dict:
        """The Message JSON Telegram would return (or put in a callback query) for a bot message."""
        chat = self.chat_json(sent.chat_id)
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": sent.date,
            "chat": chat,
            "from": bot_user_ref(),
        }
        if sent.thread_id is not None:
            message["message_thread_id"] = sent.thread_id
            if chat.get("is_forum"):
                message["is_topic_message"] = True
        if sent.document is not None or sent.photo is not None:
            if sent.document is not None:
                message["document"] = _document_json(sent.document)
            else:
                message["photo"] = [_photo_json(sent.photo)]
            if sent.raw_text:
                message["caption"] = sent.raw_text
                message["caption_entities"] = sent.entities
        else:
            message["text"] = sent.raw_text
            if sent.entities:
                message["entities"] = sent.entities
        if sent.reply_markup:
            message["reply_markup"] = sent.reply_markup
        if sent.edit_date is not None:
            message["edit_date"] = sent.edit_date
        replied = self.user_message(sent.chat_id, sent.reply_to) if sent.reply_to else None
        if replied is not None:  # Telegram nests the message replied to (one level deep)
            message["reply_to_message"] = {
                k: v for k, v in replied.items() if k != "reply_to_message"
            }
        return message

    # --- checks --------------------------------------------------------------------------------

    def _formatted(
        self: FakeTelegram, params: dict, key: str, limit: int, too_long: str
    ) -> tuple[str, list[dict]]:
        entities_key = "entities" if key == "text" else "caption_entities"
        try:
            text, entities = format_text(
                params.get(key, ""), params.get("parse_mode"), params.get(entities_key), self.user
            )
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        if utf16_len(text) > limit:
            raise bad_request(too_long)
        return text, entities

    def _new_message(self: FakeTelegram, chat: dict, params: dict) -> SentMessage:
        markup = self._markup(params)
        thread_id = self._thread(chat, params.get("message_thread_id"))
        reply_to = self._reply_target(chat, params.get("reply_parameters"))
        message_id = self.next_message_id(chat["id"])
        sent = SentMessage(message_id, chat["id"], None, markup, thread_id, date=self._now())
        sent.reply_to = reply_to
        self._bot_messages.setdefault(chat["id"], {})[message_id] = sent
        return sent

    def _markup(self: FakeTelegram, params: dict) -> dict | None:
        markup = params.get("reply_markup")
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                _check_button(button)
        return markup or None

    def _thread(self: FakeTelegram, chat: dict, thread_id: int | None) -> int | None:
        known = self._threads.get(chat["id"], set())
        if thread_id is not None and chat.get("is_forum") and thread_id not in known:
            raise bad_request("message thread not found")
        return thread_id

    def _reply_target(self: FakeTelegram, chat: dict, reply: dict | None) -> int | None:
        if not reply:
            return None
        if self._exists(reply.get("chat_id", chat["id"]), reply["message_id"]):
            return reply["message_id"]
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")

    def _exists(self: FakeTelegram, chat_id: int, message_id: int | None) -> bool:
        sent = self._bot_messages.get(chat_id, {}).get(message_id)
        if sent is not None:
            return not sent.deleted
        return self.user_message(chat_id, message_id) is not None

    def _editable(self: FakeTelegram, params: dict, missing: str) -> SentMessage:
        if "inline_message_id" in params:
            raise bad_request("inline messages are not supported by FakeTelegram")
        chat = self._chat(params)
        message_id = params.get("message_id")
        sent = self._bot_messages.get(chat["id"], {}).get(message_id)
        if sent is None and self.user_message(chat["id"], message_id) is not None:
            raise bad_request("message can't be edited")
        if sent is None or sent.deleted:
            raise bad_request(missing)
        return sent

    def _edited(self: FakeTelegram, sent: SentMessage) -> dict:
        sent.edits += 1
        sent.edit_date = self._now()
        return self.message_json(sent)

    def _bot_has_right(self: FakeTelegram, chat: dict, right: str) -> bool:
        status, rights = self._statuses.get((chat["id"], BOT_ID), ("member", None))
        if status == "creator":
            return True
        return status == "administrator" and (rights or {}).get(right, True)

    def _check_pin_rights(self: FakeTelegram, chat: dict) -> None:
        if chat["type"] != "private" and not self._bot_has_right(chat, "can_pin_messages"):
            raise bad_request("not enough rights to manage pinned messages in the chat")

    def _upload(self: FakeTelegram, params: dict, files: dict) -> tuple[str, bytes, str]:
        if "document" in files:
            return files["document"]
        if isinstance(params.get("document"), str):
            return self._known_file(params["document"])
        raise bad_request("there is no document in the request")

    def _known_file(self: FakeTelegram, file_id: str) -> tuple[str, bytes, str]:
        for documents in self._documents.values():
            for document in documents:
                if document.file_id == file_id:
                    return document.filename, document.content, document.mime_type
        raise bad_request("wrong file identifier/HTTP URL specified")


def _check_button(button: dict) -> None:
    """Inline keyboard buttons as Telegram validates them."""
    if not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    if "callback_data" in button:
        size = len(button["callback_data"].encode())
        if not 1 <= size <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    elif len(button) == 1:
        raise ApiError(
            400,
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        )


def _photo_json(photo: Document) -> dict:
    return {
        "file_id": photo.file_id,
        "file_unique_id": f"u{photo.file_id}",
        "width": 960,  # Telegram's answer names the sizes it made; the bot does not read them
        "height": 1200,
        "file_size": len(photo.content),
    }


def _document_json(document: Document) -> dict:
    return {
        "file_id": document.file_id,
        "file_unique_id": f"u{document.file_id}",
        "file_name": document.filename,
        "mime_type": document.mime_type,
        "file_size": len(document.content),
    }
