"""/retention and the daily sweep: the set is told a week before, words older than the set keeps
them are erased, and the log keeps its shape (counts, actions and outcomes, dates)."""

from __future__ import annotations


async def test_a_facilitator_sets_the_retention_and_everyone_sees_it(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await ann.command("/retention")
    assert group.bot_texts()[-1].startswith("🗂 Members' words are kept for 12 months after")
    await fac.command("/retention 6m")
    assert group.bot_texts()[-1].startswith("🗂 Done. Members' words are kept for 6 months")
    assert "/export" in group.bot_texts()[-1]
    assert bot.rows("SELECT retention_months FROM sets") == [(6,)]
    await ann.command("/settings")
    assert "Members' words kept: 6 months (/retention)" in group.bot_texts()[-1]
    await ann.command("/privacy")
    assert "Members' words are kept for 6 months after" in group.bot_texts()[-1]

    await ann.command("/retention off")
    assert (
        group.bot_texts()[-1].startswith("Only facilitators")
        and "/retention" in (group.bot_texts()[-1])
    )
    await fac.command("/retention 3m")
    assert group.bot_texts()[-1] == "Choose one of: 6m | 12m | 24m | off. Example: /retention 12m"
    assert bot.rows("SELECT retention_months FROM sets") == [(6,)]
    await fac.command("/retention off")
    await ann.command("/privacy")
    assert "kept until they remove them with /forget" in group.bot_texts()[-1]
    await ann.command("/settings")
    assert "Members' words kept: until removed (off)" in group.bot_texts()[-1]


async def test_the_join_notice_says_how_long_words_are_kept(bot):
    group = bot.tg.group("Set B", bot_status="left")
    fac = group.member("Fatou", admin=True)
    await bot.tg.bot_added(group, by=fac)
    assert "kept for 12 months" in group.bot_texts()[-1]
