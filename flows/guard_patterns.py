"""Regex sources of the questions-only guard by role, gathered from each language's grammar.

Every source is matched against normalised text (see flows.guard.normalise): casefolded,
accents and harakat stripped, hyphens turned into spaces, apostrophes made ASCII, Arabic letter
variants folded. flows.guard folds the sources the same way before compiling them, so French
and Arabic may be written naturally in the grammars.
"""

from flows import guard_ar, guard_en, guard_fr

GRAMMARS = (guard_en, guard_fr, guard_ar)


def _gather(role: str) -> list[str]:
    """One role's sources from every language, in the order of GRAMMARS."""
    return [source for grammar in GRAMMARS for source in getattr(grammar, role)]


# Advice whatever the shape of the sentence around it.
ADVICE_ANYWHERE = _gather("ADVICE_ANYWHERE")
# Advice unless its clause opens (or ends) with an open interrogative, matched per clause with
# leading fillers removed ("^" is the start of the clause).
ADVICE_UNLESS_OPEN = _gather("ADVICE_UNLESS_OPEN")
# The asker supplies their own answer ("Is it because …?").
BECAUSE_ANYWHERE = _gather("BECAUSE_ANYWHERE")
# "Because of X" names a topic after an open question, but is a hypothesis otherwise.
BECAUSE_UNLESS_OPEN = _gather("BECAUSE_UNLESS_OPEN")
# Open interrogatives: they start a fair question and shield the clause from modal forms.
OPEN_START = _gather("OPEN_START")
# Openers that shield a clause without asking ("When you say you should …").
SHIELD_START = _gather("SHIELD_START")
# Closed (yes/no) interrogatives: they make a question without "?", but shield nothing.
CLOSED_START = _gather("CLOSED_START")
# Open prompts that invite the holder to talk, with or without "?".
PROMPT_START = _gather("PROMPT_START")
# An interrogative left in place: "Tu as essayé quoi ?", "جربت ايش؟".
OPEN_IN_CLAUSE = _gather("OPEN_IN_CLAUSE")
# What starts a further question inside one sentence ("…, who noticed, and what was done?").
QUESTION_CLAUSE = _gather("QUESTION_CLAUSE")
# Politeness dropped before matching ("please", "stp", "لو سمحت").
POLITE = r"(?<!\w)(?:" + "|".join(_gather("POLITE")) + r")(?!\w)"
# Where one sentence may hold two questions: a comma, or a word that joins clauses.
SEGMENT_BREAK = [",", *_gather("COORDINATOR")]
# Words that may precede a question without changing it: "So what did you try".
FILLER = "(?:" + "|".join(_gather("FILLER")) + ")"
# A question continuing the previous one ("Was it the manager? Or the team?").
CONTINUATION = "(?:" + "|".join(_gather("CONTINUATION")) + r")(?!\w)"
