"""/export's long-format CSV: one row per change of an action's status, in UTC and in the set's
zone across a DST change, with ids that stay the same from one export to the next."""

import csv
import io
from datetime import UTC, datetime

FRIDAY = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)  # 10:00 in Paris (UTC+1)
MONDAY = datetime(2027, 3, 29, 8, 0, tzinfo=UTC)  # 10:00 in Paris (UTC+2 since Sunday)


def table(document) -> list[dict[str, str]]:
    """A CSV document's rows, read as a spreadsheet would (UTF-8 with a BOM)."""
    return list(csv.DictReader(io.StringIO(document.content.decode("utf-8-sig"))))


def last_export(group):
    """The last /export's documents by what they hold."""
    markdown, actions, said, changes = group.documents()[-4:]
    return {"markdown": markdown, "actions": actions, "said": said, "changes": changes}


async def followed_up_in_paris(bot):
    """An action committed on Friday in Paris, followed up on Monday (after the clocks went
    forward): partly, what was learned, carried on."""
    bot.clock.now = FRIDAY
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    ann, ben = group.member("Ann"), group.member("Ben")
    await fac.command("/timezone Europe/Paris")
    await fac.command("/session consult")
    await ann.command("/topic Night staff leave early")
    await fac.command("/next")
    await ben.command("/q How many nurses are on nights?")
    for _ in range(3):
        await fac.command("/next")
    await ann.command("/action Call the night supervisor | she agrees to a rota")
    await fac.command("/next")
    await fac.command("/next")
    await fac.command("/schedule 2027-03-29 10:00")
    bot.clock.now = MONDAY
    await bot.fire_due()
    follow_up = [m for m in group.bot_messages() if "What happened?" in m.text][-1]
    bot.clock.advance(minutes=5)
    await ann.press(follow_up, "◐ Partly")
    await ann.reply(follow_up, "Supervisors need numbers")
    bot.clock.advance(minutes=5)
    await ann.press(follow_up, "↻ Carry on")
    return group, fac, ann


async def test_export_has_each_change_of_status_in_utc_and_in_paris_time(bot):
    group, fac, _ = await followed_up_in_paris(bot)
    await fac.command("/export")
    files = last_export(group)
    assert files["changes"].filename == "learning-log-set-a-action-changes-2027-03-29.csv"
    rows = table(files["changes"])
    (session,) = {r["session_id"] for r in rows}
    (set_id,) = {r["set_id"] for r in rows}
    assert session and set_id and {r["timezone"] for r in rows} == {"Europe/Paris"}
    changes = [
        (r["action_id"], r["change"], r["status_after"], r["outcome"], r["previous_action_id"])
        for r in rows
    ]
    assert changes == [
        ("1", "committed", "open", "", ""),
        ("1", "asked", "open", "", ""),
        ("1", "answered", "open", "partly", ""),
        ("1", "carried_on", "closed", "partly", ""),
        ("2", "committed", "open", "", "1"),
    ]
    assert [r["next_action_id"] for r in rows] == ["", "", "", "2", ""]
    assert [(r["at_utc"], r["at_local"]) for r in rows] == [
        ("2027-03-26T09:00:00Z", "2027-03-26T10:00:00+01:00"),
        ("2027-03-29T08:00:00Z", "2027-03-29T10:00:00+02:00"),
        ("2027-03-29T08:05:00Z", "2027-03-29T10:05:00+02:00"),
        ("2027-03-29T08:10:00Z", "2027-03-29T10:10:00+02:00"),
        ("2027-03-29T08:10:00Z", "2027-03-29T10:10:00+02:00"),
    ]
    # The same ids join it to the actions' and the contributions' CSV.
    actions = table(files["actions"])
    assert [(a["set_id"], a["session_id"], a["action_id"]) for a in actions] == [
        (set_id, session, "1"),
        (set_id, session, "2"),
    ]
    assert {r["set_id"] for r in table(files["said"])} == {set_id}


async def test_ids_stay_the_same_across_exports_a_restart_and_forget_and_name_no_one(bot):
    group, fac, ann = await followed_up_in_paris(bot)
    await fac.command("/export")
    first = last_export(group)
    await bot.restart()
    await ann.command("/forget")
    await ann.press(group.last_bot_message(), "Yes, remove them")
    bot.clock.advance(days=1)
    await fac.command("/export")
    second = last_export(group)
    assert table(second["changes"]) == table(first["changes"])  # no words: /forget leaves it
    ids = ("set_id", "session_id", "action_id", "previous_action_id")
    assert [[a[i] for i in ids] for a in table(second["actions"])] == [
        [a[i] for i in ids] for a in table(first["actions"])
    ]
    assert table(second["actions"])[0]["holder"] == "a member"  # /forget did run
    content = first["changes"].content.decode("utf-8-sig")
    words = ("Call the night", "rota", "Supervisors", "Night staff", "nurses", "Ann", "Ben")
    assert not [word for word in words if word in content]
    assert str(abs(group.id)) not in content  # the set's id is not its chat id
