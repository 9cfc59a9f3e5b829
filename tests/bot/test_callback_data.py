"""Callback data: each kind of button formats and parses its own data, in the wire format
buttons already posted in chats carry, and nothing else parses."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callback_data import (
    KINDS,
    MAX_BYTES,
    FollowUpButton,
    ForgetChoice,
    LogDetail,
    LogPage,
    SessionButton,
    SetChoice,
    parse_button,
    pattern,
)
from flows.follow_up import DECISION_BUTTONS, OUTCOME_BUTTONS, ActionOutcome, Decision

# Data exactly as the bot wrote it before this module existed (old buttons must keep working).
WIRE = {
    "s:12:topic": SessionButton(12, "topic"),
    "s:12:pick:0": SessionButton(12, "pick", 0),
    "s:12:pick:3": SessionButton(12, "pick", 3),
    "a:7:o:done": FollowUpButton(7, ActionOutcome.DONE),
    "a:7:o:not_yet": FollowUpButton(7, ActionOutcome.NOT_YET),
    "a:7:d:carry": FollowUpButton(7, Decision.CARRY_ON),
    "a:7:d:close": FollowUpButton(7, Decision.CLOSE),
    "l:0": LogPage(0),
    "l:15": LogPage(15),
    "ld:42:0": LogDetail(42, 0),
    "ld:42:15": LogDetail(42, 15),
    "f:1000003:yes": ForgetChoice(1000003, True),
    "f:1000003:no": ForgetChoice(1000003, False),
    "ps:-1002000000001": SetChoice(-1002000000001),
    "ps:-4000000001": SetChoice(-4000000001),
}
FORGED = [
    None,
    "",
    "x",
    ":::",
    "s:",
    "s::",
    "s:abc:topic",
    "s:12:nope",
    "s:12:pick",
    "s:12:pick:",
    "s:12:pick:-1",
    "s:12:pick:²",
    "s:12:pick:١",  # an Arabic-Indic digit: str.isdecimal() says yes, we do not write it
    "s:12:topic:extra",
    "s:012:topic",  # not as we write numbers
    "s:+12:topic",
    "s: 12:topic",
    "a:",
    "a:1",
    "a:1:o:nope",
    "a:1:d:carry_on",  # the enum's name, not its value
    "a:1:o:done:extra",
    "a:-1:o:done",
    "a:1e3:o:done",
    "a:99999999999999999999999999999:o:done",
    "l:",
    "l:-5",
    "l:abc",
    "l:1:2",
    "ld:",
    "ld:42",
    "ld:42:",
    "ld:042:0",
    "ld:42:-5",
    "ld:42:0:extra",
    "ld:-42:0",
    "f:",
    "f:1",
    "f:1:maybe",
    "f:1:YES",
    "ps:",
    "ps:abc",
    "ps:0",
    "ps:-0",
    "ps:--5",
    "ps:-1002000000001:x",
    "\u202es:1:topic",
    "S:1:topic",
]


@pytest.mark.parametrize(("data", "button"), WIRE.items())
def test_the_wire_format_is_the_one_buttons_in_chats_carry(data, button):
    assert button.data == data
    assert type(button).parse(data) == button
    assert parse_button(data) == button


@pytest.mark.parametrize("data", FORGED)
def test_forged_or_malformed_data_parses_to_nothing(data):
    assert parse_button(data) is None
    assert all(kind.parse(data) is None for kind in KINDS)


def test_oversized_data_parses_to_nothing():
    assert parse_button("l:1" + " " * MAX_BYTES) is None
    assert LogPage.parse("l:" + "1" * (MAX_BYTES - 1)) is None  # also too many digits
    assert parse_button("f:1:yes" + "é" * 30) is None


def test_every_flows_button_verb_makes_a_button():
    assert SessionButton.of_verb(4, "topic") == SessionButton(4, "topic")
    for verb in ("pick:0", "pick:2"):  # flows/steps.py pick_buttons
        assert SessionButton.of_verb(4, verb).data == f"s:4:{verb}"
    for button in (*OUTCOME_BUTTONS, *DECISION_BUTTONS):
        assert FollowUpButton.of_verb(9, button.verb).data == f"a:9:{button.verb}"
    with pytest.raises(ValueError):
        SessionButton.of_verb(4, "nope")
    with pytest.raises(ValueError):
        FollowUpButton.of_verb(9, "o:nope")


def test_the_handler_patterns_route_each_kind_and_nothing_else():
    for data, button in WIRE.items():
        matching = [kind for kind in KINDS if re.match(pattern(kind), data)]
        assert matching == [type(button)]


ids = st.integers(0, 10**15 - 1)
chat_ids = st.integers(-(10**15) + 1, 10**15 - 1).filter(lambda n: n != 0)
buttons = st.one_of(
    st.builds(SessionButton, ids, st.just("topic")),
    st.builds(SessionButton, ids, st.just("pick"), ids),
    st.builds(FollowUpButton, ids, st.sampled_from([*ActionOutcome, *Decision])),
    st.builds(LogPage, ids),
    st.builds(LogDetail, ids, ids),
    st.builds(ForgetChoice, ids, st.booleans()),
    st.builds(SetChoice, chat_ids),
)


@given(buttons)
def test_every_button_round_trips_within_telegrams_limit(button):
    assert len(button.data.encode()) <= MAX_BYTES
    assert parse_button(button.data) == button


@given(st.text(max_size=80))
def test_whatever_parses_is_exactly_what_we_write(data):
    button = parse_button(data)
    assert button is None or button.data == data
