"""`make demo` keeps working: the scripted session prints every key moment, in order."""

from __future__ import annotations

import io

from demo.script import run
from demo.transcript import WIDTH, display_width


async def test_demo_transcript_shows_the_whole_cycle():
    out = io.StringIO()
    database = await run(out)
    transcript = out.getvalue()

    moments = [
        "Fatou: /schedule every 2 weeks tue 10:00",
        "📅 Next meeting:",
        "🤖 Bot: ▶️ Session started: Classic action learning set.",
        "Step 1/6 · Present the issue",
        "Step 2/6 · Clarifying questions",
        'Chidi: ↩ "Step 2/6',  # a question by reply to the step message
        "Dara: /q Who decided",
        "Ben, that sounds like advice.",
        "⏳ About a minute left in this step.",
        "Step 3/6 · Probing, open questions",
        "Step 4/6 · What is the problem now?",
        "Step 5/6 · Commit to an action",
        "🤖 Bot reacts ✍ to Amina's message",  # the action is taken without another message
        "Step 6/6 · Learning round",
        "Session summary",
        "Reframed problem:",
        "Follow-up at the next meeting:",
        "🔔 Reminder: the next meeting is",
        "It's meeting time!",
        "What happened?",
        "[ ✅ Done ]  [ ◐ Partly ]",
        "Amina: [presses ◐ Partly]",
        "Learned: The huddle works",
        "Amina: [presses ✎ Change]",
        "✎ Next action: Ask the district nursing officer",
        "What was stored",
        "action #2 (open), held by Amina:",
        "follows action: #1",
    ]
    positions = []
    for moment in moments:
        assert moment in transcript, f"missing from the demo: {moment!r}\n{transcript}"
        positions.append(transcript.index(moment))
    assert positions == sorted(positions), "the key moments are out of order"

    assert "(!)" not in transcript, "a Bot API call failed during the demo"
    assert "Time is up" not in transcript  # Fatou moves on before time runs out
    assert transcript.count("that sounds like advice") == 1  # one nudge, not two
    too_wide = [line for line in transcript.splitlines() if display_width(line) > WIDTH]
    assert not too_wide, too_wide
    assert not database.exists() and not database.parent.exists()  # the temp folder is gone
