"""Questions-only guard: why a message in a question step is not a fair, open question.

Precedence when several reasons apply (the first match wins):
ADVICE > NOT_A_QUESTION > BECAUSE > SEVERAL_QUESTIONS > TOO_LONG.
Advice is the most useful nudge, so it wins even over a missing question mark ("You should rest.").
BECAUSE only makes sense inside a question ("I left because I was tired." is NOT_A_QUESTION).
Each language's grammar (flows.guard_en, guard_fr, guard_ar) applies to every message in its
script: English and French to Latin letters, Arabic to Arabic ones (mixed messages get all three).

Messages without a single letter (emoji, "+1", "?") and bot commands return None: they are
reactions or commands, not contributions to nudge. A sentence without "?" still counts as a
question when it opens with an interrogative ("what did you try", "هل", "est-ce que", "avez-vous"),
holds one in place ("tu as essayé quoi"), or is an open prompt ("tell us more", "احك لنا").
Advice forms that an open interrogative can legitimately govern ("What have you tried?", "Who
should be involved?", "من يجب أن يشارك؟") only fire in clauses that do not open, or end, with one.
Question clauses strung together in one sentence ("When did it start, who noticed, and what was
done?") count as several questions. Politeness ("please", "stp", "لو سمحت") is dropped first.
"""

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from flows import guard_patterns as gp
from flows.guard_regex import LETTER

MAX_QUESTION_CHARS = 300  # a question longer than this (after normalisation) is TOO_LONG
MAX_QUESTION_WORDS = 50  # ... and so is one with more words than this
MAX_ANALYSED_CHARS = 8192  # Telegram caps text at 4096; longer input is cut before analysis


class GuardReason(StrEnum):
    """Why a message breaks the questions-only rule."""

    NOT_A_QUESTION = "not_a_question"
    ADVICE = "advice"
    BECAUSE = "because"
    SEVERAL_QUESTIONS = "several_questions"
    TOO_LONG = "too_long"


_DROPPED = frozenset({"Mn", "Me", "Cf", "Cc", "Cs", "Co", "Cn"})  # marks, controls, unassigned
_ARABIC = str.maketrans({"ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك", "ـ": None})
_APOSTROPHES = str.maketrans(dict.fromkeys("’‘‛ʼʹʻ`´′＇", "'"))
_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys("؟⸮‽", "?"),
        "،": ",",
        "؛": ";",
        "۔": ".",
        **dict.fromkeys("-‐‑‒–—―−﹣", " "),
    }
)


_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")  # the controls str.isspace rejects


def _fold(text: str) -> str:
    """Strip diacritics, harakat and invisible controls; fold Arabic letter variants."""
    if text.isascii():  # most messages: nothing to decompose or fold, only controls to drop
        return _ASCII_CONTROLS.sub("", text)
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if c.isspace() or unicodedata.category(c) not in _DROPPED)
    return kept.translate(_ARABIC)


# A source's opening: any lookbehinds, then \b or (?<!\w).
_WORD_START = re.compile(r"^((?:\(\?<![^()]*\))*)(?:\\b|\(\?<!\\w\))")


def _compile(sources: list[str], anchored: bool = False) -> re.Pattern[str]:
    """Compile regex sources, folded like the text they will meet, into one alternation.

    Unanchored sources that must start a word (\\b or (?<!\\w), after any lookbehinds) share
    one leading \\b: the engine tries them only where a word starts, not at every character
    (about 3x faster). The match found may differ; callers only ask whether there is one.
    """
    folded = [_fold(source) for source in sources]
    if anchored:
        return re.compile("^(?:" + "|".join(f"(?:{source})" for source in folded) + ")")
    at_word, elsewhere = [], []
    for source in folded:
        start = _WORD_START.match(source)
        if start:
            at_word.append(start[1] + source[start.end() :])
        else:
            elsewhere.append(source)
    parts = [r"\b(?:" + "|".join(f"(?:{source})" for source in at_word) + ")"] if at_word else []
    parts += [f"(?:{source})" for source in elsewhere]
    return re.compile("|".join(parts))


class _Searches(NamedTuple):
    """The roles searched anywhere in a message or clause, compiled for some languages."""

    advice_anywhere: re.Pattern[str]
    advice_unless_open: re.Pattern[str]
    because_anywhere: re.Pattern[str]
    because_unless_open: re.Pattern[str]


def _searches(grammars: tuple) -> _Searches:
    """Compile the searched roles of these grammars."""
    return _Searches(*(_compile(gp.sources(role, grammars)) for role in gp.SEARCHED))


_EVERY_SCRIPT = _searches(gp.GRAMMARS)
_LATIN_ONLY = _searches(gp.LATIN)
_ARABIC_ONLY = _searches(gp.ARABIC)
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_LATIN_LETTER = re.compile("[a-z]")
_OPENS = _compile(gp.OPEN_START, anchored=True)
_SHIELDS = _compile(gp.OPEN_START + gp.SHIELD_START, anchored=True)
_ASKS = _compile(gp.OPEN_START + gp.CLOSED_START + gp.PROMPT_START, anchored=True)
_OPEN_IN_CLAUSE = _compile(gp.OPEN_IN_CLAUSE)
_QUESTION_CLAUSE = _compile(gp.QUESTION_CLAUSE, anchored=True)
_SEGMENT_BREAK = re.compile("(" + "|".join(_fold(source) for source in gp.SEGMENT_BREAK) + ")")
_CONTINUES = _compile([gp.CONTINUATION], anchored=True)
_FILLERS = re.compile(_fold(rf"^(?:{gp.FILLER}(?:\s+|$))+"))
_LEADING_JUNK = re.compile(r"^[\W_]+")
_LETTER = re.compile(LETTER)
_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"(?<!\w)@\w+")
_POLITE = re.compile(_fold(gp.POLITE))
_COMMAND = re.compile(r"^\s*/[A-Za-z]")
_CLAUSE_SPLIT = re.compile(r"[?.!;:,\n()\[\]\"«»]+")
_SENTENCE = re.compile(r"([^?.!;:\n]*)([?.!;:\n]+|$)")


@lru_cache(maxsize=64)  # is_reaction and check_question see the same message in turn
def normalise(text: str) -> str:
    """Casefold and fold text for matching: accents, Arabic variants, punctuation, spaces."""
    text = text[:MAX_ANALYSED_CHARS].translate(_APOSTROPHES)
    text = _fold(unicodedata.normalize("NFKC", text).casefold()).translate(_PUNCTUATION)
    text = _POLITE.sub(" ", _MENTION.sub(" ", _URL.sub(" ", text)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _trim(clause: str) -> str:
    """Drop leading punctuation, emoji and filler words ("so", "et", "طيب") from a clause."""
    clause = _LEADING_JUNK.sub("", clause.strip())
    return _FILLERS.sub("", clause).strip()


def _clauses(text: str) -> list[str]:
    """Split normalised text into trimmed clauses at punctuation and line breaks."""
    return [c for c in (_trim(part) for part in _CLAUSE_SPLIT.split(text)) if c]


def _is_open(clause: str) -> bool:
    """Whether a clause is shaped as an open question (opens or ends with an interrogative)."""
    return bool(_SHIELDS.match(clause) or _OPEN_IN_CLAUSE.search(clause))


def _for_script(text: str) -> _Searches:
    """The searches for the scripts a message uses (most use one)."""
    if text.isascii():
        return _LATIN_ONLY
    if not _ARABIC_LETTER.search(text):
        return _LATIN_ONLY
    return _EVERY_SCRIPT if _LATIN_LETTER.search(text) else _ARABIC_ONLY


def _gives_advice(text: str, clauses: list[str], searches: _Searches) -> bool:
    """Whether the message is advice, possibly dressed as a question."""
    if searches.advice_anywhere.search(text):
        return True
    return any(searches.advice_unless_open.search(c) for c in clauses if not _is_open(c))


def _gives_reason(text: str, clauses: list[str], searches: _Searches) -> bool:
    """Whether the asker supplies a reason ("because …") inside the question."""
    if searches.because_anywhere.search(text):
        return True
    return any(searches.because_unless_open.search(c) for c in clauses if not _is_open(c))


def _asks(sentence: str) -> bool:
    """Whether an unpunctuated sentence reads as a question (e.g. "what did you try")."""
    parts = [_trim(part) for part in sentence.split(",")]
    return any(_ASKS.match(part) or _OPEN_IN_CLAUSE.search(part) for part in parts)


def _questions_in(sentence: str) -> int:
    """How many question clauses one sentence strings together ("When did it start, who
    noticed, and what was done"). A lone word first ("How, in practice, …") is not one; a
    "when" clause joined by "and" to a question is one ("Quand ça a commencé et qui …?")."""
    parts = _SEGMENT_BREAK.split(sentence)
    if len(parts) == 1:
        return 0  # one clause: whether it asks is count_questions' question
    segments, breaks = [_trim(part) for part in parts[0::2]], parts[1::2]
    asks = [
        bool(segment)
        and bool(index or " " in segment)
        and bool(_QUESTION_CLAUSE.match(segment) or _OPEN_IN_CLAUSE.search(segment))
        for index, segment in enumerate(segments)
    ]
    for index in range(1, len(segments)):
        if asks[index] and breaks[index - 1] != "," and _SHIELDS.match(segments[index - 1]):
            asks[index - 1] = True
    return sum(asks)


def count_questions(text: str) -> int:
    """Count the questions in normalised text: "?" endings, interrogative sentences, and the
    question clauses a sentence strings together."""
    count = 0
    for body, end in _SENTENCE.findall(text):
        if not _LETTER.search(body):
            continue
        clauses = _questions_in(body)
        if "?" in end:
            if not (count and _CONTINUES.match(_trim(body))):
                count += max(clauses, 1)
        elif clauses or _asks(body):
            count += max(clauses, 1)
    return count


def is_reaction(text: str) -> bool:
    """Whether a message has no words at all (👍, +1, 🙏): a reaction, not a contribution."""
    return not _LETTER.search(normalise(text))


def check_question(text: str) -> GuardReason | None:
    """Return why a message breaks the questions-only rule, or None when it is a fair question."""
    if _COMMAND.match(text):
        return None
    normalised = normalise(text)
    if not _LETTER.search(normalised):
        return None
    clauses = _clauses(normalised)
    searches = _for_script(normalised)
    if _gives_advice(normalised, clauses, searches):
        return GuardReason.ADVICE
    questions = count_questions(normalised)
    if questions == 0:
        return GuardReason.NOT_A_QUESTION
    if _gives_reason(normalised, clauses, searches):
        return GuardReason.BECAUSE
    if questions > 1:
        return GuardReason.SEVERAL_QUESTIONS
    if len(normalised) > MAX_QUESTION_CHARS or len(normalised.split()) > MAX_QUESTION_WORDS:
        return GuardReason.TOO_LONG
    return None
