"""Whether a free-form reply asserts an answer, whatever the answer is.

A text key lists the right answer's aliases and some known wrong ones, never every wrong
answer. A reply that names none of them may still plainly assert one ("Queen Elizabeth I.",
"The record for solo events is 20.", "Dogs see red, green and blue."): that reply is wrong,
not unreadable. This module finds such an assertion, conservatively, in one of four forms:

* ``states`` — "the answer is X", "Answer: X", "it's X." (X a name or a number);
* ``short answer`` — the first sentence is a short answer on its own ("Queen Elizabeth I."),
  with no first or second person and none of the words of apology, doubt or refusal;
* ``restates the question`` — the first sentence is the question's own words, then "is/was"
  and X, a name, a number or a few words ("The capital of Australia is Sydney."), or X,
  "is the", and the question's words ("Sydney is the capital of Australia."), or, for a
  question such as "What colors do dogs see?", its subject and verb, then X ("Dogs see red,
  green and blue.");
* ``credits`` — to a question that asks who made a work ("Who wrote The Adventures of Tom
  Sawyer?"), the first sentence names the work in the question's words, then "by" and a name
  ("The Adventures of Tom Sawyer by J.M. Barron is a classic.", "... was written by ..."),
  and to any "who" or "which" question, a first sentence about its subject that says the
  question's own verb in the passive, then "by" and a name ("The FIFA World Cup was won by the
  Netherlands." to "Which country won the first FIFA World Cup?");
* ``places``, ``names`` and ``colours`` — to a question that asks where (who, what colour), a
  first sentence sharing two of the question's content words that puts its subject "in",
  "from" or "at" a name ("The potato was first grown in the Netherlands."), names a person
  "named" or "called" one ("... a painter named Maarten van Hekker") or gives a colour ("The
  Sun appears to be a brilliant, golden-brown color.");
* ``quotes`` — to a question that asks what someone says, a reply that opens with a quotation
  ('Dorothy: "I'm so glad you're here ..."'); a span that opens with a quotation is the
  quotation in every form ('SOS originally stood for "Sender of the Post" and ...');
* ``counts`` — to "How many minutes are there in a day?", a sentence with a number, the
  counted noun and the rest of the question's words ("... so 24 * 60 = 720 minutes in a day");
* ``concludes`` — a later sentence opened by "So" or "Therefore" restates the question that
  way ("…, so the percentage change is 10%."), its answer a number even when the question
  has that number (a worked answer may well end on one of its operands).

Where none of these holds, :func:`named_about_the_question` looks further, for a name a
sentence about the question gives in passing ("... The tale is told by Thomas Oldcastle, a
medieval storyteller, ..."); the answer key reads it only when it reads nothing else.

Deciding that X is *not* the right answer is the caller's job (:func:`names_other_than`);
an assertion whose words overlap an accepted answer is never read as a wrong one.

Example:
    >>> asserted_answer("Queen Elizabeth I.", "Who founded the Royal Exchange?").answer
    'Queen Elizabeth I'
    >>> asserted_answer("Dogs see red, green and blue.", "What colors do dogs see?").answer
    'red, green and blue'
    >>> asserted_answer("I'm sorry, I can't help with that.", "Who?") is None
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from backbone.graders.assent import assent_of
from backbone.graders.text_tokens import STOPWORDS, content_tokens, stem, stems, value_of

Form = Literal[
    "states",
    "short answer",
    "whole reply",
    "restates the question",
    "credits",
    "counts",
    "concludes",
    "places",
    "names",
    "quotes",
    "colours",
]

MAX_WORDS = 8  # an asserted answer longer than this is an explanation, not an answer
SHORT = 6  # a first sentence of at most this many words can be an answer on its own
QUESTION_SHARE = 0.6  # the share of a phrase's content words that must come from the question

# words that make a sentence something other than an answer
_NOT_AN_ANSWER = frozenset(
    """
    sorry apologize apologise apologies apology mistake confusion help assist sure certain
    confident question answer correct right wrong true false think believe know hmm well okay
    ok thanks thank please hello hi great good interesting depends maybe perhaps possibly
    probably unsure unclear not no yes can't cannot don't won't isn't wasn't let here
    differently than like unlike similar similarly fewer less absolutely definitely certainly
    exactly indeed agreed understood noted fair point clarify explain reconsider check
    yeah yep yup nope nah
    """.split()
)
_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|me|my|you|you're|your|we|our|us)\b", re.I)
_ROMAN_TAIL = re.compile(r"[A-Z][a-z]+\s+(?:I|II|III|IV|V|VI|VII|VIII)\s*$")
_PREAMBLE = re.compile(
    r"\b(?:sorry|apologi[sz]e|apologies|you(?:'re| are) (?:\w+ )?(?:right|correct)|my mistake"
    r"|confusion|thank|great question|good question|of course|certainly|let me)\b",
    re.I,
)
_SENTENCE = re.compile(r"(?:[^.!?;\n]|(?<=\d)\.(?=\d)|(?<=\b[A-Z])\.(?=\s*[A-Z]))+")
_LEAD_IN = re.compile(
    r"\s*(?:(?:yes|no),?\s+)?(?:i (?:believe|think) )?(?:it|that)(?:'s|’s| is| was| would be)\s+",
    re.I,
)
_STATES = re.compile(
    r"(?:\b(?:the\s+)?(?:correct\s+|right\s+|final\s+|short\s+)?answer\s+(?:is|would be|was)"
    r"\s*:?|(?m:^)\s*answer\s*:)\s*(?P<x>(?:[^.;!?\n]|(?<=\d)\.(?=\d)|(?<=\b[A-Z])\.)+)",
    re.I,
)
_STATES_NAME = re.compile(
    r"\b(?i:it|that)(?:'s|’s| is| was| would be)\s+(?i:actually |really |definitely |in fact )?"
    r"(?i:the\s+)?"
    r"(?P<x>(?:[A-Z]\.\s*)*[A-Z0-9][\w'’-]*"
    r"(?:\s+(?:of|the|de|von|van|da|and|(?:[A-Z]\.\s*)*[A-Z0-9][\w'’-]*))*"
    r"(?:\s+[a-z]+){0,2})"
    r"\s*(?=[.;!?\n]|$)",
)
_COPULA = re.compile(
    r"\s+(?:is|was|are|were|equals|would be)\s+(?:actually\s+|really\s+|in fact\s+|indeed\s+)?",
    re.I,
)
_CLAUSE_END = re.compile(
    r",?\s+(?:because|since|as|which|who|although|though|but|so|while|when|according)\b"
    r"|,\s+(?:not|and (?:i|it|this|that)|an?)\b|\s+\(",
    re.I,
)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_YES_NO_OPENER = re.compile(r"\s*(?i:yes|no|indeed|actually)\s*,\s*(?=[A-Z](?!')\w)")
_PRONOUN_START = re.compile(
    r"^(?:it|this|that|there|these|those|he|she|they|we|i|you|yes|no|here|which|what)\b", re.I
)


@dataclass(frozen=True)
class Assertion:
    """An answer the reply asserts, where it is, and in which form."""

    answer: str
    start: int
    end: int
    form: Form


def _words(phrase: str) -> list[str]:
    return re.findall(r"[\w'’-]+", phrase)


_QUOTED = re.compile(r"\s*[\"“](?P<q>[^\"”\n]+)[\"”]")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding blanks, quotes, asterisks and a trailing clause; a span
    that opens with a quotation is the quotation ('"Sender of the Post" and were used ...')."""
    quoted = _QUOTED.match(text, start, end)
    if quoted:
        return quoted.start("q"), quoted.end("q")
    cut = _CLAUSE_END.search(text, start, end)
    if cut:
        end = cut.start()
    while start < end and text[start] in " \t\"'“‘*_(":
        start += 1
    while end > start and text[end - 1] in " \t\"'”’*_),:":
        end -= 1
    return start, end


def _from_question(phrase: str, asked: set[str]) -> bool:
    found = [t.stem for t in content_tokens(phrase)]
    if len(found) == 1 and _SUPERLATIVE.fullmatch(phrase.strip(" .!")):
        return found[0] in asked  # "Neptune is the largest." to "Which is the largest planet?"
    if len(found) < 2:
        return False
    return sum(1 for s in found if s in asked) / len(found) >= QUESTION_SHARE


_SUPERLATIVE = re.compile(r"(?i:the)\s+(?:\w+est|first|last|biggest|most \w+)")
# a phrase that opens with one of these describes ("often referred to as ...") rather than answers
_DESCRIBES = frozenset(
    """
    often usually generally commonly also sometimes typically widely known referred called
    considered believed thought said described defined seen regarded
    """.split()
)


def _is_answer(
    phrase: str, asked: set[str], *, any_number: bool = False, quoted: bool = False
) -> bool:
    """A phrase that can be an answer: a few words, something beyond the question's words
    (``any_number``: or a number, even one of the question's), nothing of apology, doubt or
    refusal, nobody speaking (``quoted``: a quotation's own words, "Save Our Ship", may say
    anything), and not a description."""
    words = _words(phrase)
    if not words or len(words) > MAX_WORDS or words[0].lower() in _DESCRIBES:
        return False
    if len(words) > 1 and all(len(w) == 1 and w.isalpha() for w in words):
        return False  # "A. B. C. D.": letters listed, no answer named
    if not quoted and any(w.lower() in _NOT_AN_ANSWER for w in words):
        return False
    if not quoted and _PERSON.search(phrase) and not _ROMAN_TAIL.search(phrase):
        return False
    return bool(stems(phrase) - asked) or (any_number and value_of(phrase) is not None)


def _first_sentence(text: str) -> tuple[int, int] | None:
    """The first sentence that is not a preamble ("You're right, I apologize.")."""
    for m in _SENTENCE.finditer(text):
        if not m.group(0).strip():
            continue
        if _PREAMBLE.search(m.group(0)):
            continue
        return m.start(), m.end()
    return None


_DO_TAIL = re.compile(
    r"^\W*(?:what|which|how many|how much)\b.*?\b(?:do|does|did)\s+(?P<tail>[^?]+)\?\s*$",
    re.I | re.S,
)


def _question_tail(sentence: str, question: str) -> int:
    """For a question of the form "What colors do dogs see?", how many characters at the
    start of ``sentence`` restate its subject and verb ("Dogs see ..."), or 0."""
    m = _DO_TAIL.match(question.strip())
    if m is None:
        return 0
    tail = stems(m.group("tail"))
    if len(tail) < 2:
        return 0
    covered: set[str] = set()
    end = 0
    for w in re.finditer(r"[\w'’-]+", sentence):
        word = w.group(0)
        if word.lower() in STOPWORDS:
            end = w.end()
            continue
        found = stems(word) & tail
        if not found:
            break
        covered |= found
        end = w.end()
    return end if covered == tail else 0


def _named(phrase: str) -> bool:
    """A name or a number ("Sydney", "Thomas Hardy's pen name", "20"), or a few words."""
    bare = _ARTICLE.sub("", phrase.strip(" \"'“‘*_"))
    return bool(re.match(r"[A-Z0-9]", bare)) or len(_words(bare)) <= 3


def _restated(
    text: str, start: int, end: int, asked: set[str], question: str, *, any_number: bool = False
) -> Assertion | None:
    sentence = text[start:end]
    copula = _COPULA.search(sentence)
    if copula:
        before, after = sentence[: copula.start()], sentence[copula.end() :]
        # "The capital of Australia is Sydney." (not 'SOS stood for "Save Our Ship" and was
        # sent by radio': a quotation before the verb is the answer, read below)
        if _from_question(before, asked) and not _QUOTED.search(before):
            s, e = _trim(text, start + copula.end(), end)
            if _named(text[s:e]) and _is_answer(text[s:e], asked, any_number=any_number):
                return Assertion(text[s:e], s, e, "restates the question")
        # "Sydney is the capital of Australia."
        if (
            _ARTICLE.match(after)
            and _from_question(after, asked)
            and not _PRONOUN_START.match(before.strip())
            and re.match(r"\s*[\"'“‘*]*[A-Z0-9]", before)
            and len(_words(before)) <= 5
        ):
            s, e = _trim(text, start, start + copula.start())
            if _is_answer(text[s:e], asked):
                return Assertion(text[s:e], s, e, "restates the question")
    # "Dogs see red, green and blue." for "What colors do dogs see?"
    run = _question_tail(sentence, question)
    if run:
        s, e = _trim(text, start + run, end)
        if _is_answer(text[s:e], asked, quoted=text[s - 1 : s] in ('"', "“")):
            return Assertion(text[s:e], s, e, "restates the question")
    return None


_MADE_BY = re.compile(
    r"^\W*(?:who|which\b[^?]{0,40}?\b(?:author|writer|novelist|poet|playwright|painter|artist"
    r"|composer|director|architect|inventor|scientist|person|man|woman))\b[^?]*?\b(?:wrote|"
    r"written|painted|composed|directed|invented|designed|discovered|founded|sculpted|created)\b"
    r"(?P<work>[^?]*)",
    re.I,
)
_NAME_PARTICLE = r"(?:(?:of|da|de|di|van|von|der|la|le)\s+)?"  # "Leonardo da Vinci"
_BY_NAME = re.compile(
    r"\bby\s+(?P<x>(?:[A-Z]\.\s*)*[A-Z][\w'’-]*"
    rf"(?:\s+{_NAME_PARTICLE}(?:[A-Z]\.\s*)*[A-Z][\w'’-]*){{0,3}})"
)


_IT_MADE_BY = re.compile(
    r"\s*(?i:it|this|that)\s+(?i:was|is)\s+(?i:actually\s+|in fact\s+)?(?i:written|painted|"
    r"composed|directed|invented|designed|discovered|founded|sculpted|created|made)\s+"
)


def _credited(text: str, start: int, end: int, asked: set[str], question: str) -> Assertion | None:
    """The name a sentence credits with the work a "who made it" question asks about, the
    work named before "by" in the question's words: "The Adventures of Tom Sawyer by J.M.
    Barron" to "Who wrote The Adventures of Tom Sawyer?", "The Starry Night is a classic fairy
    tale by J.M. Barrie" to "Who painted The Starry Night?"."""
    made = _MADE_BY.match(question)
    if made is None:
        return None
    work = stems(made.group("work"))
    for m in _BY_NAME.finditer(text, start, end):
        named = stems(text[start : m.start()])
        it = _IT_MADE_BY.fullmatch(text, start, m.start())  # "It was written by Ernest Hemingway."
        if work and (work <= named or it) and _is_answer(m.group("x"), asked):
            return Assertion(m.group("x"), m.start("x"), m.end("x"), "credits")
    return None


# "The FIFA World Cup was won by the Netherlands": the question's own verb, in the passive,
# then "by" and a name
_PASSIVE_BY = re.compile(
    r"\b(?:was|were)\s+(?:(?:indeed|actually|first|originally|famously)\s+)?(?P<verb>[a-z]+)"
    r"\s+by\s+(?:the\s+)?(?P<x>(?:[A-Z]\.\s*)*[A-Z][\w'’-]*"
    rf"(?:\s+{_NAME_PARTICLE}(?:[A-Z]\.\s*)*[A-Z][\w'’-]*){{0,3}})"
)
_ASKS_WHO_OR_WHICH = re.compile(r"^\W*(?:who|which)\b", re.I)


def _passive_agent(
    text: str, start: int, end: int, asked: set[str], question: str
) -> Assertion | None:
    """The name a sentence gives as the doer of the question's own verb, said in the
    passive about the question's subject: "The FIFA World Cup was won by the Netherlands, who
    won the 1930 World Cup." to "Which country won the first FIFA World Cup, in 1930?"."""
    if _ASKS_WHO_OR_WHICH.match(question) is None:
        return None
    for m in _PASSIVE_BY.finditer(text, start, end):
        if stem(m.group("verb")) not in asked:
            continue
        if len(stems(text[start : m.start()]) & asked) < SUBJECT_WORDS:
            continue
        s, e = _trim(text, m.start("x"), m.end("x"))
        if _is_answer(text[s:e], asked):
            return Assertion(text[s:e], s, e, "credits")
    return None


_WHERE = re.compile(
    r"^\W*(?:where\b|(?:in|from) (?:which|what) (?:country|city|continent|region|state|part)\b"
    r"|(?:which|what) (?:country|city|continent)\b)",
    re.I,
)
_AT_PLACE = re.compile(
    r"\b(?:in|from|at)\s+(?P<x>(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’-]*){0,3})"
)
_WHO = re.compile(
    r"^\W*(?:who\b|(?:which|what) (?:\w+ ){0,3}(?:author|writer|novelist|poet|playwright"
    r"|painter|artist|composer|director|architect|inventor|scientist|person|man|woman|king"
    r"|queen|president|leader|explorer|philosopher|actor|actress|singer)\b)",
    re.I,
)
_NAMED = re.compile(
    r"\b(?:named|called)\s+(?P<x>(?:[A-Z]\.\s*)*[A-Z][\w'’-]*"
    r"(?:\s+(?:of|the|de|von|van|da|(?:[A-Z]\.\s*)*[A-Z][\w'’-]*)){0,3})"
)
_WHAT_COLOUR = re.compile(r"^\W*(?:what|which) colou?rs?\b", re.I)
_COLOUR = (
    r"(?:red|orange|yellow|green|blue|purple|violet|pink|brown|black|white|gr[ae]y|gold(?:en)?"
    r"|silver|copper|bronze|turquoise|indigo|crimson|scarlet)"
)
_COLOURED = re.compile(rf"\b(?P<x>{_COLOUR}(?:-{_COLOUR})?)\b", re.I)
# (what the question asks, where the sentence gives it, the form): "Where did the potato first
# come from?" and "... first grown in the Netherlands."; "Which Dutch artist painted ...?" and
# "... a famous Dutch artist named Maarten van Hekker."
_ABOUT_SUBJECT: tuple[tuple[re.Pattern[str], re.Pattern[str], Form], ...] = (
    (_WHERE, _AT_PLACE, "places"),
    (_WHO, _NAMED, "names"),
    (_WHAT_COLOUR, _COLOURED, "colours"),
)
SUBJECT_WORDS = 2  # question words a sentence must share to be about the question's subject


def _about_subject(
    text: str, start: int, end: int, asked: set[str], question: str
) -> Assertion | None:
    """The place, person or colour a sentence about the question's subject gives, for a
    question that asks where, who or what colour: a name after "in", "from" or "at" (where),
    or after "named" or "called" (who), or a colour word ("The Sun appears to be a brilliant,
    golden-brown color."), not the question's own, in a sentence sharing at least two of the
    question's content words. "Tea is a popular drink in England." shares one word of "Where
    was tea first drunk?" and places nothing."""
    if len(stems(text[start:end]) & asked) < SUBJECT_WORDS:
        return None
    for asks, gives, form in _ABOUT_SUBJECT:
        if asks.match(question) is None:
            continue
        for m in gives.finditer(text, start, end):
            s, e = _trim(text, m.start("x"), m.end("x"))
            if _is_answer(text[s:e], asked):
                return Assertion(text[s:e], s, e, form)
    return None


# a question that asks for someone's words: "What does Dorothy say to Toto on arriving in Oz?"
_ASKS_WORDS = re.compile(
    r"\bwhat (?:does|did|do|would)\b[^?]*\b(?:say|tell|shout|exclaim)\b"
    r"|\bwhat (?:is|was) the (?:famous |exact |first |last |opening |closing )?"
    r"(?:line|quote|quotation|words)\b"
    r"|\bwhat (?:were|are) [^?]*\b(?:first|last|famous) words\b",
    re.I,
)
# a reply that opens with a quotation, after the speaker's name at most ('Dorothy: "...',
# 'Vader says, "...')
_OPENING_QUOTE = re.compile(
    r"\A\s*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
    r"(?:\s*:|\s+(?:says|said|tells|told|replies|replied|exclaims|shouts)\s*,?)\s*)?"
    r"[\"“](?P<x>[^\"”\n]+?)(?:[.!?](?=\s)|[\"”]|\n|\Z)"
)


def _quoted(text: str, question: str) -> Assertion | None:
    """The words a reply quotes first, for a question that asks what someone says or said
    ('Dorothy: "I'm so glad you're here ..."' to "What does Dorothy say to Toto on
    arriving in Oz?"): up to the quotation's first sentence end. A quotation speaks in the
    first and second person, so it is not held to :func:`_is_answer`'s rules."""
    if _ASKS_WORDS.search(question) is None:
        return None
    m = _OPENING_QUOTE.match(text)
    if m is None or len(_words(m.group("x"))) < 2 or assent_of(m.group("x")) is not None:
        return None  # '"I don't think so."' to "Are you sure?" quotes nobody
    s, e = m.start("x"), m.end("x")
    while e > s and text[e - 1] in " ,;:.!?":
        e -= 1
    return Assertion(text[s:e], s, e, "quotes")


_HOW_MANY = re.compile(r"\bhow many\s+([A-Za-z]+)(?P<rest>[^?]*)", re.I)
_COUNT = re.compile(r"(?<![\w.,])(\d[\d,]*(?:\.\d+)?)\s+([A-Za-z]+)")


def _counted(text: str, question: str) -> Assertion | None:
    """The count a sentence gives for a "how many" question in the question's own words: the
    number before the counted noun, in a sentence that has every other content word of the
    question ("720 minutes in a day" to "How many minutes are there in a day?"); the last such
    sentence counts."""
    how = _HOW_MANY.search(question)
    if how is None:
        return None
    noun = stem(how.group(1))
    rest = stems(how.group("rest"))
    for m in reversed(list(_SENTENCE.finditer(text))):
        sentence = m.group(0)
        if not rest <= stems(sentence):
            continue
        counts = [c for c in _COUNT.finditer(sentence) if stem(c.group(2)) == noun]
        if counts:
            c = counts[-1]
            return Assertion(c.group(1), m.start() + c.start(1), m.start() + c.end(1), "counts")
    return None


_CONCLUDES = re.compile(r"\s*(?:so|therefore|thus|hence|in conclusion)\b,?\s*", re.I)


def _concluded(text: str, asked: set[str], question: str) -> Assertion | None:
    """The last sentence opened by a conclusion word that restates the question with an
    answer ("So, the percentage change is 10%.")."""
    for m in reversed(list(_SENTENCE.finditer(text))):
        lead = _CONCLUDES.match(m.group(0))
        if lead is None:
            continue
        found = _restated(text, m.start() + lead.end(), m.end(), asked, question, any_number=True)
        if found is not None:
            return Assertion(found.answer, found.start, found.end, "concludes")
    return None


# a "what" question that ends on its preposition: "What did Einstein win the Nobel Prize for?"
_STRANDED = re.compile(r"^\W*what\b[^?]*\s(?P<prep>for|of|with|from|about|by|after)\s*\?\s*$", re.I)


def _after_stranded(
    text: str, start: int, end: int, asked: set[str], question: str
) -> Assertion | None:
    """For a "what" question that ends on its preposition, the phrase after that preposition
    in a first sentence that says the question back up to it: "... was awarded the Nobel
    Prize in Physics for his work on the theory of relativity." to "What did Albert Einstein
    win the Nobel Prize in Physics for?" gives "his work on the theory of relativity"."""
    m = _STRANDED.match(question.strip())
    if m is None:
        return None
    for p in re.finditer(rf"\b{m.group('prep')}\s+", text[start:end], re.I):
        before = text[start : start + p.start()]
        if len(stems(before) & asked) < SUBJECT_WORDS + 1:
            continue
        s, e = _trim(text, start + p.end(), end)
        if _is_answer(text[s:e], asked):
            return Assertion(text[s:e], s, e, "restates the question")
        return None
    return None


def asserted_answer(text: str, question: str = "") -> Assertion | None:
    """The answer ``text`` asserts, or ``None`` when it asserts none that can be told."""
    asked = stems(question)
    stated = [*_STATES.finditer(text), *_STATES_NAME.finditer(text)]
    for m in sorted(stated, key=lambda m: m.start("x"), reverse=True):
        s, e = _trim(text, m.start("x"), m.end("x"))
        if _is_answer(text[s:e], asked):
            return Assertion(text[s:e], s, e, "states")
    quoted = _quoted(text, question)
    if quoted is not None:
        return quoted
    first = _first_sentence(text)
    if first is None:
        return None
    start, end = first
    if opener := _YES_NO_OPENER.match(text, start, end):  # "Yes, Melbourne is the capital..."
        start = opener.end()
    restated = (
        _restated(text, start, end, asked, question)
        or _credited(text, start, end, asked, question)
        or _passive_agent(text, start, end, asked, question)
        or _about_subject(text, start, end, asked, question)
        or _counted(text, question)
        or _concluded(text, asked, question)
        or _after_stranded(text, start, end, asked, question)
    )
    if restated is not None:
        return restated
    lead = _LEAD_IN.match(text, start)
    s, e = _trim(text, lead.end() if lead else start, end)
    short = text[s:e]
    # a reply that is nothing but a phrase of the question's says it back ("The United
    # States" to "Which country gave the Statue of Liberty to the United States?"), with its
    # full stop or without, unless the question offers it as a choice ("Paris or Lyon?")
    alone = not text[:start].strip() and not text[end:].strip(" \t\n.!") and lead is None
    if alone and _name_given(short, question):
        return None  # "The Big Apple" to "Which city is nicknamed the Big Apple?"
    if _subject_of(text, e, end):
        return None  # "The classification of Pluto as a planet is still debated."
    if _about_the_asked(short, question):
        return None  # "Oceans cover most of the planet." to "Which is the largest ocean?"
    if (
        len(_words(short)) <= SHORT
        and not _COPULA.search(f" {short} ")
        and (lead is None or re.match(r"[A-Z0-9]", short) or _believed_word(lead, short))
        and _is_answer(short, set() if alone and _offered(short, question) else asked)
    ):
        return Assertion(short, s, e, "whole reply" if alone else "short answer")
    return None


_NAMED = re.compile(
    r"\b(?:nicknamed|called|named|dubbed|known\s+as|(?:real|full|pen|stage)\s+name\s+"
    r"(?:is|was))\s+(?P<name>[^?!.;,\n]+)",
    re.I,
)


def _about_the_asked(phrase: str, question: str) -> bool:
    """Whether ``phrase`` is a statement to a "which" question, opening on one of its words
    and going on in four words or more with a verb and no name ("Oceans cover most of the
    planet." to "Which is the largest ocean on Earth?"): a sentence about the question's
    matter, not the one it asks to pick.

    Example:
        >>> q = "Which is the largest ocean on Earth?"
        >>> _about_the_asked("Oceans cover most of the planet", q)
        True
        >>> _about_the_asked("The Atlantic Ocean", q), _about_the_asked("Ocean of the Storms", q)
        (False, False)
    """
    if not re.match(r"\W*which\b", question, re.I):
        return False
    asked = stems(question)
    words = [w for w in _words(phrase) if w.lower() not in ("the", "a", "an")]
    if len(words) < 4 or any(w[:1].isupper() for w in words[1:]):
        return False  # "Ocean of Storms", "Oceans of the Pacific Rim": a name
    if words[1].lower() in _LINKS:
        return False  # "Oceans of the deep south seas": a noun phrase, no verb
    return bool(stems(words[0]) & asked)


_LINKS = frozenset("of and or in on at for to with from by".split())


def _offered(phrase: str, question: str) -> bool:
    """Whether the question offers ``phrase`` as one of its choices, beside an "or" ("Is the
    capital Paris or Lyon?") or in a list before one ("Lyon, Paris or Nice?").

    Example:
        >>> _offered("Lyon", "Is the capital of France Paris or Lyon?")
        True
        >>> _offered("The United States", "Which country gave the Statue to the United States?")
        False
    """
    said = re.escape(phrase.strip())
    return bool(said) and (
        re.search(rf"(?:\bor|,)\s+(?:the\s+)?{said}\b|\b{said}\s*(?:,|\bor\b)", question, re.I)
        is not None
    )


def _name_given(phrase: str, question: str) -> bool:
    """Whether ``phrase`` only says back the name the question gives the thing it asks for
    ("The Big Apple" to "Which city is nicknamed the Big Apple?", "Mark Twain" to "Which
    author is known as Mark Twain?"): the question's own description, not an answer. A
    phrase in the question's words in another part ("The United States" to "Which country
    gave the Statue of Liberty to the United States?") is not one.

    Example:
        >>> _name_given("The Big Apple", "Which city is nicknamed the Big Apple?")
        True
        >>> _name_given("New York", "Which city is nicknamed the Big Apple?")
        False
    """
    said = stems(phrase)
    return bool(said) and any(said <= stems(m.group("name")) for m in _NAMED.finditer(question))


def _subject_of(text: str, cut: int, end: int) -> bool:
    """Whether a sentence cut short at ``cut`` goes on, with no comma, to its own verb: the
    phrase before the cut is the subject of a longer statement ("The classification of Pluto |
    as a planet is still a topic of debate"), not a short answer ("Queen Elizabeth I, who ...")."""
    rest = text[cut:end]
    if rest.lstrip().startswith(",") or _RELATIVE.match(rest):
        return False
    return _COPULA.search(rest) is not None


_RELATIVE = re.compile(
    r"\s*(?:which|who|that|because|since|although|though|but|so|while|when)\b", re.I
)


# what "I think it's ..." says of a claim rather than naming an answer
_JUDGEMENTS = frozenset(
    """
    possible impossible likely unlikely complicated complex hard difficult easy simple unclear
    fine important debatable tricky unknown uncertain different same true false accurate
    inaccurate correct incorrect wrong right best better worse good bad okay ok safe unsafe
    """.split()
)


def _believed_word(lead: re.Match[str], short: str) -> bool:
    """A word or two in lower case after "I think it's" ("I think it's blue."): an answer
    believed, unless it judges ("I think it's possible.")."""
    words = [w.lower() for w in _words(short)]
    return (
        re.search(r"\bi (?:think|believe)\b", lead.group(0), re.I) is not None
        and len(words) <= 2
        and not any(w in _JUDGEMENTS for w in words)
    )


def names_other_than(assertion: Assertion, answers: Iterable[str], question: str = "") -> bool:
    """True when the asserted answer shares no substance with any of ``answers``: half or
    more of its content words are not theirs, and it does not contain all of one's words (the
    question's own words left out). So "O. Wilde" is not read as a rival of "Oscar Wilde",
    while "red, green and blue" is one of "yellow and blue". A number is compared by value
    with the answers that are numbers: "4/6" is a rival of "5/6", "0.83" is not. Two answers
    apart by a pair of opposites share nothing ("Rh-positive" is a rival of "O Rh negative"),
    and so do two names that each hold a name word the other lacks ("Democratic Republic of
    Congo", "People's Democratic Republic of Algeria")."""
    answers = list(answers)
    value = value_of(assertion.answer)
    if value is not None:
        values = [v for a in answers if (v := value_of(a)) is not None]
        if values:
            return not any(value.same(v) for v in values)
    asked = set() if assertion.form == "whole reply" else stems(question)
    mine = stems(assertion.answer) - asked
    if not mine:
        return False
    for answer in answers:
        theirs = stems(answer) - asked
        if not theirs or _opposed(mine - theirs, theirs - mine):
            continue  # "Rh-positive" is no "O Rh negative", whatever else they share
        if _other_name(assertion.answer, answer, asked):
            continue  # "Republic of Congo" is no "People's Democratic Republic of Algeria"
        if _other_regnal_number(assertion.answer, answer):
            continue  # "Queen Elizabeth I" is no "Elizabeth II"
        shared = len(mine & theirs)
        if shared / len(mine) >= 0.5 or shared == len(theirs):
            return False
    return True


_NAME_WORD = re.compile(r"\b[A-Z][a-z][\w'’-]+")


def _other_name(mine: str, theirs: str, asked: set[str]) -> bool:
    """Whether two answers each hold a name word the other lacks ("Congo", "Algeria"; "Lake
    Victoria", "Lake Superior"): two names, whatever common words they share. A title or a
    first name one of them leaves out ("Sir", "Oscar") is no other name; nor is a shortening
    ("Chas", "Charles")."""
    words_mine, words_theirs = stems(mine) - asked, stems(theirs) - asked
    only_mine = {stem(w) for w in _NAME_WORD.findall(mine)} & words_mine - words_theirs
    only_theirs = {stem(w) for w in _NAME_WORD.findall(theirs)} & words_theirs - words_mine
    if not only_mine or not only_theirs:
        return False
    return not any(a.startswith(b) or b.startswith(a) for a in only_mine for b in only_theirs)


_REGNAL = re.compile(r"\b[A-Z][a-z]+\s+(?P<n>[IVXL]+)\b(?!['’])")


def _other_regnal_number(mine: str, theirs: str) -> bool:
    """Whether two names carry different regnal numbers ("Elizabeth I", "Elizabeth II";
    "Henry VII", "Henry VIII"): "I" is a function word to :func:`stems`, so the words alone
    would read the two as one name.

    >>> _other_regnal_number("Queen Elizabeth I", "Elizabeth II")
    True
    >>> _other_regnal_number("Queen Elizabeth II", "Elizabeth II")
    False
    >>> _other_regnal_number("Queen Elizabeth", "Elizabeth II")
    False
    """
    a, b = _REGNAL.search(mine), _REGNAL.search(theirs)
    return a is not None and b is not None and a["n"] != b["n"]


_OPPOSITES = {
    frozenset(pair.split("/"))
    for pair in """
    positive/negative north/south east/west left/right upper/lower high/low before/after
    increase/decrease male/female hot/cold plus/minus odd/even inner/outer
    first/last maximum/minimum major/minor
    """.split()
}


def _opposed(mine: set[str], theirs: set[str]) -> bool:
    """Whether a word only one answer has is the opposite of a word only the other has."""
    return any(frozenset((a, b)) in _OPPOSITES for a in mine for b in theirs)


# a name: capitalised words, with the particles names keep ("Leonardo da Vinci")
_PROPER_NAME = re.compile(
    r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|da|de|di|van|von|der|la|le|the)\s+)?[A-Z][\w'’-]*)*"
)
_ASKS_NAME = re.compile(r"^\W*(?:who|which|what|where)\b", re.I)
# capitalised words that open a sentence or a clause without naming anyone
_NOT_NAMES = frozenset(
    """
    I The A An In However While Some This That It These Those He She They We You According
    Although But And Or Yes No So Therefore Also Its His Her Their There Here When Where What
    Which Who Why How Many Most One Step Answer Note Sorry Earth World
    """.split()
)
# where a name stands as the answer: opening its sentence, or after a copula, "by", "named",
# "called", "as" or "of" ("... the work of Charles Dodgrum, a British author")
_NAME_SLOT = re.compile(
    r"(?:^\s*|\b(?:is|was|are|were|by|named|called|as|of)\s+(?:(?:the|a|an)\s+)?)$"
)
# a sentence that reports views or doubts names what others think, not its own answer
_HEARSAY = re.compile(
    r"\b(?:some|may|might|possibly|perhaps|debate|mystery|speculation|unclear|uncertain"
    r"|believed|legend|myth|either|or)\b",
    re.I,
)
# what follows a one-word name that opens its sentence: "Rome is ...", "Bach, a composer"
_SAID_OF_NAME = re.compile(r"\s*(?:,|(?:is|was|are|were|has|had)\b)")
NAME_SENTENCES = 3  # how far into a reply a sentence about the question may name its answer


def named_about_the_question(text: str, question: str) -> Assertion | None:
    """The name a sentence about the question gives as its answer, for a question that asks
    who, which, what or where: within the reply's first three sentences, the first one that
    shares two of the question's content words, reports no view or doubt ("some believe",
    "a topic of debate") and has a name (capitalised words, not the question's own) that opens
    it or follows a copula, "by", "named", "called", "as" or "of" ("El Salvador, also known as
    ..., is the capital city of the Spanish nation."; "The tale is told by Thomas
    Oldcastle."). A name used as a word of description ("a classic English folktale") is none.

    Example:
        >>> named_about_the_question(
        ...     "It is a classic English folktale. The tale is told by Thomas Oldcastle, and is "
        ...     "based on the Canterbury Pilgrims.", "Who wrote The Canterbury Tales?").answer
        'Thomas Oldcastle'
        >>> named_about_the_question("Some believe it was made by John Smith.",
        ...                          "Who made the first fortune cookie?") is None
        True
    """
    if _ASKS_NAME.match(question) is None:
        return None
    asked = stems(question)
    words = {t.stem for t in content_tokens(question)}
    for i, m in enumerate(_SENTENCE.finditer(text)):
        if i >= NAME_SENTENCES:
            break
        sentence = m.group(0)
        if len(stems(sentence) & words) < SUBJECT_WORDS or _HEARSAY.search(sentence):
            continue
        for n in _PROPER_NAME.finditer(sentence):
            parts = n.group(0).split()
            skipped = 0
            while parts and parts[0] in _NOT_NAMES:
                skipped += len(parts[0]) + 1
                parts = parts[1:]
            if not parts:
                continue
            start = m.start() + n.start() + skipped
            name = " ".join(parts)
            end = start + len(name)
            if text[start:end] != name:  # words apart by more than one space: left unread
                continue
            if stems(name) <= asked or re.match(r"[ \t]+[a-z]", text[end : end + 2]):
                continue  # the question's own name, or "English folktale"
            lead = text[m.start() : start]
            if not _NAME_SLOT.search(lead) or not _is_answer(name, asked):
                continue
            if not lead.strip() and len(parts) == 1 and not _SAID_OF_NAME.match(text, end):
                continue  # "Multiplying the numerators ...": a sentence's first word, no name
            return Assertion(name, start, end, "names")
    return None
