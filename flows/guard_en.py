"""English grammar of the questions-only guard: word classes, then the forms built from them.

Advice comes in a few grammatical shapes: a negative-polar question (negated modal or "be"
first: "Can't you…?", "Shouldn't HR…?", "Isn't the answer…?"), a suggestion frame followed by
a proposal ("How about asking…?", "What about a rota?", but not "What about the weekends?"),
"you" with a modal ("you should…"), a perfect that names the missing step ("Have you tried…?",
"Have you talked to…?"), and the asker's own plan ("If I were you…", "I'd start by…"). An open
wh-word governing the clause makes a fair question even with a modal inside ("Who should be
involved?", "What do you feel you must do first?").
"""

from flows.guard_regex import LETTER, either, not_after

# --- word classes -----------------------------------------------------------------------------
YOU = r"(?:you guys|you all|y'all|you|u|ya)"
_YOU_OR_WE = rf"(?:{YOU}|we)"
_MODAL = r"(?:can|could|should|would|will|must|might|shall)"
_NEGATIVE_MODAL = (
    r"(?:can'?t|cannot|couldn'?t|shouldn'?t|wouldn'?t|won'?t|mustn'?t|shan'?t|oughtn'?t|needn'?t)"
)
_NEGATIVE_BE = r"(?:isn'?t|aren'?t|ain'?t)"
_PRONOUN = r"(?:you|u|we|it|that|this|they|he|she|there)"
# "Why don't you feel safe?" asks about the holder's experience, not what they should do.
_MENTAL = either(
    "feel felt think thought like liked want wanted trust trusted believe believed know knew "
    "understand understood agree agreed care cared enjoy enjoyed see saw have had remember "
    "wish mind need needed"
)
# "Isn't that hard?" is empathy, not a proposal.
_AFFECT = either(
    "hard difficult tough tiring exhausting frustrating stressful scary lonely sad painful "
    "unfair awful upsetting a_lot too_much"
)
_BETTER = (
    r"(?:better|best|easier|simpler|safer|wiser|smarter|faster|cheaper|good|great|helpful"
    r"|useful|worth (?:it|trying)|a (?:good|better) idea|more (?:effective|efficient|useful)|time)"
)
# Words in -ing that name a thing or a state, not a proposed activity: "How do you feel about
# reporting to two managers?".
_ING_NOUNS = either(
    "during nothing something anything everything thing things morning mornings evening "
    "evenings funding training staffing meeting meetings building buildings housing nursing "
    "clothing timing setting settings feeling feelings wellbeing beginning ending opening "
    "understanding ceiling spring king ring wing being having working living losing facing "
    "juggling reporting"
)
# What a suggestion frame proposes: an activity, an indefinite thing, or someone doing it.
_PROPOSAL = (
    rf"(?:(?:just|simply)\b|(?:a|an|some|another|more|extra|one)\b|(?!{_ING_NOUNS}\b)\w+ing\b"
    rf"|{_YOU_OR_WE} (?={LETTER}))"
)
_SUGGESTION_FRAME = (
    rf"(?:how about|what about|(?:how|what) (?:do|would|'d|d) {YOU} (?:feel|think|say) "
    rf"(?:about|of|to)|what would {YOU} say to|what do {YOU} reckon (?:about|to))"
)
# The step a perfect names when it implies the holder has not taken it yet.
_STEP_TAKEN = (
    r"(?:tried|try|considered|consider|thought (?:about|of)|think (?:about|of)|looked into"
    r"|look into|explored|explore)"
)
_SPOKEN_TO = either(
    "talked spoken asked told called contacted approached involved consulted checked raised "
    "reached_out emailed phoned written gone_to met invited informed"
)
# "Is there anything you could try?", "If you need to leave, who covers?": not advice.
_MODAL_GUARD = not_after(
    "do did does would will can could should might may must if when whether unless once "
    "thing things something anything everything nothing else way ways one ones option options "
    "step steps people someone anyone person who which whom idea ideas"
)
_AUX = (
    r"(?:did|does|do|is|are|was|were|can|could|would|will|should|have|has|had|may|might|shall"
    r"|am|must|isn'?t|aren'?t|wasn'?t|weren'?t|didn'?t|doesn'?t|don'?t|can'?t|couldn'?t"
    r"|wouldn'?t|won'?t|shouldn'?t|haven'?t|hasn'?t|hadn'?t)"
)
_SUBJECT = (
    r"(?:you|u|ya|y'all|they|we|i|he|she|it|there|that|this|these|those|the|your|my|our"
    r"|their|his|her|its|anyone|anybody|anything|someone|somebody|something|everyone|everybody"
    r"|everything|people|others|any|some|all|a|an|no one|nobody|staff|team)"
)
_DETERMINER_OR_PRONOUN = either(
    "the a an my your his her their our its this that these those i you u he she we they it "
    "there people someone everyone"
)
_WH = r"(?:what|who|whom|whose|which|why|how|when|where)"

# --- forms ------------------------------------------------------------------------------------
# Advice wherever it stands in the message.
ADVICE_ANYWHERE = [
    # Why-not questions propose the thing they ask about.
    rf"\bwhy (?:don'?t|do not|didn'?t|did not|haven'?t|have not|wouldn'?t|won'?t|shouldn'?t"
    rf"|should not) {_YOU_OR_WE} (?!{_MENTAL}\b)(?={LETTER})",
    rf"\bwhy do {_YOU_OR_WE} not\b",
    rf"\bwhy not (?=(?:just |simply )?{LETTER})",  # "Why not?" alone is a fair question
    # Suggestion frames followed by a proposal.
    rf"\b{_SUGGESTION_FRAME} {_PROPOSAL}",
    rf"\bhow (?:would|'d|d) {YOU} feel if (?:{_YOU_OR_WE}|i) ",
    r"\bany chance\b",
    rf"\b(?:do|would) {YOU} (?:want|like) to try\b",
    # "What if you …" proposes; exploring consequences ("What if you fail?") does not.
    rf"\bwhat if {_YOU_OR_WE} (?!(?:don'?t|do not|didn'?t|did not|can'?t|cannot|couldn'?t"
    r"|could not|fail|failed|are wrong|were wrong|lose|lost|do nothing|did nothing|say no"
    r"|said no|hadn'?t|had not|aren'?t|weren'?t|won'?t|will not)\b)(?=\w)",
    r"\bsurely\b",
    r"\bthe (?:simplest|easiest|obvious|quickest|cheapest|best|only) (?:thing|answer|solution"
    r"|way|option|fix|step|move|approach) (?:is|would be|might be|will be|'s)\b",
    r"(?<![\w'] )(?<!\w)and (?:a|an) (?=\w)",  # "And a rota?" opening a clause
    rf"\b(?:could|can) {YOU} (?:just|simply|not just|maybe|perhaps|at least|not)\b(?! (?:tell"
    r"|say|explain|clarify|describe|remind|repeat|confirm|share)\b)",
    r"\bmaybe (?:just )?(?:try|ask|talk|call|consider|speak|tell|use)\b",
    # Leading questions about the holder's opinion.
    rf"(?<!\bwhy )\b(?:don'?t|do not) {YOU} (?:think|feel|believe|agree|reckon)\b",
    rf"\bdo {YOU} not (?:think|feel|believe|agree)\b",
    rf"\b(?:wouldn'?t|won'?t) {YOU} (?:agree|say|rather|prefer)\b",
    # The asker's own plan.
    r"\bif i (?:were|was|had been) (?:you|u|in your (?:shoes|place|position))\b",
    r"\b(?:in|into) your (?:shoes|position),? i\b",
    r"\bif it (?:were|was) me\b",
    r"\b(?:i'?d|i would) (?:just |probably |definitely |personally |really |strongly |first "
    r"|honestly )?(?!(?:like|love|want|be|have|say|guess|imagine|think|hope|wonder|appreciate"
    r"|agree|expect|bet|feel|rather|hate|never|not|also)\b)(?!\w+(?:ed|en)\b)(?=[a-z])",
    r"\bmy (?:advice|suggestion|recommendation|tip|two cents|2 cents)\b",
    r"\bi (?:suggest|recommend|advise|propose)\b",
    r"\blet me suggest\b",
    r"\b(?:you'd|you had|you would) better\b",
]

# Advice unless an open wh-word governs its clause; "^" is the start of a clause.
ADVICE_UNLESS_OPEN = [
    # Negative-polar questions: "Can't you hand it to the clerk?", "Isn't the answer …?".
    rf"^{_NEGATIVE_MODAL} (?={LETTER})",
    rf"^{_MODAL} (?:{_PRONOUN}|the \w+) not\b",
    rf"^{_NEGATIVE_BE} (?!(?:it|that|this|they|you|u) (?:so |really |a bit |quite |very |too "
    rf"|pretty )?{_AFFECT}\b)(?={LETTER})",
    # A perfect that names the step not yet taken.
    rf"\b(?:have|did|had) {YOU} (?:ever |already |not |also |even |really )?{_STEP_TAKEN}\b",
    rf"\b(?:have|had) {YOU} (?:ever |already |not |also |even |really )?{_SPOKEN_TO}\b",
    # "You" with a modal of obligation or possibility.
    rf"{_MODAL_GUARD}\b{YOU} (?:should|shouldn'?t|ought to|need to|must(?! (?:be|have|feel"
    r"|know)\b)|have to|gotta|got to|could(?! (?:not|see|hear|feel|tell|sense|notice|only"
    r"|barely|hardly|never|have|be)\b)|can (?:just|always|also|simply|try)|might (?:want|wish"
    r"|consider|try|need)|may (?:want|wish|need)|'d be better|would be better|would do well)\b",
    rf"\b(?:would|could|can|will) {YOU} (?:consider|try|think about|be willing|be open|agree to)\b"
    r"(?! (?:it|that|this|yourself|them|him|her)\b)",
    # An impersonal judgement of the asker's idea.
    rf"\bwould (?:it|that|this) (?:not )?be {_BETTER}\b",
    r"\bwould (?:it|that|this) (?:not )?(?:help|make sense|work) (?:to|if)\b",
    r"\bit (?:might|may|could|would|will|'d|'ll) be (?:worth|good|better|best|helpful|useful"
    r"|wise|smart|a good idea)\b",
    r"\b(?:it'?s|it is) (?:worth|better|best|a good idea|wise) (?:to|if)\b",
    r"^(?:maybe |perhaps |just )?(?:try|consider)\b",
    r"^(?:just|simply) (?:ask|tell|call|talk|go|say|do|send|use|get|stop|let)\b",
]

_CAUSE_AS_WORD = not_after(
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
]

# "Because of X" names a topic after an open question ("What changed because of the policy?").
BECAUSE_UNLESS_OPEN = [r"\b(?:because|cuz|coz|cos|'cause) of\b"]

# Open interrogatives: they start a fair question, and shield the clause from modal forms.
OPEN_START = [
    r"(?:what(?:'s|s|'d|'re|'ll)?|who(?:'s|s|m|se|'d|'ll)?|which|why(?:'d|s)?"
    r"|how(?:'s|s|'d|'re|'ll)?)\b(?! (?:a|an)\b)",
    rf"(?:when|where)(?:'s|s)? {_AUX}\b",
    r"where'?s\b",
    r"(?:in|to|for|from|with|by|since|at|on|of|under|about|after|before) (?:what|which|whom"
    r"|whose|how (?:much|many|long|far|often))\b",
]

# Openers that shield a clause from modal forms without asking ("When you say you should …").
SHIELD_START = [r"(?:when|where|whenever|wherever)\b"]

# Closed (yes/no) interrogatives: they make a question without "?", but shield nothing.
_CLOSED = (
    rf"(?!do (?:it|that|this|something|anything|everything|a|an|some|all|what)\b)"
    rf"(?!(?:have|had|has|was|were) (?:a|an|some|all|it|that|this)\b){_AUX} {_SUBJECT}\b"
)
CLOSED_START = [_CLOSED]

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
]

# An interrogative left in place: "You tried what?".
OPEN_IN_CLAUSE = [r"(?:^|\s)(?:what|who|where|when|which one|how)\s*$"]

# A further question inside one sentence ("When did it start, who noticed?"): a wh-word not
# opening a relative clause ("what they want"), a bare one ("…, and why?"), or a yes/no
# question that is not a tag ("do you think?").
QUESTION_CLAUSE = [
    rf"(?:what's|who's|where's|how's|how (?:long|much|many|often|far)\b|{_WH}$|{_WH} {_AUX}\b)",
    rf"(?!(?:what|how) about\b){_WH}\b(?! {_DETERMINER_OR_PRONOUN} {LETTER})",
    r"(?:in|to|for|from|with|by|since|at|on|of|about) (?:what|which|whom|whose)\b",
    rf"(?!(?:do|did|would|don'?t|wouldn'?t) {YOU} (?:think|say|reckon|agree|feel)?$){_CLOSED}",
]

# Words that may precede a question without changing it: "So what did you try".
FILLER = [
    "and so", "and", "so", "but", "ok", "okay", "oh", "ah", "also", "then", "well", "now",
    "hmm+", "um+", "uh+", "erm", "hi", "hey", "hello", "thanks", "thank you", "sorry", "yes",
    "yeah", "right", "i mean", "honestly", "in your view", "in your opinion",
]  # fmt: skip

# Politeness that changes nothing: dropped before matching, wherever it is (padding in English
# around a French or Arabic question too).
POLITE = [
    "please", "pls", "plz", "pleeease", "just wondering", "quick question", "out of curiosity",
]  # fmt: skip

# Words that join two questions in one sentence.
COORDINATOR = [r"\s(?:and|but)\s"]

# A question continuing the previous one ("Was it the manager? Or the team?").
CONTINUATION = ["or"]
