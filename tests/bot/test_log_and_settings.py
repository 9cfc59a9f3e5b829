"""/log, /actions, /export, /forget, /settings and every setting, /join and /leave."""

import csv
import io

from tests.bot.test_follow_up import committed_session
from tests.e2e.helpers import query, reframing_step


def exported(group):
    """The last /export's files: the Markdown, the actions' CSV, the contributions' CSV (the
    fourth, the actions' changes, is tested in tests/bot/test_export_changes.py)."""
    markdown, table, said, _ = group.documents()[-4:]
    return markdown, table, said


async def two_sessions_and_a_follow_up(bot):
    """Two closed sessions; the first action followed up (partly, learned, carried on)."""
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, ben = await committed_session(bot, group)
    await fac.command("/schedule in 1 hour")
    bot.clock.advance(hours=1)
    await bot.fire_due()
    follow_up = [m for m in group.bot_messages() if "What happened?" in m.text][-1]
    await ann.press(follow_up, "◐ Partly")
    await ann.reply(follow_up, "Supervisors need numbers")
    await ann.press(follow_up, "↻ Carry on")
    await fac.command("/next")  # leaves nothing: no session is open
    await fac.command("/session classic")
    await fac.command("/next")  # past the follow-up round of the carried-on action
    await ben.command("/topic Cold chain breaks at the weekend")
    for _ in range(4):
        await fac.command("/next")
    await ben.command("/action Ask the district for a weekend fridge check | logs are complete")
    await fac.command("/next")
    await ann.say("I learned to ask before advising")
    await fac.command("/next")
    return group, fac, ann, ben


async def test_log_shows_sessions_newest_first_with_outcomes_and_learnings(bot):
    group, fac, ann, ben = await two_sessions_and_a_follow_up(bot)
    await ann.command("/log")
    text = group.bot_texts()[-1]
    assert text.index("Cold chain") < text.index("Night staff")
    assert "partly done" in text and "Supervisors need numbers" in text
    assert "I learned to ask before advising" in text
    await ann.command("/actions")
    assert "weekend fridge check" in group.bot_texts()[-1]


async def test_export_sends_markdown_and_csv_with_every_action(bot):
    group, fac, ann, ben = await two_sessions_and_a_follow_up(bot)
    await ann.command("/export")
    assert "Only facilitators" in group.bot_texts()[-1]
    await fac.command("/export")
    markdown, table, said = exported(group)
    assert markdown.filename.endswith(".md") and table.filename.endswith(".csv")
    assert said.filename == "learning-log-set-a-contributions-2026-11-23.csv"
    md = markdown.content.decode("utf-8")
    for text in ("Call the night supervisor", "weekend fridge check", "Supervisors need numbers"):
        assert text in md
    reader = list(csv.DictReader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert [r["action"] for r in reader] == [
        "Call the night supervisor",
        "Call the night supervisor",
        "Ask the district for a weekend fridge check",
    ]
    assert (
        reader[0]["outcome"] == "partly"
        and reader[1]["previous_action_id"] == reader[0]["action_id"]
    )
    await fac.command("/exportpolicy members")
    await ann.command("/export")
    assert len(group.documents()) == 8


async def test_arabic_text_survives_the_csv(bot):
    group = bot.tg.group("مجموعة", bot_status="administrator")
    fac = group.member("فاطمة", admin=True)
    ann = group.member("أمينة")
    await fac.command("/session consult")
    await ann.command("/topic الممرضات يغادرن مبكرا")
    for _ in range(4):
        await fac.command("/next")
    await ann.command("/action الاتصال بالمشرف")
    await fac.command("/next")
    await fac.command("/next")
    await fac.command("/export")
    table = exported(group)[1].content
    assert table.startswith("\ufeff".encode())
    (row,) = list(csv.DictReader(io.StringIO(table.decode("utf-8-sig"))))
    assert row["action"] == "الاتصال بالمشرف" and row["holder"] == "أمينة"


async def test_a_long_log_is_split_and_paginated(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    long_learning = "x" * 290
    for n in range(7):
        await fac.command("/session consult")
        await ann.command(f"/topic Topic number {n} " + "y" * 150)
        for _ in range(6):  # to the learning step, past the commit step without an action
            await fac.command("/next")
        for _ in range(3):
            await ann.say(f"{n} {long_learning}")
        await fac.command("/next")
    before = len(group.bot_messages())
    await ann.command("/log")
    sent = group.bot_messages()[before:]
    assert len(sent) >= 2, "a page longer than Telegram's limit is split across messages"
    assert all(len(m.text) <= 4096 for m in sent)
    page = group.bot_messages()[-1]
    assert "Topic number 6" in group.bot_texts()[-2] + page.text
    assert page.button("Older ▶") is not None
    await ann.press(page, "Older ▶")
    assert "Topic number 0" in "".join(group.bot_texts()[-3:])


async def test_forget_removes_contributions_and_names_after_confirmation(bot):
    group, fac, ann, ben = await two_sessions_and_a_follow_up(bot)
    before = bot.rows("SELECT count(*) FROM contributions WHERE user_id = ?", ann.user_id)[0][0]
    assert before > 0
    total = bot.rows("SELECT count(*) FROM contributions")
    await ann.command("/forget")
    confirm = group.last_bot_message()
    press = await ben.press(confirm, "Yes, remove them")
    assert "Only the person" in press.answer["text"]
    await ann.press(confirm, "Yes, remove them")
    assert (
        f"Contributions removed: {before};" in bot.fake.message(group.id, confirm.message_id).text
    )
    assert bot.rows("SELECT count(*) FROM contributions WHERE user_id = ?", ann.user_id) == [(0,)]
    assert bot.rows("SELECT count(*) FROM contributions") == total  # the counts keep their shape
    holders = bot.rows("SELECT DISTINCT holder_name FROM actions WHERE holder_id IS NULL")
    assert holders == [("a member",)]
    await fac.command("/log")
    assert "Ann" not in group.bot_texts()[-1] and "a member" in group.bot_texts()[-1]


async def test_forget_leaves_no_words_of_a_holder_or_of_a_picked_statement(bot):
    group, fac, ann, ben, cat = await reframing_step(bot)  # Ann holds "Staff leave early"
    step = group.last_bot_message()
    await ben.reply(step, "The real problem is that nobody owns the rota.")
    await cat.reply(step, "The real problem is pay.")
    reveal = group.bot_messages()[-1]
    await ann.press(reveal, "Fits: 1")  # Ann takes Ben's statement as the reframed problem
    while query(bot, "SELECT closed_at FROM sessions")[0]["closed_at"] is None:
        await fac.command("/next")
    assert "nobody owns the rota" in query(bot, "SELECT reframe FROM sessions")[0]["reframe"]
    for who in (ben, ann):
        await who.command("/forget")
        await who.press(group.last_bot_message(), "Yes, remove them")
    await fac.command("/export")
    markdown = exported(group)[0].content.decode("utf-8")
    await fac.command("/log")
    for words in ("nobody owns the rota", "Staff leave early"):
        assert words not in markdown and words not in group.bot_texts()[-1]
        assert words not in str(query(bot, "SELECT topic, reframe, state FROM sessions"))
    kept = query(bot, "SELECT text, user_id FROM contributions WHERE kind = 'reframe'")
    assert kept == [  # Ben's statement keeps its place, without words or author; Cat's are Cat's
        {"text": "", "user_id": None},
        {"text": "The real problem is pay.", "user_id": cat.user_id},
    ]


async def test_every_setting_changed_and_refused(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann", username="ann")
    changes = [
        ("/autoadvance on", "auto_advance", 1),
        ("/exercise reframe", "default_exercise", "reframe"),
        ("/exportpolicy members", "export_policy", "members"),
        ("/language fr", "language", "fr"),
    ]
    for command, column, value in changes:
        await fac.command(command)
        assert bot.rows(f"SELECT {column} FROM sets") == [(value,)]
    for command in ("/autoadvance maybe", "/exercise yoga", "/exportpolicy all", "/language de"):
        await fac.command(command)
        assert "|" in group.bot_texts()[-1]  # one line listing the valid values
    await ann.command("/autoadvance off")
    assert bot.rows("SELECT auto_advance FROM sets") == [(1,)]
    await fac.command("/settings")
    assert "reframe" in group.bot_texts()[-1]


async def test_granted_facilitator_can_run_a_session_and_be_revoked(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann", username="ann")
    note = await ann.say("I can run today's session")
    await fac.reply(note, "/facilitator")
    assert bot.rows("SELECT role FROM members WHERE user_id = ?", ann.user_id) == [("facilitator",)]
    assert bot.fake.commands("chat_member", chat_id=group.id, user_id=ann.user_id)
    await ann.command("/session")
    assert "Session started" in "".join(group.bot_texts()[-3:])
    await ann.command("/end")
    await fac.command("/unfacilitator @ann")
    await ann.command("/session")
    assert "Only facilitators" in group.bot_texts()[-1]


async def test_join_and_leave(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    ann = group.member("Ann")
    await ann.command("/join")
    assert bot.rows("SELECT active FROM members WHERE user_id = ?", ann.user_id) == [(1,)]
    await ann.command("/leave")
    assert bot.rows("SELECT active FROM members WHERE user_id = ?", ann.user_id) == [(0,)]


async def test_exports_are_safe_to_open(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(
        bot,
        group,
        topic="+1 night nurse *needed* [asap](http://x.example)",
        action='/action =HYPERLINK("http://x.example","click") | @team agrees',
    )
    await fac.command("/export")
    markdown, table, _ = (d.content.decode("utf-8-sig") for d in exported(group))
    (row,) = list(csv.DictReader(io.StringIO(table)))
    assert row["action"] == '\'=HYPERLINK("http://x.example","click")'
    assert row["success_sign"] == "'@team agrees" and row["topic"].startswith("'+1")
    assert r"\*needed\* \[asap\](http://x.example)" in markdown


async def test_settings_name_the_facilitators_or_say_the_admins_alone_are(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/settings")
    assert group.bot_texts()[-1].endswith(
        "Facilitators: the group's admins (/facilitator adds someone)"
    )
    await fac.reply(await ann.say("Hello"), "/facilitator")
    await fac.command("/settings")
    assert group.bot_texts()[-1].endswith("Facilitators: the group's admins, and Ann")


async def test_a_carried_on_action_is_listed_once_in_the_log_and_the_markdown(bot):
    group, fac, ann, ben = await two_sessions_and_a_follow_up(bot)  # Ann's action carried on
    assert len(query(bot, "SELECT id FROM actions WHERE text = 'Call the night supervisor'")) == 2
    await fac.command("/log")
    log = "".join(group.bot_texts()[-2:])
    assert log.count("Call the night supervisor") == 1
    await fac.command("/export")
    markdown = exported(group)[0].content.decode("utf-8")
    assert markdown.count("Call the night supervisor") == 1
    table = exported(group)[1].content.decode("utf-8-sig")
    assert table.count("Call the night supervisor") == 2  # the CSV keeps every action row


async def test_markdown_typography_in_french_and_arabic(bot):
    from bot.export import export_markdown

    group, fac, ann, ben = await two_sessions_and_a_follow_up(bot)
    chat_set = await bot.repo.get_set(group.id)
    sessions, _ = await bot.repo.whole_log(group.id)
    french = export_markdown(chat_set, sessions, "fr", "UTC", bot.clock()).decode()
    assert "\u202f:" in french and "**:" not in french  # "**Sujet**\u202f: …"
    arabic = export_markdown(chat_set, sessions, "ar", "UTC", bot.clock()).decode()
    assert "2026،" in arabic and "2026," not in arabic


async def test_a_log_on_one_page_says_how_many_sessions_it_holds(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await fac.command("/log")
    assert group.bot_texts()[-1].startswith("Learning log (1 session)")
    await fac.command("/exercises")
    listed = group.bot_texts()[-1]
    assert "• classic — Classic action learning set. Reg Revans' sequence: present" in listed
