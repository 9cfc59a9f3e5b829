"""A session across days (/session <exercise> async [step length]): steps move on by themselves."""

from __future__ import annotations

from datetime import timedelta

from flows.session_args import (
    DEFAULT_STEP_LENGTH,
    BadStepLength,
    SessionArgs,
    UnknownExercise,
    read_session_args,
)
from tests.e2e.helpers import cast, new_texts, pass_time, pending_timers

EXERCISES = ("classic", "consult", "reframe")


def test_the_arguments_read_as_facilitators_type_them():
    assert read_session_args("", EXERCISES, "classic") == SessionArgs("classic")
    assert read_session_args("consult", EXERCISES, "classic") == SessionArgs("consult")
    assert read_session_args("consult async", EXERCISES, "classic") == SessionArgs(
        "consult", DEFAULT_STEP_LENGTH
    )
    assert read_session_args("async 12h", EXERCISES, "reframe") == SessionArgs(
        "reframe", timedelta(hours=12)
    )
    assert read_session_args("classic async 0m", EXERCISES, "x") == BadStepLength("0m")
    assert read_session_args("classic async soon", EXERCISES, "x") == BadStepLength("soon")
    assert read_session_args("lunch", EXERCISES, "classic") == UnknownExercise("lunch")


async def test_steps_last_the_given_length_and_move_on_by_themselves(bot):
    people = cast(bot)
    group = people.group
    await people.fac.command("/timezone Africa/Bamako")
    await people.fac.command("/session classic async 12h")
    await people.holder.command("/topic Staff leave early")
    first = group.bot_texts()[-1]
    assert first.startswith("Step 1/6 · Present the issue (until ")
    assert "Africa/Bamako" in first
    # no "a minute left" across days: a reminder three quarters in, then the end
    assert [row["kind"] for row in pending_timers(bot)] == ["step_warning", "step_end"]
    await pass_time(bot, hours=12)
    assert group.bot_texts()[-1].startswith("Step 2/6 · Clarifying questions (until ")
    await bot.restart(crash=True)  # the step's end is a row: it comes after a restart too
    await pass_time(bot, hours=12)
    assert group.bot_texts()[-1].startswith("Step 3/6")


async def test_a_bad_step_length_gets_one_line_with_an_example(bot):
    people = cast(bot)
    await people.fac.command("/session classic async forever")
    assert people.group.bot_texts()[-1].startswith("Say how long each step lasts")
    assert "/session classic async 24h" in people.group.bot_texts()[-1]


async def test_a_step_that_ends_by_itself_leaves_a_digest_for_whoever_was_away(bot):
    people = cast(bot)
    group = people.group
    ben, cat, _ = people.members
    await people.fac.command("/session classic async 12h")
    await people.holder.command("/topic Staff leave early")
    await pass_time(bot, hours=12)  # step 2: clarifying questions
    await ben.say("What changed this year?")
    await people.holder.say("The rota did.")
    await cat.send_raw("voice")
    await cat.say("Who decides the rota?")
    await bot.restart(crash=True)
    await pass_time(bot, hours=12)
    digest_text, step = group.bot_texts()[-2:]
    assert digest_text.startswith("📋 Step 2 · Clarifying questions, in short:")
    assert "1. What changed this year? (Ben)" in digest_text
    assert "2. Who decides the rota? (Cat)" in digest_text
    assert "🎤 0:03, from Cat" in digest_text
    assert step.startswith("Step 3/6")
    await pass_time(bot, hours=12)  # nobody spoke in step 3
    assert group.bot_texts()[-2].endswith("Nothing was said in this step.")


async def test_one_reminder_names_the_members_who_have_not_said_anything_in_the_step(bot):
    people = cast(bot)
    group = people.group
    ben, cat, dan = people.members
    await cat.command("/join")
    await dan.command("/join")
    await people.fac.command("/session classic async 24h")
    await people.holder.command("/topic Staff leave early")
    await pass_time(bot, hours=24)  # step 2: clarifying questions
    await ben.say("What changed this year?")
    seen = len(group.bot_texts())
    await pass_time(bot, hours=18)
    (reminder,) = new_texts(group, seen)
    assert reminder.startswith("🔔 Cat, Dan, this step ends")
    await people.fac.command("/extend 60")
    await pass_time(bot, hours=6)  # the extension does not bring a second reminder
    assert [t for t in new_texts(group, seen) if t.startswith("🔔")] == [reminder]
