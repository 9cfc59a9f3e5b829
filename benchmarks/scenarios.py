"""Full sessions as scripts of beats: who says what, how, and how long until the next beat.

The same script drives one group (message economy) or hundreds interleaved round-robin
(throughput): beat i is played in every group before beat i+1 in any.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.fake_api import LeanTelegram
from benchmarks.updates import Group, Member, UpdateFactory


@dataclass(frozen=True)
class Beat:
    """One update of a session (or a pause when `kind` is "wait")."""

    kind: str  # how reports name it
    who: str = ""  # "fac", "holder", "m0".."m3"
    text: str = ""  # the message text, or the button verb for a press
    how: str = "say"  # say | reply (to the bot's last message) | press (a button on it)
    wait: float = 15.0  # fake seconds until the next beat


def person(group: Group, who: str) -> Member:
    """The member a beat's `who` names."""
    if who == "fac":
        return group.facilitator
    if who == "holder":
        return group.holder
    return group.members[int(who[1:])]


def build(beat: Beat, group: Group, factory: UpdateFactory, fake: LeanTelegram) -> dict | None:
    """The update dict a beat sends in a group (None for a pause)."""
    if beat.kind == "wait":
        return None
    sender = person(group, beat.who)
    if beat.how == "say":
        return factory.message(group, sender, beat.text)
    last = fake.last_sent.get(group.chat_id)
    if beat.how == "reply":
        return factory.message(group, sender, beat.text, reply_to=last)
    if beat.how == "press":
        rows = (last or {}).get("reply_markup", {}).get("inline_keyboard", [])
        data = next(
            (
                b["callback_data"]
                for row in rows
                for b in row
                if b["callback_data"].endswith(beat.text)
            ),
            None,
        )
        if data is None:
            raise RuntimeError(
                f"no button {beat.text!r} on the bot's last message in {group.title}"
            )
        return factory.button(group, sender, last, data)
    raise ValueError(f"unknown beat {beat!r}")


def question(who: str, text: str, how: str = "say", *, nudge: bool | None = None, wait=15.0):
    """A member's question: plain, a reply to the bot, or /q; advice marked by `nudge`."""
    if how == "q":
        return Beat("/q", who, f"/q {text}", wait=wait)
    if nudge is not None:
        return Beat("advice → nudge" if nudge else "advice, no nudge", who, text, how, wait)
    return Beat("question, reply" if how == "reply" else "question", who, text, how, wait)


def holder_says(text: str, kind: str = "holder text", wait: float = 15.0) -> Beat:
    """The topic holder's plain message."""
    return Beat(kind, "holder", text, wait=wait)


def next_step(wait: float = 15.0) -> Beat:
    """/next by the facilitator."""
    return Beat("/next", "fac", "/next", wait=wait)


def pause(seconds: float) -> Beat:
    """Nobody speaks for a while (timers may fire)."""
    return Beat("wait", wait=seconds)


ANSWER = "Mostly on Fridays, I think."

# Classic: 20 questions in two questions-only steps, 5 of them advice (3 nudges), the holder
# answering every third; the clarifying step runs out of time, the probing one ends early.
CLASSIC_CLARIFY = [
    question("m0", "Who else is involved?"),
    holder_says(ANSWER, "holder answer"),
    question("m1", "When did it start?", "reply"),
    question("m0", "Have you tried talking to them?", nudge=True),
    question("m2", "How many people leave early?", "q"),
    holder_says(ANSWER, "holder answer"),
    question("m3", "What does the night shift say?"),
    question("m1", "Why don't you hire more staff?", nudge=True),
    question("m0", "You should ask HR, shouldn't you?", nudge=False),
    holder_says(ANSWER, "holder answer"),
    question("m2", "Who decides the rota?", "reply"),
    question("m3", "What happens after 3pm?"),
    question("m1", "Which days are worst?", "q", wait=20.0),
]
CLASSIC_PROBE = [
    question("m0", "What would success look like?"),
    question("m1", "What is stopping you?", "reply"),
    holder_says(ANSWER, "holder answer"),
    question("m2", "Wouldn't it be better to change shifts?", nudge=True),
    question("m3", "What options do you see?", "q"),
    question("m0", "What matters most to you here?"),
    holder_says(ANSWER, "holder answer"),
    question("m2", "Who could support you?"),
    question("m2", "Don't you think they are tired?", nudge=False),
    question("m1", "What would happen if nothing changed?", "reply"),
    holder_says(ANSWER, "holder answer"),
    question("m3", "How would the night shift describe it?"),
    question("m0", "What have you tried so far?", "q"),
]
CLASSIC = [
    Beat("/session", "fac", "/session classic", wait=30),
    Beat("/topic", "holder", "/topic Staff leave early on Fridays", wait=30),
    holder_says("Since March it got worse.", wait=30),
    holder_says("The night shift is short.", wait=60),
    next_step(),  # 2 · clarify, 10 min
    *CLASSIC_CLARIFY,
    pause(600 - 15 * 12 - 20 + 30),  # until the step ran out: warning, then time up
    next_step(),  # 3 · probe, 15 min
    *CLASSIC_PROBE,
    next_step(wait=60),  # 4 · what is the problem now, 3 min
    holder_says("The rota was made without the night shift.", wait=150),  # runs out
    next_step(wait=60),  # 5 · commit
    Beat("/action", "holder", "/action Redo the rota with two night staff | they sign it | HR",
         wait=30),
    next_step(wait=20),  # 6 · learning round
    *(Beat("learning line", w, f"I learned something today ({w}).", wait=20) for w in
      ("holder", "m0", "m1", "m2", "m3")),
    next_step(wait=30),  # closes: the summary
]  # fmt: skip

CONSULT = [
    Beat("/session", "fac", "/session consult", wait=20),
    Beat("/topic", "holder", "/topic Volunteers drop out after two weeks", wait=20),
    holder_says("We train them, then they go.", wait=20),
    holder_says("Most leave in week two.", wait=30),
    next_step(),  # 2 · clarify, 4 min: runs out
    question("m0", "Since when does this happen?"),
    question("m1", "Who decides on the training?", "reply"),
    question("m2", "How many volunteers start each month?", "q"),
    holder_says("About ten a month.", "holder answer"),
    question("m2", "Have you tried talking to them?", nudge=True),
    question("m2", "Why don't you pay them?", nudge=False),
    question("m3", "What do they say when they leave?"),
    question("m0", "You should ask them to stay longer.", nudge=True),
    pause(240 - 15 * 8 + 20),
    next_step(),  # 3 · ideas, 8 min: the holder listens (reminded once)
    Beat("idea", "m0", "Have you tried talking to them?"),
    Beat("idea", "m1", "You should pair each new volunteer with an old hand."),
    holder_says("We tried pairing already.", "holder answer"),
    Beat("idea", "m2", "Maybe a welcome evening after the first week."),
    holder_says("It did not work.", "holder answer"),
    Beat("idea", "m3", "A small thank-you after a month could help.", wait=20),
    next_step(),  # 4 · most valuable, 3 min
    holder_says("The pairing idea, done differently.", wait=20),
    next_step(),  # 5 · commit, 2 min: a plain message is the action
    holder_says("Pair the next five volunteers with mentors", "holder action", wait=20),
    next_step(),  # 6 · learning, 2 min
    *(Beat("learning line", w, f"I learned to ask first ({w}).", wait=15) for w in
      ("holder", "m0", "m1", "m2", "m3")),
    next_step(wait=30),
]  # fmt: skip

REFRAME = [
    Beat("/session", "fac", "/session reframe", wait=20),
    Beat("/topic", "holder", "/topic Staff leave early on Fridays", wait=20),
    holder_says("Half of the night shift leaves at 3pm.", wait=40),
    next_step(),  # 2 · questions, 10 min: ended early
    question("m0", "What have you noticed about Fridays?"),
    question("m1", "Who is affected most?", "reply"),
    question("m2", "What does the night shift say?", "q"),
    question("m1", "Have you tried talking to them?", nudge=True),
    question("m1", "Wouldn't it be better to change the rota?", nudge=False),
    holder_says("Nobody asked them yet.", "holder answer"),
    question("m3", "What would a good Friday look like?"),
    question("m0", "Why don't you pay a bonus on Fridays?", nudge=True),
    next_step(),  # 3 · reframing, 7 min: statements held back, revealed together
    Beat("statement", "m0", "The real problem is pay.", "reply"),
    Beat("statement", "m1", "The real problem is that nobody trusts the rota.", "reply"),
    Beat("statement", "m2", "The real problem is the bus timetable.", "reply"),
    Beat("statement", "m3", "The real problem is tiredness.", "reply", wait=20),
    Beat("button (pick)", "holder", "pick:1", "press", wait=20),
    next_step(),  # 4 · ways forward, 10 min
    question("m0", "Who could help you rewrite the rota?"),
    question("m1", "What would the night shift suggest?"),
    question("m2", "You should just ask them.", nudge=True),
    question("m3", "What is the first small step?", wait=20),
    next_step(wait=30),  # 5 · commit, 3 min
    Beat("/action", "holder", "/action Rewrite the rota with two night staff | they sign it",
         wait=30),
    next_step(),  # 6 · review, 5 min
    *(Beat("learning line", w, f"We listened well ({w}).", wait=15) for w in
      ("holder", "m0", "m1", "m2", "m3")),
    next_step(wait=30),
]  # fmt: skip

EXERCISES = {"classic": CLASSIC, "consult": CONSULT, "reframe": REFRAME}


def updates_per_session(script: list[Beat]) -> int:
    """How many updates one group sends in a script."""
    return sum(1 for beat in script if beat.kind != "wait")
