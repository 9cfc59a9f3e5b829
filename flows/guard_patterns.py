"""Regex sources of the questions-only guard by role, gathered from each language's grammar.

Every source is matched against normalised text (see flows.guard.normalise): casefolded,
accents and harakat stripped, hyphens turned into spaces, apostrophes made ASCII, Arabic letter
variants folded. flows.guard folds the sources the same way before compiling them, so French
and Arabic may be written naturally in the grammars.
"""

from flows import guard_ar, guard_en, guard_fr

GRAMMARS = (guard_en, guard_fr, guard_ar)
# The roles searched anywhere in a message are also compiled per script: a message without
# Arabic letters skips the Arabic grammar, one without Latin letters English and French.
LATIN = (guard_en, guard_fr)
ARABIC = (guard_ar,)
SEARCHED = ("ADVICE_ANYWHERE", "ADVICE_UNLESS_OPEN", "BECAUSE_ANYWHERE", "BECAUSE_UNLESS_OPEN")


def sources(role: str, grammars: tuple = GRAMMARS) -> list[str]:
    """One role's sources from the given languages, in their order."""
    return [source for grammar in grammars for source in getattr(grammar, role)]


# Advice whatever the shape of the sentence around it.
ADVICE_ANYWHERE = sources("ADVICE_ANYWHERE")
# Advice unless its clause opens (or ends) with an open interrogative, matched per clause with
# leading fillers removed ("^" is the start of the clause).
ADVICE_UNLESS_OPEN = sources("ADVICE_UNLESS_OPEN")
# The asker supplies their own answer ("Is it because …?").
BECAUSE_ANYWHERE = sources("BECAUSE_ANYWHERE")
# "Because of X" names a topic after an open question, but is a hypothesis otherwise.
BECAUSE_UNLESS_OPEN = sources("BECAUSE_UNLESS_OPEN")
# Open interrogatives: they start a fair question and shield the clause from modal forms.
OPEN_START = sources("OPEN_START")
# Openers that shield a clause without asking ("When you say you should …").
SHIELD_START = sources("SHIELD_START")
# Closed (yes/no) interrogatives: they make a question without "?", but shield nothing.
CLOSED_START = sources("CLOSED_START")
# Open prompts that invite the holder to talk, with or without "?".
PROMPT_START = sources("PROMPT_START")
# An interrogative left in place: "Tu as essayé quoi ?", "جربت ايش؟".
OPEN_IN_CLAUSE = sources("OPEN_IN_CLAUSE")
# What starts a further question inside one sentence ("…, who noticed, and what was done?").
QUESTION_CLAUSE = sources("QUESTION_CLAUSE")
# Politeness dropped before matching ("please", "stp", "لو سمحت").
POLITE = r"(?<!\w)(?:" + "|".join(sources("POLITE")) + r")(?!\w)"
# Where one sentence may hold two questions: a comma, or a word that joins clauses.
SEGMENT_BREAK = [",", *sources("COORDINATOR")]
# Words that may precede a question without changing it: "So what did you try".
FILLER = "(?:" + "|".join(sources("FILLER")) + ")"
# A question continuing the previous one ("Was it the manager? Or the team?").
CONTINUATION = "(?:" + "|".join(sources("CONTINUATION")) + r")(?!\w)"
