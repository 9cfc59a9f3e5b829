"""French grammar of the questions-only guard: word classes, then the forms built from them.

Sources are unaccented (the guard folds accents away). Advice shapes: a negated modal or
conditional, with or without the "ne" chat drops ("Ne pourriez-vous pas…?", "Tu pourrais pas…?",
"Ça aiderait pas ?"), "c'est pas / n'est-il pas" before a proposal, a suggestion frame followed
by an infinitive or an indefinite thing ("Que diriez-vous d'un…?", not "… de la situation ?"),
"vous devriez / il faudrait", a perfect that names the missing step ("Avez-vous essayé…?",
"Tu en as parlé à…?"), and the asker's own plan ("À ta place…", "Moi je commencerais…").
"""

from flows.guard_regex import LETTER, either, not_after

# --- word classes -----------------------------------------------------------------------------
_MODAL = either(
    "peux peut pouvez pouvons peuvent pourrais pourrait pourriez pourrions pourraient dois doit "
    "devez devons doivent devrais devrait devriez devrions devraient faut faudrait vaut vaudrait"
)
_CONDITIONAL = r"\w{2,}(?:rais|rait|riez|raient)"
_SUBJECT_PRONOUN = either("il elle ils elles on vous tu nous")
_MENTAL = r"(?:(?:te |vous |t'|s')?(?:sens|sent|pens|veu|voul|aim|crois|croy|sai|sav|compren))"
# "Pourquoi tu ne peux pas en parler ?" explores a constraint, as "why can't you" does.
_ABLE = r"(?:peu|pouv|arriv|sai|sav|doi|dev)"
# "C'est pas facile ?" is empathy, not a proposal.
_AFFECT = either(
    "dur difficile facile evident simple grave drole juste normal possible la_peine fatigant "
    "epuisant stressant frustrant lourd genial top terrible fou"
)
# What follows "de" in a suggestion frame when it proposes: an infinitive or something new.
_PROPOSAL = (
    r"(?:un|une|des)\b|(?!(?:votre|notre|leur|vos|nos|ton|ta|tes|son|sa|ses|cette|ce|cet|ces"
    r"|la|le|les|autre)\b)\w+(?:er|ir|re|oir)\b"
)
_SUGGESTION_FRAME = (
    r"(?:que|qu'est ce que) (?:diriez vous|dirais tu|penses tu|pensez vous|penserais tu"
    r"|penseriez vous|(?:tu|vous) (?:dirais|diriez|penses|pensez|penserais|penseriez))"
)
_HAVE_YOU = (
    r"(?:(?:en |lui |leur |y )?(?:avez vous|as tu|aviez vous|avais tu)|(?:vous|tu) (?:en |lui "
    r"|leur |y )?(?:avez|as|aviez|avais)|t'as|t'en as|t'y as)"
)
_STEP_TAKEN = (
    r"(?:essaye|essayer|tente|envisage|considere|(?:pense|songe|reflechi) (?:a|au|aux|de|d')"
    r"|parle|demande|appele|contacte|consulte|ecrit|informe|prevenu|implique|sollicite|checke"
    r"|verifie|rencontre|regarde (?:du cote|de pres|dans))"
)
_MODAL_GUARD = not_after("si chose choses quelqu'un") + r"(?<!\best ce que )"
# First person ("je ne peux pas") speaks about the asker, not to the holder.
_NOT_FIRST_PERSON = r"(?<!\bje )(?<!\bj')(?<!\bne )(?<!\bn')"
_AUX = (
    r"(?:(?:est|es|sont|etait|etaient|avez|aviez|as|avais|a t|allez|vas|va|ont|comptez|comptes"
    r"|pensez|penses|pourriez|pourrais|pourrait|peut|peux|pouvez|faut|faudrait|se|en)\b|s')"
)
_INVERTED = (
    r"(?:avez|aviez|auriez|as|avais|aurais|etes|etiez|es|est|etait|serait|seriez|serais|sont"
    r"|seront|pouvez|pourriez|peux|pourrais|peut|pourrait|voulez|veux|voudriez|voudrais|savez"
    r"|sais|sait|faut|faudrait|allez|vas|va|pensez|penses|croyez|crois|devez|dois|doit|devriez"
    r"|devrais|comptez|comptes|connaissez|connais|faites|fais|fait|ont|vont|font|avons|sommes"
    r"|pouvons|devons|aimeriez|aimerais|trouvez|trouves|voyez|vois|sentez|sens)"
)
_SUBJECT_WORD = either(
    "je tu il elle on nous vous ils elles ca cela ce cet cette ces le la les un une des mon ma "
    "mes ton ta tes son sa ses notre nos votre vos leur leurs"
)
_WH = (
    r"(?:qu'|quest\b|qu est\b|que\b|quoi\b|comment\b|pourquoi\b|pk\b|pq\b|qui\b|quel(?:le)?s?\b"
    r"|lequel\b|laquelle\b|lesquel(?:le)?s\b|combien\b)"
)

# --- forms ------------------------------------------------------------------------------------
ADVICE_ANYWHERE = [
    # Why-not questions propose the thing they ask about.
    r"\bpourquoi ne pas\b",
    rf"\bpourquoi pas (?={LETTER})",  # "Pourquoi pas ?" alone is a fair question
    rf"\bpourquoi (?:tu|vous|toi) (?:ne |n')(?!{_MENTAL}|{_ABLE})",
    rf"\bpourquoi (?:tu |vous |t')(?!{_MENTAL}|{_ABLE})[\w']+ (?:pas|jamais)\b",
    # Negative-polar questions, inverted: "Ne pourriez-vous pas …?", "La pharmacie ne peut-elle
    # pas …?", "N'est-il pas évident que …?".
    rf"\b(?:ne |n')(?:{_MODAL}|{_CONDITIONAL}|est|sont|sera)(?: t)? {_SUBJECT_PRONOUN} pas\b",
    rf"\b(?:ne |n')(?:est|serait|sera) ce pas (?={LETTER})",
    # Leading questions about the holder's opinion.
    r"\b(?:ne |n')(?:pensez|penses|croyez|crois|trouvez|trouves) (?:vous|tu) pas\b",
    r"\b(?:tu|vous) (?:ne |n')?(?:penses|pensez|crois|croyez|trouves|trouvez) pas\b",
    # Suggestion frames followed by a proposal.
    rf"\b{_SUGGESTION_FRAME} (?:de |d')(?:{_PROPOSAL})",
    r"\b(?:ca|cela) (?:te|vous) dirait (?:de|d')",
    r"\bet si (?:tu|vous|toi|on) (?!ne\b|n'|echou|rate|ratiez|perd|refus)(?=\w)",
    r"\b(?:tu|vous) (?:veux|voulez|voudrais|voudriez) (?:essayer|tenter)\b",
    r"\b(?:seriez vous|serais tu|(?:vous|tu) (?:seriez|serais)|etes vous|es tu) (?:pret|partant"
    r"|ouvert|d'accord|dispose)e?s? (?:a|pour)\b",
    r"\b(?:il )?(?:n')?y (?:a|aurait) pas moyen\b",
    r"\b(?:le|la) (?:plus simple|plus facile|plus logique|plus rapide|mieux|meilleure solution"
    r"|seule solution|meilleure chose)\b,? (?:ce (?:ne )?serait|serait|c'est|ce n'est|est)\b",
    r"(?<![\w'] )(?<!\w)et (?:un|une|des) (?=\w)",  # "Et une réunion hebdo ?"
    # The asker's own plan.
    r"\b(?:a|en) (?:votre|ta) place\b",
    r"\bsi j'etais (?:toi|vous|a ta place|a votre place)\b",
    r"\bsi c'etait moi\b",
    r"\bje (?:vous |te |t')?(?:conseille|suggere|recommande|propose)\b",
    r"\b(?:mon conseil|ma suggestion|ma recommandation)\b",
    r"\b(?:moi )?(?:je |j')(?!(?:voudrais|aimerais|souhaiterais|serais|pourrais|aurais|saurais"
    rf"|adorerais)\b){_CONDITIONAL}\b",
    r"\b(?:tu|vous) (?:aurais|auriez) du \w+(?:er|ir|re|oir)\b",
    r"\b(?:tu|vous) (?:ferais|feriez) mieux\b",
]

ADVICE_UNLESS_OPEN = [
    # Negative-polar questions as chat types them, "ne" often dropped: "Tu pourrais pas …?",
    # "Vous ne pouvez pas simplement …?", "Ça aiderait pas ?".
    rf"{_NOT_FIRST_PERSON}\b(?:ne |n')?(?:{_MODAL}|{_CONDITIONAL})(?: t)?(?: (?:il|elle|ils"
    r"|elles|on))? pas\b",
    rf"^(?:c'est|cest|ce n'est|c'etait|ce n'etait) pas (?!(?:(?:trop|si|tres|assez|vraiment"
    rf"|un peu) )?{_AFFECT}\b)(?={LETTER})",
    # A perfect that names the step not yet taken.
    rf"\b{_HAVE_YOU}(?: deja| pas| bien| seulement| meme| peut etre| jamais)? {_STEP_TAKEN}",
    # "Vous" with a modal; "Vous pourriez nous en dire plus ?" is a request, not a suggestion.
    rf"{_MODAL_GUARD}\b(?:vous devriez|tu devrais|vous devez|tu dois)\b",
    rf"{_MODAL_GUARD}\b(?:vous pourriez|tu pourrais)\b(?! (?:nous|me|m'|en dire|preciser"
    r"|developper|clarifier|detailler))",
    r"\b(?:vous pouvez|tu peux|vous pourriez|tu pourrais) (?:juste|simplement|toujours"
    r"|essayer|tenter)\b",
    # An impersonal judgement of the asker's idea.
    r"\b(?:il )?faudrait\b",
    r"\b(?:il )?faut (?:que\b|qu'|juste|simplement|peut etre|d'abord|absolument)",
    r"\b(?:il )?(?:vaut|vaudrait) mieux\b",
    r"\bmieux vaut\b",
    r"\bil serait (?:mieux|preferable|bon|judicieux|utile|sage|bien|interessant) (?:de\b|d'|que)",
    r"\b(?:ce|ca) serait (?:mieux|bien|bon|utile|preferable|une bonne idee) (?:de\b|d'|que)",
    rf"\b(?:ca|cela) {_CONDITIONAL} (?:peut etre |vraiment )?(?:le coup |la peine )?"
    r"(?:de\b|d'|si\b|s')",
    r"\b(?:il )?(?:suffit|suffirait) (?:de\b|d')",
    r"\b(?:tu n'as|vous n'avez|t'as|tu as|vous avez) qu'a\b",
    r"^(?:essayez|essaie|essaye|essayer|tentez|tente|envisagez|(?:pensez|pense) a)\b",
]

_SUBJECT = (
    r"(?:(?:je|tu|il|elle|ils|elles|nous|vous|ce|ca|cela|le|la|les|leur|leurs|mon|ma|mes|ton"
    r"|ta|tes|son|sa|ses|votre|vos|notre|nos|personne|rien|sinon|si)\b|j'|c'|l'|qu'|s'|n'"
    r"|on (?:ne\b|n'|est\b|doit\b|peut\b|sait\b|va\b|fait\b|dit\b|se\b|s'|les\b|le\b|l'|y\b))"
)

BECAUSE_ANYWHERE = [
    r"\bparce (?:que\b|qu')",
    r"\b(?:parceque\b|parcequ'|pcq\b|psk\b|pck\b|paske\b|pasque\b)",
    r"\bpuisqu(?:e\b|')",
    r"\bvu qu(?:e\b|')",
    r"\betant donne qu(?:e\b|')",
    rf"\bcar {_SUBJECT}",  # "car" only as a conjunction, never the English noun
]

BECAUSE_UNLESS_OPEN = [r"\ba cause (?:de\b|du\b|des\b|d')"]

OPEN_START = [
    _WH,
    rf"(?:quand|ou) {_AUX}",
    rf"quand (?!(?:{_SUBJECT_WORD}|meme)\b|[jcl]')(?={LETTER})",  # "Quand devrait avoir lieu …"
    r"(?:a|de|en|pour|par|avec|dans|sur|vers|chez|depuis) (?:quoi|qui|quel(?:le)?s?|combien"
    r"|lequel|laquelle|quand)\b",
    r"(?:d'|par |jusqu')ou\b",
    r"(?:c'est|cest|c|c'etait) (?:quoi|qui|quand|ou|comment|combien)\b",
]

SHIELD_START = [r"(?:quand|lorsque|lorsqu')\b"]

CLOSED_START = [
    r"est ce\b",
    rf"{_INVERTED} (?:t )?(?:vous|tu|il|elle|ils|elles|on|je|nous)\b",
    r"(?:y )?a t (?:il|elle|on)\b",
]

PROMPT_START = [
    r"(?:dites|dis|racontez|raconte|parlez|parle|decrivez|decris|expliquez|explique|precisez"
    r"|precise) (?:nous|moi|en)\b",
    r"(?:dites|dis|racontez|raconte|expliquez|explique) m'",
    r"(?:racontez|raconte|decrivez|decris)\b",
    r"(?:je me demande|je suis curieu(?:x|se)|curieu(?:x|se) de savoir)\b",
    r"(?:j'aimerais|je voudrais|je veux) (?:savoir|comprendre|entendre)\b",
]

# "Quoi" and "quel" are interrogative wherever they stand ("T'as ressenti quoi quand …?",
# "L'équipe fait quelle taille ?"); the others only at the end ("Ça s'est passé comment ?").
OPEN_IN_CLAUSE = [
    r"\b(?:quoi\b(?! qu)|quel(?:le)?s?\b)",
    r"(?:^|\s)(?:comment|ou|quand|pourquoi|qui|lequel|laquelle|combien)\s*$",
]

QUESTION_CLAUSE = [*OPEN_START, r"(?:quand|ou)$", r"est ce\b"]

FILLER = [
    "et", "alors", "donc", "mais", "bon", "bref", "ben", "euh+", "aussi", "puis", "ensuite",
    "merci", "salut", "bonjour", "oui", "d'accord", "selon toi", "selon vous", "d'apres toi",
    "d'apres vous", "a ton avis", "a votre avis", "par curiosite", "juste par curiosite",
    "franchement",
]  # fmt: skip

POLITE = ["stp", "svp", "s'il te plait", "s'il vous plait", "sil te plait", "sil vous plait"]

COORDINATOR = [r"\s(?:et|mais)\s"]

CONTINUATION = ["ou"]
