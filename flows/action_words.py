"""The holder's own words after an action: "I'll know it worked if…" and "I need…".

Holders speak in lines, not in `what | sign | help`. A line that opens with how they will know
it worked is the action's success sign; one that opens with what they need is the help needed.
Each pattern reads the opening frame of a sentence in one language (a leading "and" allowed)
and keeps what follows it as the holder said it.
"""

from __future__ import annotations

import re
from typing import Literal

FollowOn = Literal["success_sign", "help_needed"]

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_AND = r"(?:(?:and|so|but|et|mais)\s+|و\s*)?"

PATTERNS: tuple[tuple[FollowOn, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(_AND + pattern + r"\s*[:,،-]?\s*(?P<rest>\S.*)$", re.IGNORECASE | re.DOTALL))
    for kind, pattern in (
        # English
        (
            "success_sign",
            r"(?:i|we)\s*(?:'ll|will|would|'d|shall)\s+know"
            r"(?:\s+(?:it|this|that)(?:'s|\s+has|\s+is)?\s+(?:worked|works|working|done))?"
            r"(?:\s+(?:if|when|once|because|by))?",
        ),
        ("success_sign", r"(?:it|this)\s*(?:'ll|will)?\s+(?:have\s+)?work(?:ed|s)?\s+(?:if|when)"),
        ("success_sign", r"success\s+(?:is|means|will\s+be)"),
        (
            "help_needed",
            r"(?:i|we)\s*(?:'ll|will|would|'d)?\s+need(?:\s+(?:some\s+)?help)?(?:\s+(?:from|with))?",
        ),
        ("help_needed", r"(?:the\s+)?help\s+i\s+need\s+(?:is)?"),
        # French
        (
            "success_sign",
            r"(?:je|on|nous)\s+(?:le\s+)?saur(?:ai|a|ons)"
            r"(?:\s+que\s+(?:ça|ca|cela|c'est)\s+(?:a\s+)?(?:marché|marche|fonctionné|réussi))?"
            r"(?:\s+(?:si|quand|lorsque|parce\s+que|que))?",
        ),
        ("success_sign", r"(?:ça|ca|cela)\s+aura\s+(?:marché|fonctionné|réussi)\s+si"),
        (
            "help_needed",
            r"(?:j'ai|j'aurai|nous\s+avons|on\s+a|on\s+aura)\s+besoin(?:\s+d'aide)?"
            r"(?:\s+(?:de|du|des|d'))?",
        ),
        ("help_needed", r"il\s+me\s+(?:faut|faudra|faudrait)"),
        # Arabic (with or without hamza)
        (
            "success_sign",
            r"(?:س[أا]عرف|سنعرف|س[أا]علم|سنعلم)"
            r"(?:\s+[أا]ن(?:ه|ها)?\s+(?:نجح|نجحت|نجحنا|نجحت الخطة))?"
            r"(?:\s+(?:إذا|اذا|عندما|حين|لو|[أا]ن))?",
        ),
        (
            "help_needed",
            r"(?:[أا]حتاج|س[أا]حتاج|نحتاج|سنحتاج|(?:[أا]نا\s+)?بحاجة)(?:\s+(?:إلى|الى|ل))?",
        ),
    )
)


def follow_on(line: str) -> tuple[FollowOn, str] | None:
    """What a line of the holder adds to their action, with the words that say it; or None."""
    text = line.strip().translate(APOSTROPHES)
    for kind, pattern in PATTERNS:
        found = pattern.match(text)
        if found:
            return kind, found.group("rest").strip()
    return None
