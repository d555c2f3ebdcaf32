"""Content words of a reply, for comparing it with an option's or an answer's wording.

A token is a lower-cased word or number with its span; number words become digits ("six" →
"6"), plurals and third-person "-s" are stripped ("indicates" → "indicate", "sides" → "side"),
and function words ("the", "is", "of"...) are left out. This is deliberately light: the
overlap scores built on it (:mod:`option_overlap`, :mod:`free_answer`) compare short phrases,
where a full stemmer or an embedding would add weight without adding precision.

Example:
    >>> [t.stem for t in content_tokens("A heptagon has six sides.")]
    ['heptagon', '6', 'side']
    >>> to_number("twelve"), to_number("1,040"), to_number("Rome")
    (12.0, 1040.0, None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        (
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        ).split()
    )
} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_BELOW_100 = (
    rf"(?:(?:{_TENS})(?:[-\s](?:{_UNITS}))?"
    r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    rf"|{_UNITS}|zero)"
)
_BELOW_1000 = rf"(?:(?:a|{_UNITS})\s+hundred(?:\s+(?:and\s+)?{_BELOW_100})?|{_BELOW_100})"
NUMBER_PHRASE = (
    rf"(?:{_BELOW_1000}\s+thousand(?:\s+(?:and\s+)?{_BELOW_1000})?|{_BELOW_1000}|hundred)"
)
"""A number written in words, compounds included ("six", "fifty-six", "fifty six", "a hundred
and five", "three thousand"): a regular expression to use with ``re.I`` between word
boundaries; :func:`to_number` reads what it matches."""

STOPWORDS = frozenset(
    """
    a an the and or but nor of to in on at by for from with without into onto over under about
    as than then so such that this these those there here it its it's itself is are was were be
    been being am do does did done has have had having can could would should will shall may
    might must not no yes i me my mine we us our you your yours he him his she her they them
    their what which who whom whose when where why how all any both each every few more most
    other some own same very just also only too quite rather really actually indeed still
    i'm i've i'd i'll you're you've we're they're that's what's let's
    """.split()
)

_WHOLE_PHRASE = re.compile(NUMBER_PHRASE, re.I)
_WORD = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*(?:['’][A-Za-z]+)?")


@dataclass(frozen=True)
class Token:
    """A content word: its normalised stem and where it is in the text."""

    stem: str
    start: int
    end: int


def to_number(token: str) -> float | None:
    """The value of a numeral ("1,040", "3.5") or number in words ("six", "fifty-six", "a
    hundred and five"), else ``None``.

    Example:
        >>> to_number("Fifty-six"), to_number("two hundred and ten"), to_number("six six")
        (56.0, 210.0, None)
    """
    t = token.strip().lower().replace(",", "")
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    try:
        return float(t)
    except ValueError:
        return _words_value(t)


def _words_value(text: str) -> float | None:
    """The value of a number written in several words, as :data:`NUMBER_PHRASE` matches them."""
    if not _WHOLE_PHRASE.fullmatch(text):
        return None
    total = current = 0
    for word in re.split(r"[-\s]+", text):
        if word == "and":
            continue
        if word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total, current = total + (current or 1) * 1000, 0
        elif word != "a":
            current += NUMBER_WORDS[word]
    return float(total + current)


_VALUE = re.compile(
    r"^\s*[$€£≈~]?\s*(?P<sign>[-−])?\s*(?:(?P<num>\d+)\s*/\s*(?P<den>\d+)"
    r"|(?P<dec>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d*\.\d+|\d+))\s*(?P<pct>%)?\s*$"
)


@dataclass(frozen=True)
class Value:
    """A number written out in full ("5/6", "0.83", "25%", "1,050"), with the rounding its
    writing allows: "0.83" stands for anything that rounds to it."""

    value: float
    tolerance: float

    def same(self, other: Value) -> bool:
        """Whether the two name the same number, up to either one's rounding.

        Example:
            >>> value_of("0.83").same(value_of("5/6")), value_of("4/6").same(value_of("5/6"))
            (True, False)
        """
        scale = max(1.0, abs(self.value), abs(other.value))
        slack = max(self.tolerance, other.tolerance) + 1e-9 * scale
        return abs(self.value - other.value) <= slack


def value_of(text: str) -> Value | None:
    """The number ``text`` is, when it is nothing but a number: an integer, a decimal, a
    fraction or a percentage (``None`` otherwise: "x^2", "4 min/km", "9π").

    Example:
        >>> value_of("25%"), value_of("3/4").value, value_of("9π")
        (Value(value=0.25, tolerance=0.005), 0.75, None)
    """
    m = _VALUE.match(text)
    if m is None:
        return None
    if m["den"] is not None:
        den = int(m["den"])
        if den == 0:
            return None
        value, tolerance = int(m["num"]) / den, 0.0
    else:
        digits = m["dec"].replace(",", "")
        value = float(digits)
        places = len(digits.split(".")[1]) if "." in digits else 0
        tolerance = 0.5 * 10.0**-places if places else 0.0
    if m["pct"]:
        value, tolerance = value / 100, (tolerance or 0.5) / 100
    if m["sign"]:
        value = -value
    return Value(value, tolerance)


# a verb's irregular past forms, and British spellings, as the word a question asks with
# ("What did SOS stand for?" and "SOS stood for ..."; "colour" and "color")
_SAME_WORD = {
    "stood": "stand",
    "said": "say",
    "came": "come",
    "went": "go",
    "gone": "go",
    "made": "make",
    "wrote": "write",
    "written": "write",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "saw": "see",
    "seen": "see",
    "found": "find",
    "told": "tell",
    "began": "begin",
    "begun": "begin",
    "grew": "grow",
    "grown": "grow",
    "knew": "know",
    "known": "know",
    "drank": "drink",
    "drunk": "drink",
    "ate": "eat",
    "eaten": "eat",
    "won": "win",
    "built": "build",
    "spoke": "speak",
    "spoken": "speak",
    "flew": "fly",
    "flown": "fly",
    "fell": "fall",
    "fallen": "fall",
    "led": "lead",
    "sang": "sing",
    "sung": "sing",
    "colour": "color",
}


def stem(word: str) -> str:
    """A light normal form: lower case, no possessive, numbers as digits, plural stripped, an
    irregular past form as its verb ("stood": "stand") and a British spelling as the American.

    Example:
        >>> [stem(w) for w in ("Stood", "colours", "6", "Paris's")]
        ['stand', 'color', '6', 'paris']
    """
    w = re.sub(r"['’]s$", "", word.lower())
    x = to_number(w)
    if x is not None:
        return str(int(x)) if x.is_integer() else str(x)
    if w in _SAME_WORD:
        return _SAME_WORD[w]
    if w.endswith("s") and w[:-1] in _SAME_WORD:
        return _SAME_WORD[w[:-1]]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith("es") and w[-3] in "sxz":
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=\d))+[.!?]*")
"""A sentence with its closing marks ("Is it 2.5?"): a point before a digit is a decimal point."""


def content_tokens(text: str) -> list[Token]:
    """The content words of ``text`` in order, function words left out."""
    out: list[Token] = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word.lower() in STOPWORDS:
            continue
        out.append(Token(stem(word), m.start(), m.end()))
    return out


def first_line(text: str) -> str:
    r"""The first line of ``text`` that holds anything, stripped: a question's asking line,
    without the options and instructions after it.

    >>> first_line("\n  What is 2 + 2?\n(A) 4")
    'What is 2 + 2?'
    """
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def stems(text: str) -> set[str]:
    """The set of content stems of ``text``."""
    return {t.stem for t in content_tokens(text)}
