"""Regex sources for the questions-only guard (see flows.guard), grouped by role and language.

Every source is matched against normalised text: casefolded, French accents stripped, hyphens
turned into spaces, apostrophes made ASCII, Arabic folded (alef variants, taa marbuta, alef
maqsura, no harakat or tatweel). French is therefore written unaccented here; Arabic may be
written naturally, since flows.guard folds these sources the same way before compiling them.
"""


def _not_after(words: str) -> str:
    """Negative lookbehinds: the match must not directly follow one of these words."""
    return "".join(rf"(?<!\b{word} )" for word in words.split())


LETTER = r"[^\W\d_]"
YOU = r"(?:you guys|you all|y'all|you|u|ya)"
_BETTER = (
    r"(?:better|best|easier|simpler|safer|wiser|smarter|faster|cheaper|good|great|helpful"
    r"|useful|worth (?:it|trying)|a (?:good|better) idea|more (?:effective|efficient|useful)|time)"
)
# "Why don't you feel safe?" asks about the holder's experience, not what they should do.
_MENTAL_EN = (
    r"(?:feel|felt|think|thought|like|liked|want|wanted|trust|trusted|believe|believed|know"
    r"|knew|understand|understood|agree|agreed|care|cared|enjoy|enjoyed|see|saw|have|had"
    r"|remember|wish|mind|need|needed)"
)
_MENTAL_FR = r"(?:(?:te |vous |t'|s')?(?:sens|sent|pens|veu|voul|aim|crois|croy|sai|sav|compren))"
_MENTAL_AR = r"(?:تشعر|تحس|تحب|تريد|تبغي|بدك|تثق|تعرف|تفهم|توافق|تعتقد|تظن)"

# A "you should …" inside a relative or conditional clause is not advice:
# "Is there anything you could try?", "If you need to leave, who covers?".
_EN_MODAL_GUARD = _not_after(
    "do did does would will can could should might may must if when whether unless once "
    "thing things something anything everything nothing else way ways one ones option options "
    "step steps people someone anyone person who which whom idea ideas"
)
_FR_MODAL_GUARD = _not_after("si chose choses quelqu'un") + r"(?<!\best ce que )"
_AR_MODAL_GUARD = "".join(f"(?<!{w} )" for w in ("هل", "شيء", "شي", "اذا", "لو", "اللي", "الذي"))

# Advice whatever the shape of the sentence around it.
ADVICE_ANYWHERE = [
    # English
    rf"\bwhy (?:don'?t|do not|didn'?t|did not|haven'?t|have not|wouldn'?t|won'?t) (?:{YOU}|we) "
    rf"(?!{_MENTAL_EN}\b)(?={LETTER})",
    rf"\bwhy do (?:{YOU}|we) not\b",
    rf"\bwhy not (?=(?:just |simply )?{LETTER})",  # "Why not?" alone is a fair question
    rf"(?<!\bwhy )\b(?:don'?t|do not) {YOU} (?:think|feel|believe|agree|reckon)\b",
    rf"\bdo {YOU} not (?:think|feel|believe|agree)\b",
    rf"\b(?:wouldn'?t|won'?t) {YOU} (?:agree|say|rather|prefer)\b",
    rf"\b(?:shouldn'?t|should not) (?:{YOU}|we)\b",
    rf"\b(?:couldn'?t|can'?t|could not|cannot) (?:{YOU}|we) (?:just|simply|always|try)\b",
    rf"\b(?:could|can) {YOU} (?:just|simply|not just|maybe|perhaps|at least|not)\b(?! (?:tell"
    r"|say|explain|clarify|describe|remind|repeat|confirm|share)\b)",
    rf"\b(?:wouldn'?t|won'?t|isn'?t|ain'?t) (?:it|that|this) (?:be )?{_BETTER}\b",
    rf"\b(?:would|will|is) (?:it|that|this) not (?:be )?{_BETTER}\b",
    r"\b(?:wouldn'?t|won'?t) (?:it|that|this) (?:help|make sense|work|solve|fix)\b",
    r"\bwould (?:it|that|this) not (?:help|make sense|work)\b",
    r"\bif i (?:were|was|had been) (?:you|u|in your (?:shoes|place|position))\b",
    r"\b(?:in|into) your (?:shoes|position),? i\b",
    r"\bif it (?:were|was) me\b",
    r"\b(?:i'?d|i would) (?:just |probably |definitely |personally |really |strongly )?"
    r"(?:suggest|recommend|advise|propose|try|go|talk|speak|call|tell|start|focus|consider"
    r"|push|escalate|contact|involve|bring|hire|organi[sz]e|insist|document)\b",
    r"\bmy (?:advice|suggestion|recommendation|tip|two cents|2 cents)\b",
    r"\bi (?:suggest|recommend|advise|propose)\b",
    r"\blet me suggest\b",
    # "What if you …" is usually a suggestion in disguise; exploring consequences is not.
    rf"\bwhat if (?:{YOU}|we) (?!(?:don'?t|do not|didn'?t|did not|can'?t|cannot|couldn'?t"
    r"|could not|fail|failed|are wrong|were wrong|lose|lost|do nothing|did nothing|say no"
    r"|said no|hadn'?t|had not|aren'?t|weren'?t|won'?t|will not)\b)(?=\w)",
    rf"\bhow about (?:(?:{YOU}|we) (?=\w)|just\b|(?!during|nothing|something|anything"
    r"|everything|morning|evening|funding|training|staffing|meeting|building)\w+ing\b)",
    r"\bwhat about (?:just )?(?:trying|asking|talking|speaking|calling|telling|using|involving"
    r"|inviting|bringing|setting up|starting|stopping|hiring|delegating|escalating|contacting"
    r"|reaching out|organi[sz]ing|giving|getting|letting|sending|moving|changing|offering"
    r"|writing|holding|creating|rotating|reducing|adding)\b",
    r"\bmaybe (?:just )?(?:try|ask|talk|call|consider|speak|tell|use)\b",
    r"\b(?:you'd|you had|you would) better\b",
    # French
    r"\bpourquoi ne pas\b",
    rf"\bpourquoi pas (?={LETTER})",  # "Pourquoi pas ?" alone is a fair question
    rf"\bpourquoi (?:tu|vous|toi) (?:ne |n')(?!{_MENTAL_FR})",
    rf"\bpourquoi (?:tu |vous |t')(?!{_MENTAL_FR})[\w']+ (?:pas|jamais)\b",
    r"\b(?:ne |n')(?:pensez|penses|croyez|crois|trouvez|trouves) (?:vous|tu) pas\b",
    r"\b(?:tu|vous) (?:ne |n')?(?:penses|pensez|crois|croyez|trouves|trouvez) pas\b",
    r"\bne (?:serait|vaudrait|vaut|sera) (?:t )?(?:il|ce) pas\b",
    r"\b(?:ce|ca|cela) (?:ne |n')?(?:serait|sera) (?:t il )?pas (?:mieux|plus|preferable|bien"
    r"|une bonne idee|judicieux)\b",
    r"\bn'est (?:il|ce) pas (?:mieux|preferable|plus simple|temps)\b",
    r"\bne (?:devriez vous|devrais tu|pourriez vous|pourrais tu|pouvez vous|peux tu) pas\b",
    r"\bet si (?:tu|vous|toi|on) (?!ne\b|n'|echou|rate|ratiez|perd|refus)(?=\w)",
    r"\b(?:a|en) (?:votre|ta) place\b",
    r"\bsi j'etais (?:toi|vous|a ta place|a votre place)\b",
    r"\bsi c'etait moi\b",
    r"\bje (?:vous |te |t')?(?:conseille|suggere|recommande|propose)\b",
    r"\b(?:mon conseil|ma suggestion|ma recommandation)\b",
    r"\bque (?:diriez vous|dirais tu) (?:de |d')(?!votre|notre|leur)\w+(?:er|ir|re|oir)\b",
    r"\b(?:ca|cela) (?:te|vous) dirait (?:de|d')",
    r"\b(?:tu|vous) (?:aurais|auriez) du \w+(?:er|ir|re|oir)\b",
    r"\b(?:tu|vous) (?:ferais|feriez) mieux\b",
    # Arabic
    rf"(?<!\w)[وف]?(?:لماذا|ليش|ليه|علاش|لم) (?:لا|لم|ما|مش|ماش) "
    rf"(?!ي|{_MENTAL_AR}|في|فيه|فيش|عند|حدا|حد|أحد|توجد|كان|هناك)(?=\w)",
    r"(?<!\w)[وف]?(?:ألا|أما) (?:تعتقد|تظن|ترى|تشعر|تجد|تعتقدين|تظنين|تعتقدون|تظنون|ترون)",
    r"(?<!\w)(?:مش|مو|موش) (?:شايف|شايفة|شايفين|حاسس|حاسة) (?:إن|انو|أنه|ان)(?!\w)",
    r"(?<!\w)ما (?:بتعتقد|بتظن|بتفكر|بتشوف)\w* (?:إن|انو|أنه|أن)(?!\w)",
    r"(?<!\w)[وف]?(?:ما|شو|ايش|وش) رأي(?:ك|كم|كي|كما) (?:في |ب)?(?:أن|أنك|أنكم|لو)(?!\w)",
    r"(?<!\w)[وف]?(?:شو|ايش|وش) رأي(?:ك|كم|كي) ت\w+",
    r"(?<!\w)[وف]?أليس (?:من )?(?:الأفضل|الأحسن|الأسهل|الأنسب|الأجدر|الأولى|أفضل|أحسن|أسهل)",
    r"(?<!\w)[وف]?(?:ألن|ألا|أما) (?:يكون|يكن|يصير|كان) (?:من )?(?:الأفضل|الأحسن|أفضل|أحسن)",
    r"(?<!\w)(?:مش|مو|موش|ماشي) (?:أحسن|الأحسن|أفضل|الأفضل|أسهل)(?!\w)",
    r"(?<!\w)ما (?:يكون|بيكون) (?:أحسن|أفضل)(?!\w)",
    r"(?<!\w)لو (?:كنت |كنتي )?(?:أنا |انا |اني )?(?:ب|في )?(?:مكانك|محلك|مكانكم|محلكم)(?!\w)",
    r"(?<!\w)(?:أنا|انا|اني) (?:ب|في )?(?:مكانك|محلك)(?!\w)",
    r"(?<!\w)[وف]?أنصح\w*",
    r"(?<!\w)(?:نصيحتي|اقتراحي)(?!\w)",
    r"(?<!\w)أقترح (?:عليك|عليكم|عليكي)(?!\w)",
    r"(?<!\w)[وف]?(?:ماذا|شو|ايش|وش) لو (?!(?:لم|ما|فشل\w*|رفض\w*)(?!\w))(?=\w)",
    r"(?<!\w)[وف]?(?:ألم|أولم) (?:تجرب|تفكر|تحاول)\w*",
    r"(?<!\w)[وف]?هل (?:\w+ ){0,2}?(?:جربت|فكرت|حاولت|أخذت (?:في|بعين) الاعتبار)\w*",
]

# Advice unless its clause opens (or ends) with an open interrogative: "Have you tried X?" is
# advice, "What have you tried?" and "Tu as essayé quoi ?" are fair. Matched per clause, with
# leading fillers removed, so "^" means the start of the clause.
ADVICE_UNLESS_OPEN = [
    # English
    rf"\b(?:have|did|had) {YOU} (?:ever |already |not |also |even |really )?(?:tried|try"
    r"|considered|consider|thought (?:about|of)|think (?:about|of)|looked into|look into"
    r"|explored|explore)\b",
    rf"{_EN_MODAL_GUARD}\b{YOU} (?:should|shouldn'?t|ought to|need to|must(?! (?:be|have|feel"
    r"|know)\b)|have to|gotta|got to|could(?! (?:not|see|hear|feel|tell|sense|notice|only"
    r"|barely|hardly|never|have|be)\b)|can (?:just|always|also|simply|try)|might (?:want|wish"
    r"|consider|try|need)|may (?:want|wish|need)|'d be better|would be better|would do well)\b",
    rf"\b(?:would|could|can|will) {YOU} (?:consider|try|think about|be willing|be open|agree to)\b"
    r"(?! (?:it|that|this|yourself|them|him|her)\b)",
    rf"\bwould (?:it|that|this) (?:not )?be {_BETTER}\b",
    r"\bwould (?:it|that|this) (?:not )?(?:help|make sense|work) (?:to|if)\b",
    r"\bit (?:might|may|could|would|will|'d|'ll) be (?:worth|good|better|best|helpful|useful"
    r"|wise|smart|a good idea)\b",
    r"\b(?:it'?s|it is) (?:worth|better|best|a good idea|wise) (?:to|if)\b",
    r"\bthe best (?:thing|way|option|approach|solution) (?:is|would be|will be|might be) to\b",
    r"^(?:maybe |perhaps |just )?(?:try|consider)\b",
    r"^(?:just|simply) (?:ask|tell|call|talk|go|say|do|send|use|get|stop|let)\b",
    # French
    r"\b(?:avez vous|as tu|vous avez|tu as|t'as|aviez vous|avais tu|vous aviez|tu avais)"
    r"(?: deja| pas| bien| seulement| meme| peut etre| jamais)? (?:essaye|essayer|tente"
    r"|envisage|considere|(?:pense|songe|reflechi) (?:a|au|aux|de|d'))",
    rf"{_FR_MODAL_GUARD}\b(?:vous devriez|tu devrais|vous devez|tu dois)\b",
    # "Vous pourriez nous en dire plus ?" is a request to the holder, not a suggestion.
    rf"{_FR_MODAL_GUARD}\b(?:vous pourriez|tu pourrais)\b(?! (?:nous|me|m'|en dire|preciser"
    r"|developper|clarifier|detailler))",
    r"\b(?:il )?faudrait\b",
    r"\b(?:il )?faut (?:que\b|qu'|juste|simplement|peut etre|d'abord|absolument)",
    r"\b(?:vous pouvez|tu peux|vous pourriez|tu pourrais) (?:juste|simplement|toujours"
    r"|essayer|tenter)\b",
    r"\b(?:il )?(?:vaut|vaudrait) mieux\b",
    r"\bmieux vaut\b",
    r"\bil serait (?:mieux|preferable|bon|judicieux|utile|sage|bien|interessant) (?:de\b|d'|que)",
    r"\b(?:ce|ca) serait (?:mieux|bien|bon|utile|preferable|une bonne idee) (?:de\b|d'|que)",
    r"\b(?:il )?(?:suffit|suffirait) (?:de\b|d')",
    r"\b(?:tu n'as|vous n'avez|t'as|tu as|vous avez) qu'a\b",
    r"^(?:essayez|essaie|essaye|essayer|tentez|tente|envisagez|(?:pensez|pense) a)\b",
    # Arabic
    r"^(?:ما |مش |ما كنت )?(?:جربت|حاولت)\w*",
    r"^ما فكرت\w*",
    rf"{_AR_MODAL_GUARD}(?<!\w)(?:يجب|ينبغي|يلزمك|يتوجب|يتعين|لازم|لازمك|لازمكم|المفروض|مفروض"
    r"|لابد|لا بد|يستحسن|خاصك|خصك|خاصكم|خصكم)(?!\w)",
    r"(?<!\w)(?:عليك|عليكم|عليكي) (?:أن|بال)",
    r"(?<!\w)(?:من )?(?:الأفضل|الأحسن) (?:أن|أنك|أنكم|لو)(?!\w)",
    r"(?<!\w)من (?:الأفضل|الأحسن|الأسهل|المفيد|الضروري|الأجدر)(?!\w)",
    r"^(?:أنا )?(?:أقترح|أنصح)(?!\w)",
]

_FR_SUBJECT = (
    r"(?:(?:je|tu|il|elle|ils|elles|nous|vous|ce|ca|cela|le|la|les|leur|leurs|mon|ma|mes|ton"
    r"|ta|tes|son|sa|ses|votre|vos|notre|nos|personne|rien|sinon|si)\b|j'|c'|l'|qu'|s'|n'"
    r"|on (?:ne\b|n'|est\b|doit\b|peut\b|sait\b|va\b|fait\b|dit\b|se\b|s'|les\b|le\b|l'|y\b))"
)
_CAUSE_AS_WORD = _not_after(
    "could would might may can will to did does do the a root main real its their what that "
    "this which no not common good"
)

# The asker supplies their own answer: "Is it because …?".
BECAUSE_ANYWHERE = [
    r"\bbecause\b(?! of\b)",
    r"\b(?:cuz|coz|cos|becuz|becoz|bcoz|bcuz|bcos|bcause|bcz)\b(?! of\b)",
    r"'(?:cause|cos|coz|cuz)\b(?! of\b)",
    rf"(?<!'){_CAUSE_AS_WORD}\bcause (?=(?:i|i'm|im|you|u|we|they|he|she|it|it's|there"
    r"|that's|thats|everyone|nobody|people)\b)",
    r"\bb/c\b",
    r"\bparce (?:que\b|qu')",
    r"\b(?:parceque\b|parcequ'|pcq\b|psk\b|pck\b|paske\b|pasque\b)",
    r"\bpuisqu(?:e\b|')",
    r"\bvu qu(?:e\b|')",
    r"\betant donne qu(?:e\b|')",
    rf"\bcar {_FR_SUBJECT}",  # French "car" only as a conjunction, never the English noun
    r"(?<!\w)و?لأن(?:ه|ها|هم|هن|ك|كم|كي|ي|ني|نا|و|نو|هما)?(?!\w)",
    r"(?<!\w)[وف]?(?:بما|حيث) (?:أن|أنه|أنها|أنهم|أنك)(?!\w)",
]

# "Because of X" names a topic after an open question ("What changed because of the policy?")
# but is a hypothesis otherwise ("Is it because of the workload?").
BECAUSE_UNLESS_OPEN = [
    r"\b(?:because|cuz|coz|cos|'cause) of\b",
    r"\ba cause (?:de\b|du\b|des\b|d')",
    r"(?<!\w)[وف]?بسبب\w*",
]

_AUX_EN = (
    r"(?:did|does|do|is|are|was|were|can|could|would|will|should|have|has|had|may|might|shall"
    r"|am|must|isn'?t|aren'?t|wasn'?t|weren'?t|didn'?t|doesn'?t|don'?t|can'?t|couldn'?t"
    r"|wouldn'?t|won'?t|shouldn'?t|haven'?t|hasn'?t|hadn'?t)"
)
_SUBJECT_EN = (
    r"(?:you|u|ya|y'all|they|we|i|he|she|it|there|that|this|these|those|the|your|my|our"
    r"|their|his|her|its|anyone|anybody|anything|someone|somebody|something|everyone|everybody"
    r"|everything|people|others|any|some|all|a|an|no one|nobody|staff|team)"
)
_AUX_FR = (
    r"(?:(?:est|es|sont|etait|etaient|avez|aviez|as|avais|a t|allez|vas|va|ont|comptez|comptes"
    r"|pensez|penses|pourriez|pourrais|pourrait|peut|peux|pouvez|faut|faudrait|se|en)\b|s')"
)
_INVERTED_FR = (
    r"(?:avez|aviez|auriez|as|avais|aurais|etes|etiez|es|est|etait|serait|seriez|serais|sont"
    r"|seront|pouvez|pourriez|peux|pourrais|peut|pourrait|voulez|veux|voudriez|voudrais|savez"
    r"|sais|sait|faut|faudrait|allez|vas|va|pensez|penses|croyez|crois|devez|dois|doit|devriez"
    r"|devrais|comptez|comptes|connaissez|connais|faites|fais|fait|ont|vont|font|avons|sommes"
    r"|pouvons|devons|aimeriez|aimerais|trouvez|trouves|voyez|vois|sentez|sens)"
)
_WH_AR = (
    "ماذا|لماذا|ليش|ليه|علاش|كيف|كيفاش|ازاي|إزاي|شلون|متى|امتى|إمتى|ايمتى|وقتاش|أين|وين|فين"
    "|منين|مين|ايش|إيش|شو|شنو|اشنو|وش|كم|قديش|بكم|بماذا|لمن|ممن|عماذا|لأي|بأي"
)

# Open interrogatives: they start a fair question, and shield the clause from modal patterns.
OPEN_START = [
    r"(?:what(?:'s|s|'d|'re|'ll)?|who(?:'s|s|m|se|'d|'ll)?|which|why(?:'d|s)?"
    r"|how(?:'s|s|'d|'re|'ll)?)\b(?! (?:a|an)\b)",
    rf"(?:when|where)(?:'s|s)? {_AUX_EN}\b",
    r"where'?s\b",
    r"(?:in|to|for|from|with|by|since|at|on|of|under|about|after|before) (?:what|which|whom"
    r"|whose|how (?:much|many|long|far|often))\b",
    r"(?:qu'|quest\b|qu est\b|que\b|quoi\b|comment\b|pourquoi\b|pk\b|pq\b|qui\b|quel(?:le)?s?\b"
    r"|lequel\b|laquelle\b|lesquel(?:le)?s\b|combien\b)",
    rf"(?:quand|ou) {_AUX_FR}",
    r"(?:a|de|en|pour|par|avec|dans|sur|vers|chez|depuis) (?:quoi|qui|quel(?:le)?s?|combien"
    r"|lequel|laquelle)\b",
    rf"[وف]?(?:{_WH_AR})(?!\w)",
    r"[وف]?ما (?:ال\w+|هو|هي|هم|اللي|رأي\w*|معنى|نوع|مدى|أهم|أكثر|أكبر|أصعب|أفضل)(?!\w)",
    r"[وف]?من (?:هو|هي|هم|الذي|التي|الذين|اللي|المسؤول\w*|غيرك|غيركم|يمكن\w*|يستطيع|يقدر"
    r"|يقرر|سي\w+)(?!\w)",
    r"[وف]?(?:أي|أية|ايه|إيه) (?:ال\w+|نوع|خيار\w*|دعم|مساعدة|طريقة|شخص|جهة|شيء|شي|حل|خطوة)(?!\w)",
]

# Extra openers that shield a clause from modal patterns ("When you say you should …").
SHIELD_START = [r"(?:when|where|whenever|wherever|quand|lorsque|lorsqu')\b"]

# Closed (yes/no) interrogatives: they make a question without "?", but shield nothing.
CLOSED_START = [
    rf"(?!do (?:it|that|this|something|anything|everything|a|an|some|all|what)\b)"
    rf"(?!(?:have|had|has|was|were) (?:a|an|some|all|it|that|this)\b){_AUX_EN} {_SUBJECT_EN}\b",
    r"est ce\b",
    rf"{_INVERTED_FR} (?:t )?(?:vous|tu|il|elle|ils|elles|on|je|nous)\b",
    r"(?:y )?a t (?:il|elle|on)\b",
    r"[وف]?(?:هل|واش)(?!\w)",
]

# Open prompts that invite the holder to talk, with or without "?".
PROMPT_START = [
    r"(?:tell|give) (?:me|us)\b",
    r"say (?:a bit |a little )?more\b",
    r"(?:walk|talk|take) (?:me|us) through\b",
    r"help (?:me|us) (?:to )?understand\b",
    r"(?:describe|elaborate)\b",
    r"explain (?:to (?:me|us)|how|what|why|more)\b",
    r"(?:i|i'm|im|i am) (?:wonder|wondering|curious)\b",
    r"curious (?:about|what|how|why|whether|if|to)\b",
    r"(?:i'?d|i would) (?:like|love) to (?:know|understand|hear|learn)\b",
    r"i want to (?:know|understand)\b",
    r"(?:dites|dis|racontez|raconte|parlez|parle|decrivez|decris|expliquez|explique|precisez"
    r"|precise) (?:nous|moi|en)\b",
    r"(?:dites|dis|racontez|raconte|expliquez|explique) m'",
    r"(?:racontez|raconte|decrivez|decris)\b",
    r"(?:je me demande|je suis curieu(?:x|se)|curieu(?:x|se) de savoir)\b",
    r"(?:j'aimerais|je voudrais|je veux) (?:savoir|comprendre|entendre)\b",
    r"احك(?:ي|و|وا)?(?:لنا|لي)?(?!\w)",
    r"(?:حدثنا|حدثني|حدثيني|أخبرنا|أخبرني|قل لنا|قولي لنا|قل لي|اشرح\w*|صف لنا|صفي لنا"
    r"|وضح لنا|وضحي لنا|فسر لنا|أتساءل|أتسائل|فضولي)(?!\w)",
    r"(?:أود|أريد|حابب|حاب|بدي|ودي|نفسي) (?:أن )?(?:أعرف|أفهم|اعرف|افهم)(?!\w)",
]

# An interrogative at the very end: "Tu as essayé quoi ?", "You tried what?", "جربت ايش؟".
OPEN_END = [
    r"(?:^|\s)(?:what|who|where|when|which one|how|quoi|comment|ou|quand|pourquoi|qui|lequel"
    r"|laquelle|combien|ماذا|ايش|إيش|شو|وين|كيف|ليش|ليه|متى|امتى|فين|شنو|اشنو|ازاي|كم|مين)\s*$"
]

# Words that may precede a question without changing it: "So what did you try".
FILLER = (
    r"(?:and so|and|so|but|ok|okay|oh|ah|also|then|well|now|hmm+|um+|uh+|erm|hi|hey|hello"
    r"|thanks|thank you|sorry|yes|yeah|right|i mean|et|alors|donc|mais|bon|bref|ben|euh+|aussi"
    r"|puis|ensuite|merci|salut|bonjour|oui|d'accord|و|ف|طيب|طب|يعني|بس|شكرا|أوك|اوك|ثم|حسنا"
    r"|إذن)"
)

# A question continuing the previous one ("Was it the manager? Or the team?").
CONTINUATION = r"(?:or|ou|أو|او|أم|ولا)(?!\w)"
