"""The repository's caches after a write in another store: what it answers is what is stored.

Each test warms the caches first, then writes through another store, then asks again and
compares with a repository that has never cached anything (the database's answer).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flows.meetings import MeetingPlan
from flows.session_model import Person, Phase, SessionState
from storage.outbox import Outgoing
from storage.repository import Repository
from storage.scheduled import ScheduledKind, ScheduledStatus
from storage.sessions import Saved

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CHAT, NEW_CHAT = -100, -1000000000100
ANA = Person(user_id=1, name="Ana")


@pytest.fixture
async def repo(tmp_path):
    """A repository on a fresh database file with one set and one member."""
    repository = await Repository.open(tmp_path / "bot.sqlite3")
    await repository.ensure_set(CHAT, "Set", "en", NOW)
    await repository.upsert_member(CHAT, ANA.user_id, ANA.name, "ana", "en", NOW)
    yield repository
    await repository.close()


def uncached(repo: Repository) -> Repository:
    """A repository on the same database that has cached nothing."""
    return Repository(repo.db)


async def open_a_session(repo: Repository, outgoing: list[Outgoing] = ()) -> Saved:
    """Store an open session of CHAT with its messages."""
    state = SessionState(
        id=await repo.reserve_session_id(),
        chat_id=CHAT,
        exercise="classic",
        phase=Phase.CHOOSE_HOLDER,
        facilitator=ANA,
        started_at=NOW,
        last_update_id=7,
    )
    return await repo.save_session(state, (), NOW, outgoing=outgoing)


async def test_a_meeting_set_is_the_sets_next_meeting_with_no_read(repo):
    await repo.get_set(CHAT)
    meeting = NOW + timedelta(days=7)
    await repo.set_meeting(
        CHAT, rule_json=None, plan=MeetingPlan(meeting_at=meeting), thread_id=None, now=NOW
    )
    before = repo.db.round_trips
    chat_set = await repo.get_set(CHAT)
    assert repo.db.round_trips == before
    assert chat_set.next_meeting_at == meeting
    assert chat_set == await uncached(repo).get_set(CHAT)


async def test_a_rolled_meeting_is_the_sets_next_meeting_with_no_read(repo):
    first, second = NOW + timedelta(days=7), NOW + timedelta(days=14)
    rearm = await repo.set_meeting(
        CHAT, rule_json=None, plan=MeetingPlan(meeting_at=first), thread_id=None, now=NOW
    )
    [follow_up] = [row for row in rearm.armed if row.kind is ScheduledKind.FOLLOW_UP]
    assert (await repo.get_set(CHAT)).next_meeting_at == first
    await repo.roll_meeting(follow_up, ScheduledStatus.SENT, MeetingPlan(meeting_at=second), first)
    before = repo.db.round_trips
    chat_set = await repo.get_set(CHAT)
    assert repo.db.round_trips == before
    assert chat_set.next_meeting_at == second
    assert chat_set == await uncached(repo).get_set(CHAT)


async def test_a_forgotten_member_is_no_longer_a_member(repo):
    assert await repo.get_member(CHAT, ANA.user_id) is not None
    await repo.forget_member(CHAT, ANA.user_id)
    assert await repo.get_member(CHAT, ANA.user_id) is None
    assert await uncached(repo).get_member(CHAT, ANA.user_id) is None


async def test_a_migrated_chat_is_found_under_its_new_id_only(repo):
    session = (await open_a_session(repo)).state
    for chat_id in (CHAT, NEW_CHAT):  # the new id cached as unknown, too
        await repo.get_set(chat_id)
        await repo.get_member(chat_id, ANA.user_id)
        await repo.open_session(chat_id)
        await repo.already_applied(chat_id, 7)

    assert await repo.migrate_chat(CHAT, NEW_CHAT, NOW)

    assert await repo.get_set(CHAT) is None
    assert (await repo.get_set(NEW_CHAT)).title == "Set"
    assert await repo.get_member(CHAT, ANA.user_id) is None
    assert (await repo.get_member(NEW_CHAT, ANA.user_id)).chat_id == NEW_CHAT
    assert await repo.open_session(CHAT) is None
    moved = await repo.open_session(NEW_CHAT)
    assert (moved.id, moved.chat_id) == (session.id, NEW_CHAT)
    assert moved == await uncached(repo).open_session(NEW_CHAT)
    assert await repo.already_applied(NEW_CHAT, 7)
    assert not await repo.already_applied(CHAT, 7)
