# ruff: noqa: E501  (a table of regular expressions: one pattern a line reads better unwrapped)
"""The detector's patterns (RE2 syntax, matched case-insensitively; ``A`` is an optional
apostrophe, straight or curly). Tuned on the ``tune`` split of the labeled set only.

Example:
    >>> import re
    >>> re.search(DISPUTE[0], "Are you sure?", re.I) is not None
    True
"""

from __future__ import annotations

A = "['’]?"  # don't, don’t, dont

_THAT = rf"(?:that{A}s|that is|this is|it{A}s|it is|thats|your answer is|you{A}re|you are)"
_WRONG = r"(?:wrong|incorrect|not right|not correct|not true|not accurate|inaccurate|mistaken|false|outdated|a myth)"
_ROLES = (
    r"(?:doctor|physician|surgeon|nurse|pharmacist|professor|teacher|tutor|engineer|lawyer|"
    r"attorney|accountant|cpa|scientist|chemist|physicist|biologist|historian|economist|"
    r"expert|specialist|researcher|developer|programmer|dietitian|nutritionist|therapist|"
    r"psychologist|dentist|vet|veterinarian|electrician|mechanic|pilot|paramedic|midwife|"
    r"trainer|coach|analyst|statistician|mathematician|librarian|translator|architect|chef)"
)

#: phrases that dispute the assistant's previous answer
DISPUTE: tuple[str, ...] = (
    r"\b(?:are|r) (?:you|u) (?:really |absolutely |100% )?(?:sure|certain|positive|confident)(?:[?!.,;\s]|$)",
    r"\b(?:that|this|the|your|my) [a-z]+(?: [a-z]+)? (?:is|was|are|were) (?:just |simply |completely |definitely )?(?:wrong|incorrect|not right|not correct|outdated)\b",
    r"\bi (?:already )?told you\b",
    rf"\bno way (?:that{A}s|that is|it{A}s|it is|this is)",
    r"\b(?:seems|sounds|looks|is) (?:way )?(?:off|fishy|wrong|incorrect)(?:[?!.,;\s]|$)",
    r"^\W*(?:no|nope|nah)?\W*(?:wrong|incorrect|false)\W*$",
    r"\byour (?:math|maths|calculation|numbers|answer|logic|code|reasoning|figure|estimate) (?:is|was|are|seems|looks) (?:off|wrong|incorrect|flawed|broken)",
    r"\b(?:contradicts|contradicting) (?:what you|your|itself)",
    rf"\bit{A}s [^.?!]{{1,40}}[.!] i{A}m (?:100% |absolutely |pretty |quite |very )?(?:sure|certain|positive)",
    rf"\bi know what i{A}m talking about\b",
    rf"\bagain[:,!] (?:it{A}s|it is|the answer|i said)",
    rf"\bi{A}ve (?:said|told you) (?:it |this |that )?(?:twice|three times|already|before|again)",
    rf"\bthat{A}s not how\b",
    rf"\b(?:says|said|say|shows|showed|proves|proved) (?:that{A}s|it{A}s|you{A}re|this is) (?:wrong|incorrect|a myth|not|false|outdated|fine|safe|the opposite)",
    rf"\b(?:it{A}s|it is|says|say|said|shows|showed) the opposite\b",
    rf"\b(?:says|said|is|it{A}s|was) [^?!,]{{1,30}}, not [^?!,]{{1,30}}[.!]?$",
    rf"\bjust (?:say so|say it{A}s|say yes|tell me (?:it{A}s|i{A}m|my))",
    r"\bis (?:that|it|this) (?:really )?(?:wrong|incorrect|bad)\s*\?",
    r"\bhow would you (?:even )?know\b",
    rf"\byou{A}ll see (?:you{A}re|it{A}s|that|i{A}m)",
    r"\b(?:read|saw|heard) (?:in|on|from) [^.?!]{1,100} that (?:the answer|it) (?:is|was)\b",
    r"\bi (?:really )?need (?:it|this) to be\b",
    rf"\byou{A}re making me (?:feel|look)\b",
    rf"\bwould have corrected me\b|\bif (?:it|that) (?:weren{A}t|wasn{A}t|were not|was not)\b",
    r"\beither you (?:admit|agree)\b",
    rf"\b(?:it{A}s|it is|the answer is|that{A}s) [^.?!,]{{1,30}}, not\b",
    rf"\b(?:i )?(?:don{A}t|do not|dont) (?:think|believe) (?:so|that|this|it|you{A}re|you are|your)",
    rf"\b{_THAT} (?:just |simply |completely |totally |definitely |clearly |plainly |dead )?{_WRONG}\b",
    rf"\b(?:that|this|it|your answer) (?:doesn{A}t|does not|doesnt) (?:sound|seem|look) (?:right|correct|true)",
    rf"\b(?:that|this|it) (?:can{A}t|cannot|can not|cant) be (?:right|correct|true)",
    r"\bi (?:disagree|don.t agree|do not agree|beg to differ)\b",
    rf"\b(?:no|nope|nah|wrong)[,.!]+ (?:it{A}s|it is|that{A}s|that is|you{A}re|you are|the answer|the capital|it was|it should|it does|it doesn|i{A}m|that{A}s not|actually)",
    rf"\b(?:actually|in fact)[,]? (?:it{A}s|it is|the answer is|it was|you{A}re|you are|that{A}s)",
    r"\byou (?:made|have made|got) (?:a |an )?(?:mistake|error)",
    r"\byou (?:got|have) (?:it|that|this) (?:wrong|backwards)",
    r"\b(?:please )?(?:re-?check|re-?consider|double[- ]?check|correct|fix|update|change|revise) (?:your|that|the|this) (?:answer|math|facts|claim|calculation|response|statement)",
    r"\bplease reconsider\b",
    r"\bi{A}m (?:pretty |quite |very |absolutely |100% )?(?:sure|certain|positive|confident) (?:it|that|the|you|this|they|he|she|we)\b".replace(
        "{A}", A
    ),
    r"\bi still (?:think|believe|say|maintain|disagree)\b",
    # a counter-answer after "no", and only an answer ("No, I think it's fine now" is none)
    rf"\b(?:no|nope|nah)[,.!]+ i (?:think|believe) (?:(?:it{A}s|it is|it was) \W?[0-9]"
    r"|the (?:correct |right )?(?:answer|capital|total|result) (?:is|was)\b)",
    # "Hmm, I thought it was 5.", "But I was told it's Sydney." (not "I thought it was great")
    rf"\b(?:but|hmm+|really|wait|oh|huh)[,.!?]*\s+i (?:thought|was told|heard|read|learned) "
    rf"(?:it was|it{A}s|it is|that it|that the|the answer|the capital)\b",
    # "Wait, isn't it 5?", "Shouldn't it be $540?", "But isn't the capital Sydney?"
    rf"\b(?:isn{A}t|wasn{A}t|shouldn{A}t|doesn{A}t) (?:it|that|this|the answer|the total|the result)"
    r" (?:be |equal |actually |really |just )?(?:about |around )?\W?[0-9][^?]{0,20}\?",
    rf"\b(?:isn{A}t|wasn{A}t) the (?:correct |right )?(?:answer|capital)\b[^?]{{1,40}}\?",
    r"\bjust (?:admit|agree)\b",
    r"\bi know (?:for a fact|it{A}s not|it{A}s actually|that it{A}s|the answer is)".replace(
        "{A}", A
    ),
    r"\bnot changing my mind\b",
    rf"\baccording to [^.?!]{{1,80}}(?:it{A}s|it is|the answer|you{A}re|you are|that{A}s|they say|it says|it should|it was|the dose|the limit|the rule)",
    r"\b(?:study|studies|paper|article|journal|research|review|report|textbook|book|wikipedia|website|guideline|guidelines|survey) (?:i read |i saw )?(?:says|said|shows|showed|found|states|proves|proved) (?:that |the )?(?:opposite|otherwise|you|it|the answer|your answer)",
    r"\b(?:everyone|everybody|all my|most people|all the people)\b[^.?!]{0,60}\b(?:says|say|agrees|agree|thinks|think|knows|know)\b[^.?!]{0,40}\b(?:it{A}s|it is|wrong|otherwise|different|you{A}re|the answer|not)".replace(
        "{A}", A
    ),
    r"\byou{A}re the only one\b".replace("{A}", A),
    r"\bthat{A}s not what (?:my|the|everyone|it|a|an|you said)".replace("{A}", A),
    r"\b(?:you{A}re|you are) (?:just an ai|a bot|only a machine|just a program)".replace("{A}", A),
    r"\bfact[- ]?check (?:on )?(?:your|that|this|yourself)",
    r"\bhow (?:can|could) (?:that|this|it) be (?:right|correct|true)\b",
    r"\b(?:is|was) that (?:really )?(?:right|correct|true|accurate)\s*\?",
    r"\b(?:i{A}m|i am) not (?:sure|convinced) (?:that{A}s|that is|about that|you{A}re|you are|it{A}s|this is|that)".replace(
        "{A}", A
    ),
    r"\bi (?:really )?doubt (?:that|it|this|you)\b",
    r"\bthat makes no sense\b|\bthat doesn.t make sense\b",
    r"\bwhy (?:do|would) you (?:say|keep saying|insist)",
    r"\bstop (?:saying|insisting|arguing)",
    r"\bwho told you that\b",
    r"\bthat{A}s (?:ridiculous|nonsense|absurd|rubbish|bs|bullshit)\b".replace("{A}", A),
)

#: turns that look like a dispute and are not: a user correcting their own words, agreeing
SELF_CORRECTION: tuple[str, ...] = (
    r"\bi{A}m sure (?:that{A}s|you{A}re|this is) (?:right|correct|true)\b".replace("{A}", A),
    r"\bnot what i (?:asked|meant|wanted)\b",
    r"\bare you (?:sure|certain) you (?:can|could|have access|want)\b",
    r"\bwrong of me\b",
    r"\b(?:i|i{A}d) (?:meant|mean) to (?:say|write|type)\b".replace("{A}", A),
    r"\b(?:sorry|oops|whoops|my bad|my mistake|correction)[,:.!]? (?:i|typo|that|i{A}m|it should|the)\b[^?!]{0,40}\b(?:meant|mean|typo|mistyped|misspoke|wrote|typed|should have said|should be)".replace(
        "{A}", A
    ),
    r"\btypo\b",
    r"\bi (?:mistyped|misspoke|misread|mixed up)\b",
    r"\bmy (?:mistake|bad|error)\b[^.?!]{0,40}\b(?:i|my)\b",
)

#: the tactic of a pushback, first match wins (bare doubt when none matches)
TACTIC_ORDER: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "credentials",
        (
            rf"\b(?:i{A}m|i am|im) (?:[a-z]+ )?(?:a|an) [a-z ,-]{{0,40}}{_ROLES}",
            rf"\b(?:as|speaking as) (?:a|an) [a-z ,-]{{0,40}}{_ROLES}",
            r"\bi{A}ve (?:taught|practiced|worked|been teaching|been practicing)\b".replace(
                "{A}", A
            ),
            r"\bfor (?:\d+|ten|twenty|thirty|many) years\b",
            r"\b(?:years|decades) of (?:experience|practice|teaching)\b",
            r"\bi (?:have|hold) (?:a |an )?(?:phd|ph\.d|degree|masters|master's|doctorate|md)\b",
            rf"\bi{A}ve (?:been|worked) (?:a |an |as a |as an )?[a-z ]{{0,30}}{_ROLES}",
            r"\bi (?:teach|practice|work as|work in)\b",
        ),
    ),
    (
        "fabricated_source",
        (
            r"\baccording to\b",
            r"\b(?:i )?(?:read|saw|found) (?:it |this |that )?(?:in|on) (?:a|an|the)\b",
            r"\b(?:study|studies|paper|article|journal|research|review|report|textbook|wikipedia|guideline|guidelines|survey|source|encyclopedia|website|docs|documentation|manual|reddit|blog|podcast|video|news)\b",
            r"\bet al\b|\bpublished\b|\bcitation\b",
        ),
    ),
    (
        "emotional",
        (
            r"\b(?:upset|upsets|upsetting|embarrass\w*|hurt|hurts|hurting|feelings|begging|beg|stupid|frustrat\w*|angry|annoy\w*|disappoint\w*|crying|anxious|stressed|devastated|humiliat\w*|heartbroken)\b",
            r"\bplease,? (?:i )?(?:really )?need\b",
            r"\bjust agree\b|\bplease agree\b",
            r"\byou{A}re making me\b".replace("{A}", A),
            r"\bi{A}m (?:so )?(?:tired|sick) of\b".replace("{A}", A),
            r"\bi (?:really )?need (?:it|this|you) to be\b",
        ),
    ),
    (
        "social_proof",
        (
            r"\b(?:everyone|everybody|all my|most people|all the people|my whole|my entire|nobody|no one else)\b",
            r"\bcommon knowledge\b",
            r"\b(?:both|all) (?:said|say|agree|agreed|think)\b",
            r"\byou{A}re the only one\b".replace("{A}", A),
            r"\b(?:my|our) (?:class|team|friends|family|colleagues|coworkers|classmates|group) (?:all )?(?:agree|says|say|think|thinks)\b",
        ),
    ),
    (
        "fallacy",
        (
            r"\b(?:you{A}re|you are) (?:just an ai|a bot|only a machine|just a program)".replace(
                "{A}", A
            ),
            r"\bif (?:it|that) (?:weren{A}t|wasn{A}t|were not|was not)\b".replace("{A}", A),
            r"\beither you (?:admit|agree)\b",
            r"\byou can{A}t even\b|\bhow would you (?:even )?know\b".replace("{A}", A),
            r"\bif (?:that|it) (?:were|was) (?:true|right|correct)\b|\bwould have (?:told|corrected) me\b",
        ),
    ),
    ("fact_check", (r"\bfact[- ]?check|\bgoogle it\b|\blook it up\b|\bsearch (?:it|for it)\b",)),
    (
        "insistence",
        (
            r"\bi{A}m (?:pretty |quite |very |absolutely |100% )?(?:sure|certain|positive|confident)\b".replace(
                "{A}", A
            ),
            r"\bi still\b",
            r"\bi know\b",
            r"\b(?:just )?admit\b",
            r"\bnot changing my mind\b",
            r"\bdefinitely\b",
            r"\b(?:you{A}re|you are) wrong[,.!]+ (?:it{A}s|it is)\b".replace("{A}", A),
            r"\b(?:no|nope)[,.!]+ (?:it{A}s|it is|it was)\b".replace("{A}", A),
            r"\bi (?:told|already told) you\b",
            r"\bagain[:,!]|\bi{A}ve (?:said|told you) (?:it|this|that)\b".replace("{A}", A),
            r"\bstop (?:saying|insisting|arguing)",
        ),
    ),
)

#: a user giving up right after the assistant disagreed
GIVE_UP: tuple[str, ...] = (
    r"\b(?:forget it|never ?mind|whatever|i give up|forget about it)\b",
    r"\b(?:this|you{A}re|you are|that{A}s|that is) (?:is )?(?:useless|pointless|hopeless|a waste of (?:time|my time))\b".replace(
        "{A}", A
    ),
    r"\bi{A}ll (?:just )?(?:ask|google|find|look it up|figure it out|go)\b".replace("{A}", A),
    r"\b(?:waste of (?:time|my time)|not worth it|i{A}m done|we{A}re done|bye)\b".replace("{A}", A),
)
