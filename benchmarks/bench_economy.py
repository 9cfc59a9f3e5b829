"""Message economy: how many messages the bot sends in one brisk session of each exercise."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from telegram import Update

from benchmarks.fake_api import LeanTelegram
from benchmarks.harness import REPRODUCE, Clock, note, pass_time, running_bot, table, verdict
from benchmarks.scenarios import EXERCISES, build, updates_per_session
from benchmarks.updates import UpdateFactory, make_group

WINDOW_SECONDS = 60
PEAK_LIMIT = 20  # Telegram: about 20 messages a minute in one group

# Message keys (by prefix) by the part of the budget they belong to. A session's steps are
# those of PRODUCT.md's "One session": asking for a topic holder, each exercise step, the close.
PARTS = {
    "opening: who brings a topic": ("session.started", "session.ask_holder"),
    "exercise steps": ("session.step", "session.step_topic_needed"),
    "summary (the close)": ("summary.",),
    "reveal of the reframing statements": ("session.reveal",),
    # The one nudge of a listening round: the holder is reminded that members speak.
    "nudges": ("nudge.", "session.holder_listen"),
    "timer notices": ("session.minute_left", "session.time_up"),
    "action confirmation (only where reactions are off)": ("session.action_recorded",),
    "holder's pick (shown on the reveal)": ("session.reframe_picked",),
}
# The reveal is the reframing step's own content ("statements are revealed together"), so it
# counts with the steps; everything outside BUDGET is overhead the target does not allow.
STEP_PARTS = (
    "opening: who brings a topic",
    "exercise steps",
    "summary (the close)",
    "reveal of the reframing statements",
)
BUDGET = (*STEP_PARTS, "nudges", "timer notices")


@cache
def _patterns() -> list[tuple[int, str, re.Pattern[str]]]:
    """Every English template as a full-match pattern, the most literal first."""
    from bot.i18n import translations

    found = []
    for key, template in translations("en")._catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or not template:
            continue
        pieces = re.split(r"\{[a-z_]+\}", template)
        pattern = ".*?".join(re.escape(piece) for piece in pieces)
        found.append((sum(len(p) for p in pieces), msgid, re.compile(pattern, re.DOTALL)))
    return sorted(found, key=lambda item: -item[0])


def message_key(text: str) -> str:
    """The catalog key a sent (English) text was rendered from, or '?'."""
    for _, key, pattern in _patterns():
        if pattern.fullmatch(text):
            return key
    return "?"


def part_of(key: str) -> str:
    """The budget part a message key belongs to."""
    for part, prefixes in PARTS.items():
        if key.startswith(prefixes):
            return part
    return f"other ({key})"


def peak(dates: list[int], window: int = WINDOW_SECONDS) -> int:
    """The most messages in any `window` seconds."""
    ordered = sorted(dates)
    best, start = 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def one_session(name: str) -> dict:
    """Play one exercise's script in one group, firing timers as they fall due."""
    clock = Clock()
    group = make_group(1)
    fake = LeanTelegram(clock.timestamp, admins={group.facilitator.user_id}, record=True)
    script = EXERCISES[name]
    async with running_bot(fake, clock) as running:
        factory = UpdateFactory(fake.next_message_id, clock.timestamp)
        started = clock.now
        timers = 0
        fake.sent.clear()
        calls_before = Counter(fake.calls)
        for beat in script:
            data = build(beat, group, factory, fake)
            if data is not None:
                await running.app.process_update(Update.de_json(data, running.app.bot))
            timers += await pass_time(running, beat.wait)
        if running.errors:
            raise RuntimeError(f"{name}: handler errors {running.errors[:3]}")
        minutes = (clock.now - started).total_seconds() / 60
        quiet = fake.calls - calls_before  # calls that change the chat without a new message
    parts = Counter(part_of(message_key(sent.text)) for sent in fake.sent)
    return {
        "name": name,
        "updates": updates_per_session(script),
        "minutes": minutes,
        "timers": timers,
        "sent": len(fake.sent),
        "edits": quiet["editMessageText"] + quiet["editMessageReplyMarkup"],
        "reactions": quiet["setMessageReaction"],
        "parts": parts,
        "peak": peak([sent.date for sent in fake.sent]),
    }


async def main() -> None:
    """Print the message budget of each exercise and the busiest minute."""
    results = [await one_session(name) for name in EXERCISES]
    print("Message economy: one brisk session per exercise, five members + a facilitator,")
    print("a message every ~15-20 s of fake time, step timers fired when due.\n")
    all_parts = list(PARTS) + sorted({p for r in results for p in r["parts"] if p not in PARTS})
    rows = []
    for part in all_parts:
        rows.append([part, *(r["parts"].get(part, 0) for r in results)])
    budget = [sum(r["parts"].get(p, 0) for p in BUDGET) for r in results]
    over = [r["sent"] - b for r, b in zip(results, budget, strict=True)]
    rows.append(["= steps + nudges + timer notices", *budget])
    rows.append(["= anything else (must be 0)", *over])
    rows.append(["sendMessage calls in the session", *(r["sent"] for r in results)])
    rows.append(["edits of the bot's messages (no new message)", *(r["edits"] for r in results)])
    rows.append(["reactions (no new message)", *(r["reactions"] for r in results)])
    rows.append(["updates from users", *(r["updates"] for r in results)])
    rows.append(["bot messages per user update", *(r["sent"] / r["updates"] for r in results)])
    rows.append(["timers fired (jobs run)", *(r["timers"] for r in results)])
    rows.append(["session length, fake minutes", *(r["minutes"] for r in results)])
    rows.append([f"peak bot messages in {WINDOW_SECONDS} s", *(r["peak"] for r in results)])
    print(table(["part of the budget", *(r["name"] for r in results)], rows))
    worst = max(r["peak"] for r in results)
    print()
    note(
        f"Target: peak < {PEAK_LIMIT} bot messages in any {WINDOW_SECONDS} s window: "
        f"{verdict(worst < PEAK_LIMIT)} (worst {worst}).",
        "Target: no more than one message per step + nudges + timer notices: "
        f"{verdict(not any(over))} (over by {', '.join(str(n) for n in over)}).",
        "Steps are the session's: the opening that asks for a topic holder, each exercise step"
        " (the reframing step with its reveal) and the summary that closes it. The action is"
        " taken with a reaction on the holder's message and the pick is shown on the reveal.",
        "Messages are classified by matching the English catalog templates.",
        REPRODUCE.replace("<name>", "economy"),
    )
