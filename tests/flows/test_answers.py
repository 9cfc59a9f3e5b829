"""The holder's answers across time: which question a reply names, and the digest lines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.answers import Asked, RepliedTo, numbered, numbers_in_words
from flows.digest import Answered, Said, digest
from flows.session_model import Record, Say, TimerFired
from tests.flows.session_kit import AMINA, BOB, EXERCISES, HOLDER, NOW, context, run, says
from tests.flows.test_session_async import async_step, plain_text

DAY = timedelta(hours=24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 Two nurses", (2, "Two nurses")),
        ("2. Two nurses", (2, "Two nurses")),
        ("2) Two nurses", (2, "Two nurses")),
        ("2: Two nurses", (2, "Two nurses")),
        ("2 - Two nurses", (2, "Two nurses")),
        ("#2 Two nurses", (2, "Two nurses")),
        ("Q2 Two nurses", (2, "Two nurses")),
        ("q2: Two nurses", (2, "Two nurses")),
        ("Q 12. Deux infirmières", (12, "Deux infirmières")),
        ("٢ ممرضتان", (2, "ممرضتان")),
        ("س٣. المدير", (3, "المدير")),
        ("  3\nOn two lines\nhere", (3, "On two lines\nhere")),
    ],
)
def test_a_reply_opening_with_a_number_names_that_question(text, expected):
    assert numbered(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Two nurses",  # no number
        "2",  # a number and no answer
        "2.",
        "2026 was hard",  # a year, not a question's number
        "3.5 days a week",  # a decimal
        "Question 2 is hard",  # a number that does not open the reply
        "Q2",
    ],
)
def test_a_reply_without_an_opening_number_names_no_question(text):
    assert numbered(text) is None


@given(st.integers(min_value=1, max_value=999), st.text(min_size=1).filter(lambda t: t.strip()))
def test_any_number_and_words_read_back(number, words):
    words = words.strip()
    assert numbered(f"{number}. {words}") == (number, words)


def asked(count: int, step_index: int = 1) -> tuple[Asked, ...]:
    """A digest's questions, numbered 1 to count, with contribution ids 101, 102, ..."""
    return tuple(Asked(id=100 + n, step_index=step_index, number=n) for n in range(1, count + 1))


def test_a_digests_numbers_are_named_as_a_range():
    assert numbers_in_words(asked(1)) == "1"
    assert numbers_in_words(asked(4)) == "1–4"


def records(outcome) -> list[Record]:
    return [effect for effect in outcome.effects if isinstance(effect, Record)]


def test_the_holders_reply_to_a_question_is_an_answer_linked_to_it():
    question = Asked(id=77, step_index=1, number=2)
    reply = says(HOLDER, "Two, on a good night.", replied=RepliedTo(question=question))
    (record,) = records(run(async_step(1), reply))
    assert (record.kind, record.answers, record.text) == ("answer", 77, "Two, on a good night.")


def test_the_holder_answers_by_reply_in_their_own_steps_too():
    """In "what is the problem now?" the holder's words are the reframe, but a reply to a
    question is an answer to it, and leaves the reframe alone."""
    question = Asked(id=77, step_index=1, number=2)
    reply = says(HOLDER, "The night shift.", replied=RepliedTo(question=question))
    outcome = run(async_step(3), reply)
    (record,) = records(outcome)
    assert (record.kind, record.answers) == ("answer", 77)
    assert outcome.state.reframe is None


def test_the_holders_reply_to_a_digest_with_a_number_answers_that_question():
    reply = says(HOLDER, "Q2: The rota changed.", replied=RepliedTo(digest=asked(3)))
    (record,) = records(run(async_step(2), reply))
    assert (record.kind, record.answers, record.text) == ("answer", 102, "The rota changed.")


def test_a_number_the_digest_has_not_gets_one_line_naming_its_numbers():
    state = async_step(2)
    outcome = run(state, says(HOLDER, "5 The rota changed.", replied=RepliedTo(digest=asked(3))))
    assert outcome.state == state and not records(outcome)
    (said,) = outcome.effects
    assert plain_text(said.message) == (
        "That digest has no question 5: its questions are 1–3. Reply to it with the question’s"
        " number first, e.g. “1 …”."
    )


def test_a_reply_to_a_digest_without_a_number_counts_as_the_step_counts_it():
    reply = says(HOLDER, "Thanks, all good questions.", replied=RepliedTo(digest=asked(3)))
    (record,) = records(run(async_step(2), reply))
    assert (record.kind, record.answers) == ("answer", None)
    in_holder_step = run(async_step(3), says(HOLDER, "It is the rota.", replied=RepliedTo()))
    assert [(r.kind, r.answers) for r in records(in_holder_step)] == [("reframe", None)]


def test_replies_by_others_are_recorded_as_ever_without_a_link():
    question = Asked(id=77, step_index=1, number=2)
    reply = says(AMINA, "What else changed?", replied=RepliedTo(question=question))
    (record,) = records(run(async_step(1), reply))
    assert (record.kind, record.answers) == ("question", None)


def test_the_holders_first_words_in_the_commit_step_stay_the_action_even_as_a_reply():
    question = Asked(id=77, step_index=1, number=2)
    state = async_step(EXERCISES["classic"].commit_index)
    outcome = run(
        state, says(HOLDER, "Call the district office", replied=RepliedTo(question=question))
    )
    assert (
        outcome.state.action is not None and outcome.state.action.text == "Call the district office"
    )


def test_the_digest_shows_each_question_answered_since_the_last_one():
    said = (
        Said(kind="question", user_id=3, name="Amina", text="Who decides the rota?"),
        Said(kind="question", user_id=4, name="Bob", text="Since when?"),
        Said(kind="answer", user_id=2, name="Hana", text="The matron.", answers_question=True),
        Said(kind="answer", user_id=2, name="Hana", text="Thanks, all good questions."),
    )
    answered = (
        Answered(step_index=1, number=3, text="Since " + "long " * 60 + "ago"),  # an earlier step
        Answered(step_index=2, number=1, text="The matron."),
        Answered(step_index=2, number=1, text="With the union."),
    )
    text = plain_text(digest(EXERCISES["classic"], 2, said, answered))
    lines = text.splitlines()
    assert lines[1:3] == ["1. Who decides the rota? (Amina)", "2. Since when? (Bob)"]
    assert lines[3].startswith("✅ Step 2 · Q3 answered: Since long long")
    assert lines[3].endswith("…") and len(lines[3]) < 240  # cut like questions are
    assert lines[4] == "✅ Q1 answered: The matron. / With the union."
    # the linked answer is its ✅ line, not a second one; a free answer is quoted
    assert lines[5:] == ["💬 Thanks, all good questions. (Hana)"]


def test_a_questions_number_in_the_digest_is_its_rank_in_its_step():
    """Every question counts for the numbering, even one shown without words: the number is
    the one storage derives (its rank among the step's questions)."""
    said = (
        Said(kind="question", user_id=3, name="Amina", text=""),
        Said(kind="comment", user_id=4, name="Bob", text="Hm."),
        Said(kind="question", user_id=4, name="Bob", text="Who decides?"),
    )
    text = plain_text(digest(EXERCISES["classic"], 1, said))
    assert "2. Who decides? (Bob)" in text and "1." not in text


def test_a_digest_takes_the_answers_given_until_it_and_later_ones_wait_for_the_next():
    state = async_step(1).model_copy(update={"digest_answers_from": 0})
    answered = (Answered(step_index=1, number=1, text="The matron."),)
    said = (Said(kind="question", user_id=BOB.user_id, name="Bob", text="Who decides?"),)
    ctx = context(now=NOW + DAY, step_said=said, step_answers=answered)
    outcome = run(state, TimerFired(kind="end", step_index=1), ctx=ctx)
    first = next(e for e in outcome.effects if isinstance(e, Say))
    assert first.digest_step == 1
    assert "✅ Q1 answered: The matron." in plain_text(first.message)
    assert outcome.state.digest_answers_from == 2
