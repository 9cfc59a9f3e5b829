"""Open questions built from a member's own words, for the nudge that follows advice.

"Have you tried calling them weekly?" becomes "What have you tried so far with them?";
"Couldn't you ask the nurses…?" becomes "What role could the nurses play?". Rules match the
folded words (see flows.guard.normalise); the person is then quoted as the member wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.guard import normalise
from flows.text import Msg, msg

MAX_WORDS = 60  # longer messages get the step's stem instead


@dataclass(frozen=True, slots=True)
class Rewrite:
    """An open question in the language the member wrote in."""

    language: str
    question: Msg


@dataclass(frozen=True, slots=True)
class _Words:
    """A message as folded words, each pointing back to the token the member typed."""

    folded: str  # the folded words joined by single spaces
    starts: tuple[int, ...]  # where each folded word starts in `folded`
    tokens: tuple[str, ...]  # the member's token for each folded word

    def original(self, start: int, end: int) -> str:
        """The member's own tokens covering folded[start:end]."""
        first = max(i for i, at in enumerate(self.starts) if at <= start)
        last = max(i for i, at in enumerate(self.starts) if at < end)
        picked = dict.fromkeys(self.tokens[first : last + 1])  # a hyphenated token once
        return " ".join(picked).strip(_EDGE_PUNCTUATION)


_EDGE_PUNCTUATION = "\"'«»“”‘’()[]{}.,;:!?؟،؛…*_~"
_FOLDED_WORD = re.compile(r"[^\W_][\w']*")


def _words(text: str) -> _Words:
    """Fold each token of the message on its own, keeping the token it came from."""
    folded: list[str] = []
    starts: list[int] = []
    tokens: list[str] = []
    at = 0
    for token in text.split():
        for word in _FOLDED_WORD.findall(normalise(token)):
            folded.append(word)
            starts.append(at)
            tokens.append(token.strip(_EDGE_PUNCTUATION))
            at += len(word) + 1
    return _Words(" ".join(folded), tuple(starts), tuple(tokens))


# --- English ----------------------------------------------------------------------------------
_EN_TRIED = re.compile(
    r"\b(?:have|did|had) (?:you|u) (?:ever |already |not |also |even |really )?(?:tried|try"
    r"|thought (?:about|of)|considered|looked into|talked|spoken|asked|told|called|contacted"
    r"|approached|involved|consulted)\b"
)
_EN_DETERMINER = r"(?:the|your|their|our|his|my)"
_EN_STOP = (
    r"(?:to|for|with|about|on|in|at|from|by|directly|first|again|weekly|daily|what|why|how|if"
    r"|and|or|instead|too|more|earlier|now|today|every|each|who|that|this|it|so|because|before"
    r"|after|when|where|yourself|the|a|an|run|do|cover|be|help|take|share|sort|deal|decide)"
)
_EN_OBJECT = (
    rf"(?P<who>them|him|her|{_EN_DETERMINER}(?: (?!{_EN_STOP}\b)[\w']+){{1,3}}"
    r"|(?P<name>[\w']{2,5}))"
)
# Verbs whose object is someone: who to ask, call, involve, or hand something to.
_EN_ASK = re.compile(
    r"\b(?:(?:ask|asking|asked|tell|telling|told|call|calling|called|involve|involving|involved"
    r"|consult|consulting|consulted|contact|contacting|contacted|invite|inviting|invited|email"
    r"|emailing|emailed|phone|phoning|phoned|approach|approaching|approached|train|training"
    r"|trained|let|letting|get|getting|talk|talking|talked|speak|speaking|spoke|spoken|meet"
    r"|met)(?: to| with)?|(?:hand|handing|give|giving|pass|passing|delegate|delegating|escalate"
    r"|escalating|send|sending|take|taking)(?: [\w']+){0,3}? to) " + _EN_OBJECT
)
# After "have you tried", whoever the step was done to: "tried paying them overtime".
_EN_DONE_TO = re.compile(r"\b[\w']+ing(?: to| with)? " + _EN_OBJECT)
_EN_SUBJECT = re.compile(
    r"^(?:(?:so|but|and|ok|okay) )*(?:can'?t|cannot|couldn'?t|shouldn'?t|wouldn'?t|won'?t)"
    rf" (?P<who>{_EN_DETERMINER} [\w']+(?: (?!leave|pay|do|own|send|share|help|order|take|handle"
    r"|sign|cover|fix|be|have|go|run|manage|make|deal|sort|step|ask|call|talk|give|get|let|use"
    r"|work|start|stop|come|organi[sz]e|lead|decide)[\w']+(?= \w))?|(?P<name>[\w']{2,5}))"
    r" (?!not\b)\w"
)
_EN_SUBJECT_PRONOUN = {"them": "they", "him": "he", "her": "she"}


def _english(words: _Words) -> Rewrite | None:
    """An English rewrite: "What have you tried so far with …?" or "What role could … play?"."""
    text = words.folded
    tried = _EN_TRIED.search(text)
    if tried:
        person = _EN_ASK.search(text, tried.start()) or _EN_DONE_TO.search(text, tried.end())
    else:
        person = _EN_ASK.search(text) or _EN_SUBJECT.search(text)
    who = _person(words, person)
    if tried:
        return Rewrite("en", msg("rewrite.tried_with", who=who) if who else msg("rewrite.tried"))
    if who:
        return Rewrite("en", msg("rewrite.role", who=_EN_SUBJECT_PRONOUN.get(who.lower(), who)))
    return None


def _person(words: _Words, found: re.Match[str] | None) -> str | None:
    """The member's words for the person a rule found; a bare word only as an acronym (HR)."""
    if not found:
        return None
    who = words.original(*found.span("who"))
    if found.group("name") is not None and not (who.isupper() and who.isalpha()):
        return None
    return who or None


# --- French -----------------------------------------------------------------------------------
_FR_TRIED = re.compile(
    r"\b(?:(?:en |lui |leur )?(?:avez vous|as tu)|(?:vous|tu) (?:en |lui |leur )?(?:avez|as)"
    r"|t'as|t'en as) (?:deja |pas |bien )?(?:essaye|tente|pense a|envisage|parle|demande"
    r"|appele|contacte|consulte)\b"
)
_FR_VERB = (
    r"(?:demand|parl|appel|impliqu|consult|contact|invit|confi|delegu|ecri|associ|sollicit"
    r"|propos|laiss)\w*"
)
_FR_DETERMINER = r"(?:(?:les|le|la|votre|vos|ton|ta|tes|leurs|leur|mon|ma|mes|son|sa|ses) |l')"
_FR_NOUN = r"[\w']+(?: (?:de |d'|du |des )(?!\w+(?:er|ir|re)\b|abord|ailleurs|accord)[\w']+)?"
_FR_TO = {"au": "le ", "aux": "les ", "a": ""}
# "demander aux infirmières", "confier ça au secrétaire", "impliquer les chefs".
_FR_ASK = re.compile(
    rf"\b{_FR_VERB}(?: (?:ca|cela|[\w']+ [\w']+))?? (?:(?P<to>au|aux|a) (?P<who>"
    rf"{_FR_DETERMINER}?{_FR_NOUN})|(?P<direct>{_FR_DETERMINER}{_FR_NOUN}))\b"
)
_FR_CLITIC = re.compile(rf"\b(?P<clitic>les|leur|lui) {_FR_VERB}")
_FR_PRONOUN = {"les": "eux", "leur": "eux", "lui": "lui"}
_FR_SUBJECT = re.compile(
    rf"^(?P<who>{_FR_DETERMINER}[\w']+(?: [\w']+)?) (?:ne |n')\w+ (?:t )?(?:il|elle|ils|elles)"
    r" pas\b"
)


def _french(words: _Words) -> Rewrite | None:
    """A French rewrite: "Qu'avez-vous déjà essayé avec … ?" or "Quel rôle … ?"."""
    text = words.folded
    tried = _FR_TRIED.search(text)
    after = tried.start() if tried else 0
    who = None
    if asked := _FR_ASK.search(text, after):
        if asked.group("who"):
            who = _FR_TO[asked.group("to")] + words.original(*asked.span("who"))
        else:
            who = words.original(*asked.span("direct"))
    elif clitic := _FR_CLITIC.search(text, after):
        who = _FR_PRONOUN[clitic.group("clitic")]
    elif subject := _FR_SUBJECT.search(text):
        who = words.original(*subject.span("who"))
    if tried:
        return Rewrite("fr", msg("rewrite.tried_with", who=who) if who else msg("rewrite.tried"))
    return Rewrite("fr", msg("rewrite.role", who=_lower_first(who))) if who else None


def _lower_first(words: str) -> str:
    """ "Le service régional" in mid-sentence: "le service régional"."""
    return words[:1].lower() + words[1:] if words[:2].istitle() else words


# --- Arabic -----------------------------------------------------------------------------------
_AR_TRIED = re.compile(r"(?<!\w)(?:جربت|حاولت|فكرت|تحدثت|تكلمت|حكيت|سالت)\w*")
_AR_PREPOSITION = r"(?:مع|من|الى|على|في|عن|ب)(?!\w)"
_AR_NOUN = rf"(?:ال\w+|(?!{_AR_PREPOSITION})\w+ ال\w+)(?: ال\w+)?"
_AR_SKIP = rf"(?: (?!{_AR_PREPOSITION})\w+){{0,2}}?"
# Someone asked ("تسأل الممرضات"), asked of or spoken with ("تطلب من الممرضات", "تحكي مع
# المختار"), or handed something ("تعطيها للكاتب").
_AR_ASK = re.compile(
    rf"(?<!\w)\w*(?:سال|كلم|ستشير|شرك)\w* (?P<asked>{_AR_NOUN})(?!\w)"
    rf"|(?<!\w)\w*(?:سال|طلب|تحدث|حكي|تكلم|اتصل|كلم)\w*{_AR_SKIP} (?:مع|من|الى) (?P<who>{_AR_NOUN})"
    r"(?!\w)"
    rf"|(?<!\w)\w*اتصل\w* (?P<called>بال\w+)(?!\w)"
    rf"|(?<!\w)\w*(?:سلم|عطي|عط|ترك|خلي|بعت|رسل)\w*{_AR_SKIP} (?P<joined>لل\w+)(?!\w)"
)
_AR_SUBJECT = re.compile(r"^[وف]?(?:الا|الن) (?:يستطيع|يمكن|يجب|ينبغي) (?P<who>(?:لل|ال)\w+)")


def _arabic(words: _Words) -> Rewrite | None:
    """An Arabic rewrite: "ما الذي جربته حتى الآن مع …؟" or "برأيك، ما دور … في هذا؟"."""
    text = words.folded
    tried = _AR_TRIED.search(text)
    found = _AR_SUBJECT.search(text) or _AR_ASK.search(text, tried.start() if tried else 0)
    who = None
    if found:
        group = next(name for name, value in found.groupdict().items() if value)
        who = _arabic_person(words.original(*found.span(group)))
    if tried:
        return Rewrite("ar", msg("rewrite.tried_with", who=who) if who else msg("rewrite.tried"))
    return Rewrite("ar", msg("rewrite.role", who=who)) if who else None


def _arabic_person(word: str) -> str:
    """The noun without a joined preposition: "للسائقين" is "السائقين", "بالمدير" "المدير"."""
    if word.startswith("لل"):
        return "ال" + word[2:]
    if word[:1] in "بولفك" and word[1:3] == "ال":
        return word[1:]
    return word


def open_rewrite(text: str) -> Rewrite | None:
    """An open question built from the member's own words, when the form of their advice allows."""
    words = _words(text)
    if not words.folded or len(words.tokens) > MAX_WORDS:
        return None
    for rewrite in (_english, _french, _arabic):
        found = rewrite(words)
        if found:
            return found
    return None
