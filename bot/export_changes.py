"""The long-format CSV of /export: one row per change of an action's status, with the ids that
join it to the actions' CSV and its moment in UTC and in the set's time zone. No words."""

from __future__ import annotations

import csv
import io

from bot.export import spreadsheet_bytes
from flows.action_changes import ActionChange, local_text, utc_text

CHANGE_COLUMNS = (
    "set_id",
    "session_id",
    "action_id",
    "change",
    "status_after",
    "outcome",
    "at_utc",
    "at_local",
    "timezone",
    "previous_action_id",
    "next_action_id",
)


def export_changes_csv(set_id: str, changes: list[ActionChange], timezone: str) -> bytes:
    """One row per change, in the order they happened (UTF-8 with a BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CHANGE_COLUMNS)
    for change in changes:
        writer.writerow(
            (
                set_id,
                change.session_id or "",
                change.action_id,
                change.change.value,
                change.status_after,
                change.outcome.value if change.outcome else "",
                utc_text(change.at),
                local_text(change.at, timezone),
                timezone,
                change.previous_action_id or "",
                change.next_action_id or "",
            )
        )
    return spreadsheet_bytes(out)
