"""Helpers shared by the guard's grammars (flows.guard_en, flows.guard_fr, flows.guard_ar)."""

LETTER = r"[^\W\d_]"


def not_after(words: str) -> str:
    """Negative lookbehinds: the match must not directly follow one of these words."""
    return "".join(rf"(?<!\b{word} )" for word in words.split())


def either(words: str) -> str:
    """A non-capturing alternation of space-separated words ("_" stands for a space)."""
    return "(?:" + "|".join(word.replace("_", " ") for word in words.split()) + ")"
