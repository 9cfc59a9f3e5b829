"""What the set asked, kept: each session's detail under /log, and in the exports."""

import csv
import io

from fake_telegram.records import visible
from tests.bot.test_log_and_settings import exported
from tests.e2e.helpers import reframing_step


async def classic_with_questions(bot, group=None):
    """A classic session: Ann holds; Ben and Cat ask (one advice, one not a question); a
    learning line each. Returns the group and the people."""
    group = group or bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    ann, ben, cat = group.member("Ann"), group.member("Ben"), group.member("Cat")
    await fac.command("/session classic")
    await ann.command("/topic Night staff leave early")
    await fac.command("/next")  # clarifying questions
    await ben.say("How many nurses are on the night shift?")
    await ann.say("Two, three when we are lucky.")  # an answer: not in the detail
    await cat.say("Have you tried paying them overtime?")  # advice, flagged
    await fac.command("/next")  # probing questions
    await cat.say("What would make staying until 7 possible?")
    await ben.say("I think the rota is unfair.")  # not a question, flagged
    await fac.command("/next")  # what is the problem now?
    await ann.say("The real problem is that nobody owns the rota.")
    await fac.command("/next")
    await ann.command("/action Write the rota proposal")
    await fac.command("/next")
    await ben.say("I learned to ask before advising")
    await fac.command("/next")
    return group, fac, ann, ben, cat


async def test_the_log_offers_each_sessions_questions_and_shows_them_in_place(bot):
    group, fac, ann, ben, cat = await classic_with_questions(bot)
    await cat.command("/log")
    page = group.last_bot_message()
    (detail_button, *_) = page.buttons()
    assert visible(detail_button["text"]) == "❓ 23 Nov · Ann: 3 questions"
    await cat.press(page, detail_button["callback_data"])
    detail = bot.fake.message(group.id, page.message_id)
    assert detail.edits == 1, "the detail takes the page's place: no new message"
    assert detail.text.splitlines() == [
        "📘 Monday 23 November, 09:00 UTC · classic · Ann",
        "Topic: Night staff leave early",
        "3 questions asked",
        "",
        "Clarifying questions",
        "• Ben: How many nurses are on the night shift?",
        "• Cat: Have you tried paying them overtime? (⚑ advice)",
        "",
        "Probing, open questions",
        "• Cat: What would make staying until 7 possible?",
        "• Ben: I think the rota is unfair. (⚑ not a question)",
        "",
        "What is the problem now?",
        "• Ann: The real problem is that nobody owns the rota.",
        "",
        "Learning round",
        "• Ben: I learned to ask before advising",
    ]
    await cat.press(detail, "◀ Back to the log")
    back = bot.fake.message(group.id, page.message_id)
    assert back.text.startswith("Learning log (1 session)") and back.buttons() == page.buttons()


async def test_a_detail_button_works_after_a_restart_and_only_for_its_own_set(bot):
    group, fac, ann, ben, cat = await classic_with_questions(bot)
    other = bot.tg.group("Set B", bot_status="administrator")
    await classic_with_questions(bot, other)
    await fac.command("/log")
    page = group.last_bot_message()
    await bot.restart()
    await fac.press(page, page.buttons()[0]["callback_data"])
    assert "How many nurses" in bot.fake.message(group.id, page.message_id).text
    # A client that shows set B's session button on set A's message gets nothing of set B.
    (theirs,) = bot.rows("SELECT id FROM sessions WHERE chat_id = ?", other.id)
    data = f"ld:{theirs[0]}:0"
    message = bot.fake.message_json(bot.fake.message(group.id, page.message_id))
    message["reply_markup"] = {"inline_keyboard": [[{"text": "B", "callback_data": data}]]}
    query_id = f"copy{bot.tg.next_update_id()}"
    bot.fake.register_callback(query_id)
    update = {"id": query_id, "from": fac.user, "chat_instance": "1", "data": data}
    await bot.tg.feed(
        {"update_id": bot.tg.next_update_id(), "callback_query": {**update, "message": message}}
    )
    assert bot.fake.callback_answer(query_id)["text"] == "That session is not in this set's log."
    assert "How many nurses" in bot.fake.message(group.id, page.message_id).text


async def test_the_markdown_lists_questions_statements_and_learning_lines(bot):
    group, fac, ann, ben, cat = await reframing_step(bot)  # Ben and Cat asked
    step = group.last_bot_message()
    await ben.reply(step, "The real problem is that *nobody* owns the rota.")
    await cat.reply(step, "The real problem is pay.")
    await ann.press(group.bot_messages()[-1], "Fits: 1")
    await fac.command("/next")  # questions about ways forward
    await ben.say("Why don't you just hire more staff?")
    await fac.command("/next")
    await ann.command("/action Ask the district for a rota owner")
    await fac.command("/next")
    await cat.say("We did well: 8")
    await fac.command("/next")
    await fac.command("/export")
    markdown, _, said = exported(group)
    md = markdown.content.decode("utf-8")
    session = md[md.index("## ") :]
    assert session.splitlines()[2:] == [
        "- **Topic**: Staff leave early",
        "- **Questions**: 3",
        "- **Reframed problem**: The real problem is that \\*nobody\\* owns the rota.",
        "- **Action**: Ask the district for a rota owner",
        "",
        "### Questions",
        "",
        "- Ben: What changed this year?",
        "- Cat: Who decides the rota?",
        "",
        "### Reframing",
        "",
        "- Ben: The real problem is that \\*nobody\\* owns the rota.",
        "- Cat: The real problem is pay.",
        "",
        "### Questions about ways forward",
        "",
        "- Ben: Why don't you just hire more staff? *(⚑ advice)*",
        "",
        "### How did we do?",
        "",
        "- Cat: We did well: 8",
    ]
    rows = list(csv.DictReader(io.StringIO(said.content.decode("utf-8-sig"))))
    assert [(r["step"], r["step_id"], r["kind"], r["author"]) for r in rows] == [
        ("2", "questions", "question", "Ben"),
        ("2", "questions", "question", "Cat"),
        ("3", "reframing", "reframe", "Ben"),
        ("3", "reframing", "reframe", "Cat"),
        ("4", "forward", "question", "Ben"),
        ("6", "review", "learning", "Cat"),
    ]
    assert rows[4]["flag"] == "advice" and rows[0]["said_at"].endswith(" UTC")


async def test_a_member_who_used_forget_has_no_words_in_the_detail_or_the_exports(bot):
    group, fac, ann, ben, cat = await classic_with_questions(bot)
    await fac.command("/log")
    before_forget = group.last_bot_message()
    await ben.command("/forget")
    await ben.press(group.last_bot_message(), "Yes, remove them")
    await fac.command("/log")
    page = group.last_bot_message()
    # /forget erases words, not the shape: the question Ben asked still counts
    assert visible(page.buttons()[0]["text"]) == "❓ 23 Nov · Ann: 3 questions"
    for shown in (page, before_forget):  # a button posted before /forget shows today's log
        await fac.press(shown, shown.buttons()[0]["callback_data"])
        detail = bot.fake.message(group.id, shown.message_id).text
        assert "Cat: Have you tried paying them overtime?" in detail
        assert "Ben" not in detail and "nurses" not in detail and "unfair" not in detail
        assert "ask before advising" not in detail
    await fac.command("/export")
    files = b"".join(d.content for d in exported(group)).decode("utf-8-sig")
    assert "Have you tried paying them overtime?" in files
    for words in ("Ben", "nurses", "unfair", "ask before advising"):
        assert words not in files
    # The holder too: her topic and statement go, the session keeps its place.
    await ann.command("/forget")
    await ann.press(group.last_bot_message(), "Yes, remove them")
    await fac.command("/log")
    page = group.last_bot_message()
    await fac.press(page, page.buttons()[0]["callback_data"])
    detail = bot.fake.message(group.id, page.message_id).text
    assert "· a member" in detail and "Topic: —" in detail
    assert "Ann" not in detail and "nobody owns the rota" not in detail


async def test_a_long_detail_is_split_at_telegrams_limit_in_step_order(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    members = [group.member(name) for name in ("Ben", "Cat", "Dan")]
    await fac.command("/session classic")
    await ann.command("/topic Night staff leave early")
    asked = []
    for step in range(2):  # clarifying, then probing questions
        await fac.command("/next")
        for n in range(12):
            question = f"Q{step}-{n:02}: what " + "else " * 30 + "did you notice?"
            asked.append(question)
            await members[n % 3].say(question)
    while bot.rows("SELECT closed_at FROM sessions")[0][0] is None:
        await fac.command("/next")
    await fac.command("/log")
    page = group.last_bot_message()
    assert visible(page.buttons()[0]["text"]).endswith(": 24 questions")
    before = len(group.bot_messages())
    await fac.press(page, page.buttons()[0]["callback_data"])
    parts = group.bot_messages()[before:]
    assert len(parts) >= 2 and bot.fake.message(group.id, page.message_id).edits == 0
    assert all(len(part.text) <= 4096 for part in parts)
    shown = "\n".join(part.text for part in parts)
    assert [shown.index(q) for q in asked] == sorted(shown.index(q) for q in asked)
    assert shown.index("Clarifying questions") < shown.index("Q0-00") < shown.index("Probing")


async def test_exports_of_what_was_said_are_safe_to_open(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    odd = group.member("*Bo* [x](http://x.example)")
    await fac.command("/session consult")
    await ann.command("/topic Night staff leave early")
    await fac.command("/next")
    await odd.say('=HYPERLINK("http://x.example","who decides?")')
    await fac.command("/next")
    await odd.say("@all one idea: a <b>rota</b> board")
    while bot.rows("SELECT closed_at FROM sessions")[0][0] is None:
        await fac.command("/next")
    await fac.command("/export")
    markdown, _, said = exported(group)
    md = markdown.content.decode("utf-8")
    assert r"- \*Bo\* \[x\](http://x.example): =HYPERLINK" in md
    assert r"a \<b\>rota\</b\> board" in md
    rows = list(csv.DictReader(io.StringIO(said.content.decode("utf-8-sig"))))
    assert [r["text"][:2] for r in rows] == ["'=", "'@"]
    await fac.command("/log")
    page = group.last_bot_message()
    await fac.press(page, page.buttons()[0]["callback_data"])
    detail = bot.fake.message(group.id, page.message_id)
    assert "*Bo* [x](http://x.example): @all one idea: a <b>rota</b> board" in detail.text
    assert "&lt;b&gt;rota&lt;/b&gt;" in detail.source  # shown as written, not bold


async def test_the_detail_in_french_and_arabic(bot):
    group = bot.tg.group("Groupe", bot_status="administrator")
    await group.member("Fatou", admin=True).command("/language fr")
    await classic_with_questions(bot, group)
    fac = group.member("Fatou", admin=True)
    await fac.command("/log")
    page = group.last_bot_message()
    assert visible(page.buttons()[0]["text"]) == "❓ 23 nov. · Ann : 3 questions"
    await fac.press(page, page.buttons()[0]["callback_data"])
    detail = bot.fake.message(group.id, page.message_id).text
    assert "\nQuestions de clarification\n" in detail and "(⚑ un conseil)" in detail
    await fac.command("/language ar")
    await fac.command("/log")
    page = group.last_bot_message()
    assert visible(page.buttons()[0]["text"]).endswith("Ann: 3 أسئلة")
    await fac.press(page, page.buttons()[0]["callback_data"])
    detail = bot.fake.message(group.id, page.message_id).text
    assert "\nأسئلة توضيحية\n" in detail and "(⚑ نصيحة)" in detail


async def test_a_voice_note_shows_its_length_and_speaker_and_goes_with_forget(bot):
    group, fac, ann, ben, cat = await classic_with_questions(bot)
    await fac.command("/session classic")
    await ann.command("/topic Another topic")
    await fac.command("/next")
    await ben.send_raw("voice", voice={"file_id": "AwAC", "file_unique_id": "u", "duration": 83})
    await fac.command("/end")
    await fac.command("/log")
    page = group.last_bot_message()
    await fac.press(page, page.buttons()[0]["callback_data"])  # the newest session
    detail = bot.fake.message(group.id, page.message_id).text
    assert "• 🎤 1:23, from Ben" in detail
    await fac.command("/export")
    markdown = group.documents()[-4].content.decode("utf-8")
    assert "- 🎤 1:23, from Ben" in markdown
    await ben.command("/forget")
    await ben.press(group.last_bot_message(), "Yes, remove them")
    assert bot.rows(
        "SELECT voice_seconds, voice_file_id FROM contributions WHERE kind = 'voice'"
    ) == [(None, None)]
