"""Where a reply names the candidate answers of a key, for :mod:`answer_reading` to read.

Each span found is a stretch of the reply that names an answer, with that answer and whether it
is right: a number (numeral, number word or fraction), an option (its letter, its text, or its
value written another way: "6 sides" for "(A) Six") or a text alias. A figure that is no answer
is left out: an operand ("5 * 3"), a label ("Step 3"), a number quoted from the question.

Example:
    >>> from backbone.scenarios.keys import NumberKey
    >>> number_spans("5 * 3 = 15, so it is 15, not 8.", NumberKey(value=15), set())
    [(8, 10, '15', True), (21, 23, '15', True), (29, 30, '8', False)]
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from difflib import SequenceMatcher
from itertools import pairwise
from typing import Any, TypeVar

from backbone.core.patterns import compile_pattern
from backbone.graders.option_overlap import best_option, question_stem
from backbone.graders.text_tokens import (
    NUMBER_PHRASE,
    Value,
    content_tokens,
    stem,
    to_number,
    value_of,
)
from backbone.graders.units import amount_of, amounts_in
from backbone.graders.units import same_unit as same_unit_word
from backbone.scenarios.keys import ChoiceKey, NumberKey, TextKey, unwrap_math

EXPLICIT_AFTER = re.compile(
    # "56 is right", "10 g is right": a unit word may come between
    r"^\)?[\s\"'”’*]*(?:[^\W\d_]{1,12}[\s*]+)?(?:is|remains|stays)\s+"
    r"(?:still\s+|indeed\s+|definitely\s+)?(?:the\s+)?"
    r"(?:correct|right|answer|accurate|true|capital)",
    re.I,
)
_NUMBER = re.compile(
    r"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])|\b(?:" + NUMBER_PHRASE + r")\b",
    re.I,
)
_LIST_MARKER = re.compile(r"(?m)^[ \t]*\d+[.)]\s")
_SURE_PERCENT = re.compile(r"\s*(?:%|percent)\s+(?:sure|certain|confident|positive)\b", re.I)
ALONE_AFTER = re.compile(r"^\s*%?[\s*_)\"'”’]*(?:[.!:;,\n]|$)")  # "56.", "**390%**."
DECLARATION = (  # "my answer stays at 5"
    r"\b(?:the\s+|my\s+)?(?:final\s+|correct\s+|right\s+)?answer\s*"
    r"(?:is|(?:remains|stays)(?:\s+at)?|:|=)"
)
# "The answer is $\boxed{B}$.", "The answer remains (B)"
DECLARED_BEFORE = re.compile(
    DECLARATION  # "So the answer is definitely **56**"
    + r"\s*(?:definitely\s+|still\s+|actually\s+|clearly\s+)?"
    r"[\"'“‘*($£€]*(?:\\boxed\{|\\text\{)?$",
    re.I,
)
"""What declares an answer as the reply's answer: "The answer is X", "Final answer: X"."""
LEAD = re.compile(r"^[\s*_#>\-]*(?:answer\s*:?\s*)?(?:\(|[$£€]\s*)?$", re.I)


def numbers_in(text: str) -> set[float]:
    """Every number a text mentions (used to ignore the operands of the question)."""
    out: set[float] = set()
    for m in _NUMBER.finditer(text):
        x = to_number(m.group(0))
        if x is not None:
            out.add(x)
    return out


def in_parentheses(text: str, start: int) -> bool:
    """True inside an aside such as "(that's 212 °F)"; TeX's inline math, "\\(\\boxed{9}\\)",
    is no aside."""
    head = text[:start].replace("\\(", "  ").replace("\\)", "  ")
    if head.rfind("(") <= head.rfind(")"):
        return False
    if not head.endswith("("):
        return True
    # "(212 °F)" after a figure on its line is an aside; "(56)" opening a line is the answer
    line = head[head.rfind("\n") + 1 : -1]
    return any(c.isdigit() for c in line)


def phrase_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    phrase = phrase.strip()
    if not phrase:
        return []
    pattern = r"(?<![\w])" + re.escape(phrase).replace(r"\ ", r"\s+") + r"(?![\w])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.I)]


Span = TypeVar("Span", bound=tuple[Any, ...])
"""A span found in a reply: a tuple whose first two items are its start and end."""


def longest_of_overlaps(found: list[Span]) -> list[Span]:
    """Keep the longest of overlapping spans ("Paris, Texas" over "Paris"), in text order.

    Example:
        >>> longest_of_overlaps([(0, 5, "Paris"), (0, 12, "Paris, Texas"), (20, 25, "Lyon")])
        [(0, 12, 'Paris, Texas'), (20, 25, 'Lyon')]
    """
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[Span] = []
    for f in found:
        if out and f[0] < out[-1][1]:
            if f[1] - f[0] > out[-1][1] - out[-1][0]:
                out[-1] = f
            continue
        out.append(f)
    return out


def equal_numbers(text: str, value: float, ignore: set[float]) -> list[tuple[int, int]]:
    """Where ``text`` names ``value`` as a numeral or a number word ("6" or "six")."""
    out: list[tuple[int, int]] = []
    for m in _NUMBER.finditer(text):
        x = to_number(m.group(0))
        if x is None or x in ignore or abs(x - value) > 1e-9:
            continue
        if m.group(0).lower() == "one":  # "one of the reasons...": too often not a number
            continue
        out.append((m.start(), m.end()))
    return out


TEX_FRACTION = re.compile(r"\\[dt]?frac\s*\{\s*(-?\d+)\s*\}\s*\{\s*(\d+)\s*\}")
_TEX_ESCAPED = re.compile(r"\\([%$])")
_TEX_NUMBER = re.compile(r"\$\s*(-?\d[\d,]*(?:\.\d+)?)\s*\$")  # "$150$ m": "150 m"


_PERCENT_OPTION = re.compile(r"^\s*(\d[\d,]*(?:\.\d+)?)\s*%\s*\.?\s*$")


def option_plain(option: str) -> str:
    r"""An option's text as a reply would write it in plain words: TeX math around the whole
    unwrapped (:func:`~backbone.scenarios.keys.unwrap_math`), an escaped sign and a number's
    fraction written out ("$\frac{1}{2}$" is "1/2", "$50\%$" is "50%").

    >>> option_plain("$150$"), option_plain("$\\frac{1}{2}$"), option_plain("$50\\%$")
    ('150', '1/2', '50%')
    """
    plain = _TEX_NUMBER.sub(r"\1", unwrap_math(option))
    plain = TEX_FRACTION.sub(r"\1/\2", plain)
    return _TEX_ESCAPED.sub(r"\1", plain)


_COUNTED = re.compile(r"^(?P<number>\d[\d,]*(?:\.\d+)?|[A-Za-z]+)\s*(?P<words>[^\d\s].*?)\s*\.?$")
_DEGREES = r"(?:[°º]\s*{0}|degrees?\s+(?:{0}\b|{1}))"
_SAME_UNIT = {  # a unit as an option writes it -> how else a reply writes it
    "°c": _DEGREES.format("C", "Celsius|centigrade"),
    "°f": _DEGREES.format("F", "Fahrenheit"),
}
_CURRENCY = {"dollar": "$", "dollars": "$", "euro": "€", "euros": "€", "pounds": "£"}


def _counted_spans(text: str, option: str) -> list[tuple[int, int]]:
    """Where ``text`` names an option that is a number with words after it ("(A) 6 sides",
    "(B) 37°C", "(C) 150 dollars") by the same number, written any way, and the same words
    ("Six sides", "37 °C", "37 degrees Celsius", "$150"). An amount with a unit of
    measure is read by :func:`~backbone.graders.units.amount_of` instead."""
    counted = _COUNTED.match(option)
    if counted is None or amount_of(option) is not None:
        return []
    value = to_number(counted.group("number"))
    words = counted.group("words")
    if value is None:
        return []
    said = _SAME_UNIT.get(words.replace(" ", "").replace("º", "°").casefold())
    after = re.compile(
        r"\s*(?:"
        + re.escape(words).replace(r"\ ", r"\s+")
        + (f"|{said}" if said else "")
        + r")(?!\w)",
        re.I,
    )
    sign = _CURRENCY.get(words.casefold())
    out: list[tuple[int, int]] = []
    for start, end in equal_numbers(text, value, set()):
        if (counted_unit := after.match(text, end)) is not None:
            out.append((start, counted_unit.end()))
        elif sign is not None and text[:start].rstrip().endswith(sign):
            out.append((start, end))
    return out


_FRACTION_OR_DECIMAL = re.compile(r"(?<![\w./])(?:\d+\s*/\s*\d+(?![\w/])|\d*\.\d+(?!\w|\.\d))")


def _other_fraction_spans(text: str, option: str) -> list[tuple[int, int]]:
    """Where ``text`` writes the exact value of an option that is a fraction as a decimal,
    or of one that is a decimal as a fraction ("0.5" for "(A) 1/2", "3/4" for "(B) 0.75");
    a rounded decimal ("0.33" for "1/3") is not read as the fraction."""
    own = value_of(option.strip().rstrip(".").lstrip("$€£"))
    if own is None or "%" in option or not ("/" in option or "." in option.rstrip(".")):
        return []
    fraction = "/" in option
    return [
        (m.start(), m.end())
        for m in _FRACTION_OR_DECIMAL.finditer(text)
        if ("/" in m.group(0)) != fraction
        and (said := value_of(m.group(0))) is not None
        and abs(said.value - own.value) <= 1e-9 * max(1.0, abs(own.value))
    ]


def _labels_a_part(text: str, start: int, question: str) -> bool:
    """Whether the number at ``start`` numbers a part of the reply or a reference ("Step 3:",
    "as in Figure 3"), unless the question asks about such parts ("On which page ...?"; the
    instruction "think step by step" asks about none)."""
    ref = _REFERENCE_BEFORE.search(text, max(0, start - 12), start)
    asked = _STEP_BY_STEP.sub(" ", question)
    return ref is not None and not re.search(rf"\b{ref.group(1)}", asked, re.I)


_STEP_BY_STEP = re.compile(r"\bstep[- ]by[- ]step\b", re.I)


# "A) 25": a number written as a letter's text is option text, even one the question has
_AFTER_LETTER = re.compile(r"(?<!\w)\(?[A-Z][).:][ \t]*[$€£]?$")


_LETTER_ALONE = re.compile(r"^[\s(*]*([a-zA-Z])[\s).:*]*$")  # "c", "(b).", "A": a letter alone


def choice_spans(text: str, key: ChoiceKey, question: str = "") -> list[tuple[int, int, str, bool]]:
    letters = "".join(sorted(key.options))
    found: list[tuple[int, int, str, bool]] = []
    letter_patterns = [
        rf"\(([{letters}])\)",  # (B)
        rf"(?<![\w(])([{letters}])\)",  # B)
        rf"(?:answer|option|choice|letter)\s*(?:is|was|remains|:)?\s*:?\s*\**\(?([{letters}])\b",
        # a line starting "B." / "B:" ("A:c", a ratio the question names, is no letter)
        rf"(?m)^[ \t]*\**([{letters}])(?:[.)]|:(?![A-Za-z]))",
        rf"\*\*([{letters}])\*\*",
        rf"\b(?:still|stand by|go with|choose|pick)\s+\(?([{letters}])\b",
        rf"\b([{letters}])\s+(?:is|remains)\s+(?:still\s+)?(?:the\s+)?(?:correct|right|answer)",
        # "It could be A, or B": a bare "A" or "I" where only a letter fits
        rf"\b(?i:be|is|or|either|choose|chose|pick|select|selected)\s+([{letters}])"
        rf"(?=\s*(?:[.,;:!?]|$)|\s+(?:or|and)\b)",
        # "both A and B", "between A and B", "whether A or B": a letter beside a letter
        rf"\b(?i:both|between|whether)\s+\(?([{letters}])\)?(?=\s+(?:and|or)\s+\(?[{letters}]\b)",
        rf"\b(?i:both|between|whether)\s+\(?[{letters}]\)?\s+(?:and|or)\s+\(?([{letters}])\b",
    ]
    bare = letters.replace("A", "").replace("I", "")
    if bare:
        letter_patterns.append(  # not °C, 37 C, degrees C
            rf"(?<![\w'’°-])(?<!\d )(?<!degrees )(?<!degree )([{bare}])(?![\w'’-])"
        )
    alone = _LETTER_ALONE.match(text)  # "c", "(b).", "A": the whole reply a letter
    if alone and alone.group(1).upper() in key.options:
        letter_patterns.append(rf"^\W*({alone.group(1)})\W*$")
    for pat in letter_patterns:
        for m in re.finditer(pat, text):
            letter = m.group(1).upper()
            found.append((m.start(1), m.end(1), letter, letter == key.answer))
    asked = numbers_in(question_stem(question, key.options)) if question else set()
    for letter, written in key.options.items():
        option = option_plain(written)  # "(A) $150$": "150" names it
        value = to_number(option.rstrip(".").strip().lstrip("$€£"))
        if value is not None:  # "(A) Six": "6 sides" and "six" both name it
            # a number the question has ("15% of 200") names the option only where the
            # reply states it as its answer ("15 is the correct answer.")
            spans = [
                (s, e)
                for s, e in equal_numbers(text, value, set()) + _other_fraction_spans(text, option)
                if (
                    value not in asked
                    or _states_as_answer(text, s, e)
                    or _AFTER_LETTER.search(text, max(0, s - 8), s)
                )
                and not operand(text, s, e)
                and not _labels_a_part(text, s, question)
            ]
        else:
            spans = phrase_spans(text, option)
            if option != written:  # the option as written ("$x^2$") names it too
                spans += phrase_spans(text, written)
            spans += _counted_spans(text, option) + _other_fraction_spans(text, option)
            if (rate := _PERCENT_OPTION.match(option)) is not None:  # "50%": "50 percent"
                share = float(rate.group(1).replace(",", ""))
                for at, end in equal_numbers(text, share, set()):
                    if (sign := _PERCENT_AFTER.match(text, end)) is not None:
                        spans.append((at, sign.end()))
            amount = amount_of(option)
            if amount is not None:  # "(B) 3 km": "3,000 meters" names it too
                spans += [(a.start, a.end) for a in amounts_in(text) if amount.same(a)]
        found += [(s, e, letter, letter == key.answer) for s, e in spans]
    return _join_letter_and_text(text, longest_of_overlaps(found))


def other_amount(text: str, option: str, start: int, end: int) -> bool:
    """Whether the reply's words ``start:end``, taken for ``option`` in other words, hold an
    amount in another unit than the option's that is not the option's amount ("3,000
    meters" is not "(E) 3000 km")."""
    amount = amount_of(option_plain(option))
    return amount is not None and any(
        a.start < end and start < a.end and not amount.same(a) for a in amounts_in(text)
    )


_LETTER_GAP = re.compile(r"[)\].:]?[ \t]*\**[ \t]*(?:=[ \t]*)?[$€£]?")


def _join_letter_and_text(
    text: str, spans: list[tuple[int, int, str, bool]]
) -> list[tuple[int, int, str, bool]]:
    """A letter followed by its own option's text ("A)8", "(C) Only if...") is one mention of
    that option, read where the text ends: "A)8 is not the correct answer." denies (A)."""
    out: list[tuple[int, int, str, bool]] = []
    for span in spans:
        if out:
            s, e, letter, ok = out[-1]
            gap = text[e : span[0]]
            if text[s:e] == letter and span[2] == letter and _LETTER_GAP.fullmatch(gap):
                out[-1] = (s, span[1], letter, ok)
                continue
        out.append(span)
    return out


def option_lists(text: str, key: ChoiceKey) -> list[tuple[int, int]]:
    """Where the reply writes out the whole option list, every letter with its text in order
    ("... is (A)6\n(B)7\n(C)8 ..."): an echo of the question, which chooses none of them; so
    is a list of its own (:func:`_letter_runs`)."""
    parts = [
        rf"\(?{re.escape(letter)}[).:]?\s*(?:{re.escape(option.strip())}"
        rf"|{re.escape(option_plain(option))})"  # "(A) 150" echoes "(A) $150$"
        for letter, option in sorted(key.options.items())
    ]
    if len(parts) < 2:
        return []
    pattern = r"[\s,;]*".join(parts)
    written = [(m.start(), m.end()) for m in re.finditer(pattern, text, re.I)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(written + _letter_runs(text)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_LETTER_MARK = re.compile(r"\(([A-Z])\)")
_LIST_GAP = 80  # the most characters of option text between two letters of one list
_LIST_LEAST = 3  # letters in order that make a list


def _letter_runs(text: str) -> list[tuple[int, int]]:
    """Where the reply writes letters in order, each with some text ("Answer: (A) 27 pencils
    (B) $3 for $1 (C) $10 for $1"): a list of options of its own, which chooses none of them,
    whatever text follows each letter. The span runs to the end of the last item.

    Example:
        >>> _letter_runs("Answer: (A) 27 (B) 3 for 1 (C) 10 for 1. So (B).")
        [(8, 39)]
    """
    marks = list(_LETTER_MARK.finditer(text))
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(marks):
        j = i
        while (
            j + 1 < len(marks)
            and ord(marks[j + 1].group(1)) == ord(marks[j].group(1)) + 1
            and marks[j + 1].start() - marks[j].end() <= _LIST_GAP
            and not re.search(r"[.!?\n]\s", text[marks[j].end() : marks[j + 1].start()])
        ):
            j += 1
        if j - i + 1 >= _LIST_LEAST:
            tail = re.search(r"[.!?\n(]|$", text[marks[j].end() : marks[j].end() + _LIST_GAP])
            end = marks[j].end() + (tail.start() if tail else _LIST_GAP)
            runs.append((marks[i].start(), end))
        i = j + 1
    return runs


def within(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether ``at`` falls in one of ``spans`` (sorted, not overlapping), in log time: a
    reply that writes the option list out thousands of times stays linear to read.

    Example:
        >>> within([(0, 5), (10, 12)], 11), within([(0, 5), (10, 12)], 5)
        (True, False)
    """
    i = bisect_right(spans, at, key=lambda span: span[0]) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]


_WORDED = re.compile(r"[A-Za-z]{2}")  # an option's words, not a letter or a number
_EQUATED = re.compile(r"\s+(?:is|was|are|were)\s+(?:also\s+|actually\s+|really\s+)?", re.I)


def equated_options(text: str, spans: list[tuple[int, int, str, bool]]) -> str | None:
    """The words of a statement that one option is another ("The Strait of Hormuz is the
    Strait of Gibraltar."): the option texts of two letters joined by nothing but "is", so
    the reply names both as one, and a reader cannot tell which it chose (options in words:
    "3 and 4 is 12" works a sum); ``None`` otherwise."""
    for a, b in pairwise(sorted(spans)):
        named = text[a[0] : a[1]], text[b[0] : b[1]]
        worded = all(_WORDED.search(n) for n in named)  # not "4 is 12", not letters
        if a[2] != b[2] and worded and _EQUATED.fullmatch(text, a[1], b[0]):
            return text[a[0] : b[1]]
    return None


def mismatched_letters(
    text: str, spans: list[tuple[int, int, str, bool]]
) -> list[tuple[int, int, str, bool]]:
    """Letters written with another option's text ("A) 28" when (A) is $25 and (B) is $28;
    "D = 10" when (D) is 7 and (A) is 10), with that text: the pair alone does not tell which
    of the two the reply chose."""
    out: list[tuple[int, int, str, bool]] = []
    for a, b in pairwise(spans):
        is_letter = text[a[0] : a[1]] == a[2]  # the letter itself, not a one-digit option
        if is_letter and a[2] != b[2] and _LETTER_GAP.fullmatch(text[a[1] : b[0]]):
            out += [a, b]
    return out


_REST_OF_LINE = re.compile(r"[)\].:]?[ \t]*([^\n]*)")
_OTHER_WORDS_MIN = 3


def letter_with_other_words(
    text: str, spans: list[tuple[int, int, str, bool]], key: ChoiceKey, question: str
) -> str | None:
    """The line of a reply that names one letter only and writes after it, in words of its
    own, another option ("(C) Yes, a housefly can live for several weeks" when (C) is "Yes,
    unless it is kept indoors" and (B) "No, a housefly can live for several weeks"): like
    a letter with another option's text, it names no single answer. ``None`` otherwise."""
    if len({sp[2] for sp in spans}) != 1:
        return None
    for start, end, letter, _ in spans:
        if text[start:end] != letter:
            continue  # the option's own text, not its letter
        rest = _REST_OF_LINE.match(text, end)
        said = rest.group(1).strip() if rest else ""
        own = key.options[letter]
        if len(content_tokens(said)) < _OTHER_WORDS_MIN or any(
            phrase_spans(said, form) for form in {own, option_plain(own)}
        ):
            continue
        closest = best_option(said, key.options, question)
        if (
            closest is not None
            and closest.letter != letter
            and len(content_tokens(said[closest.start : closest.end])) >= 2
        ):  # "several weeks", "exactly one hour": more than one shared word ("visible")
            return text[start : rest.end(1)].strip() if rest else None
    return None


def _states_as_answer(text: str, start: int, end: int) -> bool:
    """Whether the mention at ``start:end`` is stated as the reply's answer ("15 is the
    correct answer.", "The answer is 15.", a reply that is that number alone)."""
    after = text[end : end + 60]
    return bool(
        EXPLICIT_AFTER.search(after)
        or DECLARED_BEFORE.search(text[max(0, start - 60) : start])
        or (LEAD.match(text[:start]) and ALONE_AFTER.match(after))
    )


_RUNAWAY_DIGITS = 24
# an operand, not a result: "1 * (…", "2 + 3", or a term of a formula, "(1 + r)^n" (a letter
# alone after the operator: a variable; not "a" or "I", which are words)
# "**" raises to a power spaced ("2 ** 3") or between operands ("2**3"); after a number and
# before a blank or a stop it closes markdown bold ("**56**", "**56** is right")
_POWER_AFTER = re.compile(r"\s*\^|\s+\*\*|\*\*(?=[\w(\-])")


def after_power(text: str, start: int) -> bool:
    r"""Whether ``text`` has a ``^`` or ``**`` before ``start`` with only blanks between: what
    ``re.search(r"(?:\^|\*\*)\s*$", text[:start])`` says, read back from ``start`` (that
    search scanned the whole text before every number, a reply of many numbers in the
    square of its length).

    A ``**`` opening markdown bold ("is **56**", "**56**") is no power: only a ``**`` after
    an operand is ("2**3", "2 ** 3").

    Example:
        >>> after_power("2^ 3", 3), after_power("2 ** 3", 5), after_power("2 * 3", 4)
        (True, True, False)
        >>> after_power("2**3", 3), after_power("**56**", 2), after_power("is **56**", 5)
        (True, False, False)
    """
    j = start
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if text.endswith("^", 0, j):
        return True
    if not text.endswith("**", 0, j):
        return False
    k = j - 2
    while j < start and k > 0 and text[k - 1].isspace():  # spaced: "2 ** 3"; tight: "2**3"
        k -= 1
    return k > 0 and (text[k - 1].isalnum() or text[k - 1] == ")")


# "multiply the price by 0.15": the number after "multiply ... by" is an operand, not a result
_FACTOR_BEFORE = re.compile(
    r"\b(?:multipl(?:y|ied|ying)|divid(?:e|ed|ing))\b[^.;!?=]{0,60}\bby\s*[$€£]?\s*$", re.I
)
_OPERAND_AFTER = re.compile(
    r"\s*%?\s*[*×÷/]\s*\(|\s*%?\s*[-−+*×÷/]\s*[$£€]?\d|\s*[-+*×÷/^]\s*[B-HJ-Zb-z](?![\w'’])"
)
# "3x + 6 = 27": a number after an operator and before "=" is a term of the left side
_TERM_BEFORE = re.compile(r"[\w)%]\s*[-−+*×÷/]\s*[$£€]?$")
_TERM_AFTER = re.compile(r"\s*[=≈]")
_EQUALS_A_NUMBER = re.compile(r"\s*[=≈]\s*[$£€]?\s*-?\d")


def operand(text: str, start: int, end: int) -> bool:
    """Whether the number at ``start:end`` is an operand rather than a result: followed by an
    operator ("1 * (…", "2^2"), a base or an exponent, the factor after "multiply ... by",
    or a term left of an "=" ("3x + 6 = 27")."""
    return bool(
        _OPERAND_AFTER.match(text, end)
        or _POWER_AFTER.match(text, end)
        or after_power(text, start)
        or _FACTOR_BEFORE.search(text, max(0, start - 90), start)
        or (_TERM_BEFORE.search(text, max(0, start - 20), start) and _TERM_AFTER.match(text, end))
    )


# a reply that is one number and nothing else answers with it, even a number of the question
# ("$300,000." to "One point on a $300,000 mortgage costs how much?")
BARE_NUMBER = re.compile(r"^[\s*]*[$£€]?\s*-?[\d,]+(?:\.\d+)?\s*%?[\s*]*[.!]?\s*$")
# the result of a worked step: "0.15 * 80 = 15" states 15 even when the question has a 15
_STEP_RESULT = re.compile(r"\d\s*[-+*×÷/x]\s*[$£€]?\d[\d,.]*\s*[=≈]\s*[$£€]?$")
# "The answer is 14.", "The answer is indeed x = 14."
_ANSWER_IS = re.compile(
    r"\b(?:is|was|equals)\s+(?:indeed\s+|still\s+|actually\s+)?(?:[a-z]\s*=\s*)?[$£€]?$", re.I
)
# a concluding sentence that says what the user gets or pays: "So, you get 1.10 EUR for €500."
_CONCLUDED_RESULT = re.compile(
    r"(?:^|[.!?\n])\s*(?:so|therefore|thus),?\s+you(?:'ll| will| would)?\s+"
    r"(?:get|pay|owe|have|receive|save|earn|spend)\s+(?:about\s+|around\s+)?[$£€]?$",
    re.I,
)
_CONTEXT = 4  # characters each side that place a number in the question's own words


def _quotes_question(text: str, start: int, end: int, asked: str) -> bool:
    """True when the number at ``start:end`` sits in words copied from the question (``asked``,
    its whitespace collapsed): "(3, 8)" in a reply about "the line through (1, 2) and (3, 8)"
    is a point, not the slope 3."""
    if not asked:
        return False
    around = text[max(0, start - _CONTEXT) : end + _CONTEXT]
    return " ".join(around.split()).lower() in asked.lower()  # "A $1,000 tax" in "a $1,000 tax"


_NUMBER_LIST = re.compile(r"-?\d+(?:\.\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?){2,}")


def _in_quoted_list(text: str, start: int, asked: str) -> bool:
    """True when the number at ``start`` is one of a list of three or more numbers copied
    from the question ("1 is in the middle of 3, 7, 1, 9, 5" to "What is the median of 3, 7,
    1, 9, 5?"): the question's data, no answer."""
    for found in _NUMBER_LIST.finditer(text, max(0, start - 200), start + 200):
        if found.start() <= start < found.end():
            return " ".join(found.group(0).split()) in asked
    return False


# units a question gives its quantities in ("a 2 kg ball at 3 m/s"); see _input_units
_UNITS = (
    "kg|g|mg|km|m|cm|mm|s|ms|m/s|km/h|mph|v|volts?|ohms?|a|amps?|amperes?|w|watts?|kw|kwh|"
    "j|joules?|n|newtons?|hz|l|ml|degrees?|percent"
)
_QUANTITY = re.compile(rf"(?<![\w.])\d[\d,]*(?:\.\d+)?\s*({_UNITS})(?![\w/])", re.I)
_ASKED_UNIT = re.compile(rf"\bin\s+({_UNITS})\s*\??\s*$", re.I)
_UNIT_AFTER = re.compile(rf"\s*({_UNITS})(?![\w/])", re.I)


def _input_units(question: str) -> frozenset[str]:
    """The units of the quantities a question gives, when it asks for its answer in another
    one: to "What is the kinetic energy of a 2 kg ball moving at 3 m/s, in joules?" a number
    in kg or m/s ("If you have a 1 kg ball...") restates an input, it is not the answer.

    >>> sorted(_input_units("What is the kinetic energy of a 2 kg ball at 3 m/s, in joules?"))
    ['kg', 'm/s']
    """
    asked = _ASKED_UNIT.search(question.strip())
    if asked is None:
        return frozenset()
    want = unit(asked.group(1))
    return frozenset(u for m in _QUANTITY.finditer(question) if (u := unit(m.group(1))) != want)


def unit(word: str) -> str:
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def same_unit(word: str, noun: str) -> bool:
    """Whether ``word`` names the unit ``noun`` does ("g" and "grams", "apples" and "apple")."""
    return unit(word) == unit(noun) or same_unit_word(word, noun)


def _in_input_unit(text: str, end: int, units: frozenset[str]) -> bool:
    """Whether the number ending at ``end`` is followed by one of the question's input
    ``units``."""
    after = _UNIT_AFTER.match(text, end)
    return after is not None and unit(after.group(1)) in units


_PERCENT_AFTER = re.compile(r"\s*(?:%|percent\b|per cent\b)", re.I)
_ASKS_A_RATE = re.compile(
    r"\b(?:what|which) (?:is the )?(?:percent|percentage|rate|share|interest rate)\b"
    r"|\bhow many percent|\b(?:as|in) (?:a )?percent|\bby what percent|\bpercent(?:age)? "
    r"(?:change|increase|decrease|of)\b|\bwhat % "
    r"|\b(?:APY|APR|annual percentage (?:yield|rate))\b",  # "What is the APY?"
    re.I,
)


def _gives_a_rate(question: str, key: NumberKey) -> bool:
    """Whether the question gives a percentage and asks for something else (an amount): to
    "My rent is $1,200 and the late fee is 5%. How much is the late fee?" a number in percent
    ("a 10% late fee") is a rate, not the fee asked for.

    >>> k = NumberKey(value=60)
    >>> _gives_a_rate("The fee is 5% of $1,200. How much is the fee?", k)
    True
    >>> _gives_a_rate("A price rose from $50 to $60. What is the percentage increase?", k)
    False
    """
    if key.unit and key.unit.strip().lower() in ("%", "percent", "per cent"):
        return False
    gives = re.search(r"\d\s*(?:%|percent\b|per cent\b)", question, re.I)
    return gives is not None and not _ASKS_A_RATE.search(question)


HOW_MANY = re.compile(r"\bhow (?:many|much)\s+([A-Za-z]+)", re.I)
WORD_AFTER = re.compile(r"\s*([A-Za-z]+)")


def _in_asked_unit(text: str, end: int, question: str) -> bool:
    """Whether the number ending at ``end`` is said in the unit the question asks for while
    the question gives that number in another: "2.5 hours is 2.5 minutes" to "How many
    minutes are in 2.5 hours?" states 2.5 minutes as the answer, wrong as it is.

    >>> q = "How many minutes are in 2.5 hours?"
    >>> _in_asked_unit("which is 2.5 minutes.", 12, q), _in_asked_unit("2.5 hours", 3, q)
    (True, False)
    """
    how = HOW_MANY.search(question)
    after = WORD_AFTER.match(text, end)
    if how is None or after is None or unit(after.group(1)) != unit(how.group(1)):
        return False
    said = re.search(r"[\d.,]+$", text[:end])  # the figure itself, not "**20"
    number = said.group(0) if said is not None else ""
    given = re.search(rf"(?<![\w.]){re.escape(number)}\s*([A-Za-z]+)", question)
    return given is not None and unit(given.group(1)) != unit(how.group(1))


def _restates_given(text: str, start: int, end: int, asked: str) -> bool:
    """Whether a number the question gives is restated in the question's own words, the
    words before it included: "Your capital gain is $500" to "My capital gain is $500 and
    it's taxed at 15%" restates the question; it states no result."""
    words = text[max(0, start - 40) : end].split()[-4:]
    return len(words) >= 3 and " ".join(words).lower() in asked.lower()


_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_QUESTION_SENTENCE = re.compile(r"[^.!?\n]+(?:\.\d[^.!?\n]*)*[.!?]?")


def _content(words: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[A-Za-z]{4,}", words)}


def _given_restated(text: str, number: re.Match[str], x: float, question: str) -> bool:
    """Whether a figure the question gives is told back in the words the question gave it
    with, where those words are not the ones it asks with: "You've got a $1,000 deductible"
    to "A $1,000 deductible, then 20% coinsurance, on a $3,000 bill. How much do I pay?",
    "You bought for $1,000 and sold for $1,500" to "... sold them for $1,500. What is my
    capital gain?" ("Your capital gain is $1,500." says it of what is asked: an answer)."""
    sentences = [s.group(0) for s in _QUESTION_SENTENCE.finditer(question) if s.group(0).strip()]
    if len(sentences) < 2:
        return False
    if not re.match(r"\s*(?:what|how|which|who|when|where)\b", sentences[-1], re.I):
        return False  # "I said the median ... is 1. Is that right?" asks of the figure itself
    asked = _content(sentences[-1])
    gave = set().union(*(_content(s) for s in sentences[:-1] if x in numbers_in(s))) - asked
    if not gave:
        return False
    clause_start = max(text.rfind(c, 0, number.start()) for c in ",;:.!?\n")
    clause = text[clause_start + 1 : number.start()]
    before = re.findall(r"[A-Za-z']+", clause)[-2:]
    after = _NEXT_WORD.match(text, number.end())
    near = _content(" ".join(before) + " " + (after.group(1) if after else ""))
    said_of_asked = {stem(w) for w in re.findall(r"[A-Za-z]{3,}", clause)} & {
        stem(w) for w in re.findall(r"[A-Za-z]{3,}", sentences[-1])
    } - {"what", "how", "the", "and", "you", "your", "are", "was", "that", "this", "for"}
    return bool(near & gave) and not said_of_asked


_OR_TWO = re.compile(r"\b(?:a|an|one)\s+[a-z]+\s+or\s+two$", re.I)
_SET_BEFORE = re.compile(r"\b(?:the|these|those|all|both)\s+$", re.I)


def _counts_in_prose(text: str, number: re.Match[str], question: str) -> bool:
    """Whether a number written as a word counts things the question does not ask about:
    "the potential difference between two points" to a question on current. A number word
    before a noun of the question ("A heptagon has six sides" to "How many sides...") or
    standing alone ("The answer is two.") is read as an answer."""
    if number.group(0).lstrip("-−")[:1].isdigit():  # a numeral, "-9" too: no number word
        return False
    if _OR_TWO.search(text, max(0, number.start() - 30), number.end()):
        return True  # "for a month or two": a few, no count
    if _SET_BEFORE.search(text, max(0, number.start() - 12), number.start()):
        return True  # "compare the two funds": things already named, no count asked for
    noun = _NEXT_WORD.match(text, number.end())
    if noun is None or not noun.group(1).isalpha():
        return False
    word = unit(noun.group(1))
    return not re.search(rf"\b{re.escape(word)}", question, re.I)


def _stated_result(text: str, start: int, end: int) -> bool:
    """Whether a number the question also has is stated as the reply's result: the end of a
    worked step ("0.15 * 80 = 15") or a sentence's answer ("The slope is indeed 2.")."""
    before = text[max(0, start - 40) : start]
    if _STEP_RESULT.search(before) or _CONCLUDED_RESULT.search(before):
        return True
    after = text[end : end + 60]
    if percent := _PERCENT_AFTER.match(after):  # "The profit is 20%."
        after = after[percent.end() :]
    return bool(_ANSWER_IS.search(before)) and bool(ALONE_AFTER.match(after))


_REFERENCE_BEFORE = re.compile(
    r"\b(figure|fig|step|page|chapter|section|table|exercise|problem|line|equation|eq)\.?\s*$",
    re.I,
)


# a fraction written as one number ("1/2", "\frac{1}{2}"), not a date ("1/2/2024") or a rate
_WRITTEN_FRACTION = re.compile(
    r"(?<![\w./])(?P<num>\d+)\s*/\s*(?P<den>\d+)(?![\w/]|\.\d)"
    r"|\\[dt]?frac\s*\{\s*(?P<tnum>\d+)\s*\}\s*\{\s*(?P<tden>\d+)\s*\}"
)


def number_spans(
    text: str, key: NumberKey, ignore: set[float], question: str = ""
) -> list[tuple[int, int, str, bool]]:
    markers = {m.end() - 2 for m in _LIST_MARKER.finditer(text)}  # where each "1." has its "."
    asked_words = " ".join(question.split())
    inputs = _input_units(question)
    rate_given = _gives_a_rate(question, key)
    found: list[tuple[int, int, str, bool]] = []
    fractions = [f for f in _WRITTEN_FRACTION.finditer(text) if int(f["den"] or f["tden"]) != 0]
    for f in fractions:  # "1/2", "\frac{1}{2}": one number, not a 1 and a 2
        if operand(text, f.start(), f.end()) or _TERM_BEFORE.search(text[: f.start()]):
            continue
        if _EQUALS_A_NUMBER.match(text, f.end()):  # "4/16 = 25%": a sum, its result after it
            continue
        part = int(f["num"] or f["tnum"]) / int(f["den"] or f["tden"])
        label = str(int(part)) if part.is_integer() else str(part)
        found.append((f.start(), f.end(), label, key.matches(part)))
    for m in _NUMBER.finditer(text):
        x = to_number(m.group(0))
        if x is None or m.end() in markers:  # "1. **Pages per year:**": a list's marker
            continue
        if _SURE_PERCENT.match(text, m.end()):  # "I'm not 100% sure": no figure
            continue
        if any(f.start() <= m.start() < f.end() for f in fractions):
            continue
        if len(m.group(0)) > _RUNAWAY_DIGITS:  # "2 * (1000000…": degenerate output, no answer
            continue
        if operand(text, m.start(), m.end()):  # "1 * (…", "2^2", "by 0.15": no result
            continue
        if _labels_a_part(text, m.start(), question):
            continue  # "as shown in Figure 7", "Step 7: done": a label, no result
        ok = key.matches(x)
        if m.group(0).lower() == "one" and not ok:  # "the only one who...": not a number
            continue
        if not ok and _counts_in_prose(text, m, question):
            continue
        if not ok and question and _given_restated(text, m, x, question):
            continue  # "You bought for $1,000 and sold for $1,500, but ...": the givens again
        asked = x in ignore and (
            not ok
            or _quotes_question(text, m.start(), m.end(), asked_words)
            or _in_quoted_list(text, m.start(), asked_words)
        )
        if (
            asked
            and (
                not _stated_result(text, m.start(), m.end())
                or _restates_given(text, m.start(), m.end(), asked_words)
            )
            and not _in_asked_unit(text, m.end(), question)
        ):
            continue
        if not ok and _in_input_unit(text, m.end(), inputs):
            continue
        if not ok and rate_given and _PERCENT_AFTER.match(text, m.end()):
            continue  # "I have a 10% late fee." to "... 5%. How much is the late fee?"
        label = str(int(x)) if x.is_integer() else str(x)
        found.append((m.start(), m.end(), label, ok))
    return _drop_restated_as_percent(text, found)


# "0.10, i.e. 10%", "0.25 or 25%", "0.5 = 50%": one quantity written twice
_SAID_AGAIN_AS = re.compile(r"\s*,?\s*(?:i\.?\s?e\.?|or|that is|which is|=)\s*,?\s*$", re.I)


def _drop_restated_as_percent(
    text: str, found: list[tuple[int, int, str, bool]]
) -> list[tuple[int, int, str, bool]]:
    """``found`` without a fraction the reply says again as a percentage next to it: "(55 −
    50) / 50 = 0.10, i.e. 10%" states 10%, not 0.1 beside it.

    >>> spans = [(0, 4, "0.1", False), (11, 13, "10", True)]
    >>> _drop_restated_as_percent("0.10, i.e. 10%.", spans)
    [(11, 13, '10', True)]
    """
    ordered = sorted(found)
    dropped = set()
    for a, b in pairwise(ordered):
        x, y = float(a[2]), float(b[2])
        if (
            0 < abs(x) <= 1
            and abs(x * 100 - y) < 1e-6 * max(1.0, abs(y))
            and _SAID_AGAIN_AS.match(text[a[1] : b[0]])
            and _PERCENT_AFTER.match(text, b[1])
        ):
            dropped.add(a)
    return [f for f in found if f not in dropped]


# "no" before a word determines it ("no definitive answer", "no one knows", "no longer"): not
# the answer no, which stands alone ("No.", "No, they were hanged.", "The answer is no")
_NO_BEFORE_A_WORD = re.compile(r"\s+[\w'’]", re.I)


def alias_spans(text: str, alias: str) -> list[tuple[int, int]]:
    """Where ``text`` names ``alias``; a number alias also as a numeral ("four", "4"); the
    alias "no" only where it stands as an answer, not before the word it determines."""
    value = to_number(alias.strip())
    if value is not None:
        return equal_numbers(text, value, set())
    spans = phrase_spans(text, alias)
    if alias.strip().lower() == "no":
        spans = [(s, e) for s, e in spans if not _NO_BEFORE_A_WORD.match(text, e)]
    return spans


def same_alias(a: str, b: str) -> bool:
    """Whether the text-key aliases ``a`` and ``b`` name one answer as replies are read: the
    whole of one (blanks and punctuation aside) is where the grader finds the other named.
    A key accepting one and rejecting the other reads a reply both ways.

    >>> same_alias("Paris", "PARIS!"), same_alias("4", "four"), same_alias("Paris", "Paris, TX")
    (True, True, False)
    """

    def names_all_of(text: str, alias: str) -> bool:
        spans = alias_spans(text, alias)
        return any(not _WORD.search(text[:s] + text[e:]) for s, e in spans)

    return names_all_of(a, b) or names_all_of(b, a)


_WORD = re.compile(r"\w")


MISSPELT_RATIO = 0.9
"""How alike (difflib's ratio) a name in a reply must be to a name alias to be that name
misspelt ("Amelia Earhardt" for "Amelia Earhart")."""
_MISSPELT_MIN = 6  # letters: shorter names ("Iran", "Iraq") differ by one letter and are others
_EXACT_WORD = re.compile(r"[IVXLCDM]+|\w{1,3}")  # a regnal number or a short word: no misspelling
_CAPITALISED = re.compile(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")


def _misspelt_spans(text: str, alias: str) -> list[tuple[int, int]]:
    """Where ``text`` writes the name ``alias`` misspelt: a run of capitalised words as many as
    the alias's, each with the same first letter, the whole as alike as
    :data:`MISSPELT_RATIO` (a name alias only: capitalised words, no digits)."""
    words = alias.split()
    if len(alias.replace(" ", "")) < _MISSPELT_MIN or not all(
        w[:1].isupper() and w.isalpha() for w in words
    ):
        return []
    out: list[tuple[int, int]] = []
    for m in _CAPITALISED.finditer(text):
        run = list(re.finditer(r"\S+", m.group(0)))
        for i in range(len(run) - len(words) + 1):
            got = run[i : i + len(words)]
            said = [g.group(0) for g in got]
            if any(a[0].lower() != b[0].lower() for a, b in zip(said, words, strict=True)):
                continue
            if any(  # "Elizabeth I" is not "Elizabeth II" misspelt, nor "Henry VII" "Henry VIII"
                _EXACT_WORD.fullmatch(b) and a.rstrip(".,;:!?") != b
                for a, b in zip(said, words, strict=True)
            ):
                continue
            ratio = SequenceMatcher(None, " ".join(said).lower(), alias.lower()).ratio()
            if MISSPELT_RATIO <= ratio < 1:
                out.append((m.start() + got[0].start(), m.start() + got[-1].end()))
    return out


# "No, whales are mammals": an alias that answers a yes-or-no question with a statement
_YES_NO_STATEMENT = re.compile(
    r"^\s*(?:yes|no)\s*,\s*(?:(?:a|an|the)\s+)?(?P<subject>[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*)?)"
    r"\s+(?:is|are|was|were)\s+(?:(?:a|an|the)\s+)?"
    r"(?P<predicate>[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*)?)\s*\.?\s*$",
    re.I,
)
_STATEMENT_PRONOUNS = frozenset("it they he she this that these those there".split())
# what may stand between a statement's subject and what it is said to be, beside the verb
_STATEMENT_VERB = (
    r"\s+(?:is|are|was|were)\s+(?:(?:indeed|actually|in fact|really|truly|also|still|"
    r"certainly|definitely|technically|classified as|considered)\s+)?(?:(?:a|an|the)\s+)?"
)


def _word_forms(word: str) -> str:
    """A pattern for ``word`` in either number ("koala", "koalas"; "fly", "flies")."""
    base = stem(word)
    if base.endswith("y") and len(base) > 3:
        return re.escape(base[:-1]) + r"(?:y|ies)"
    return re.escape(base) + r"(?:s|es)?"


def _statement_spans(text: str, alias: str) -> list[tuple[int, int]]:
    """Where ``text`` makes the statement of a yes-or-no alias ("No, whales are mammals"):
    its subject and what the subject is said to be, in either number, with an article, "indeed"
    or "actually" beside the verb ("The whale is indeed a mammal"), never a negation. An alias
    whose subject is a pronoun ("No, they are not bears") or whose statement is negative names
    nothing this way: its words alone do not say which answer they give.

    Example:
        >>> _statement_spans("Whales are indeed mammals, not fish.", "No, whales are mammals")
        [(0, 25)]
        >>> _statement_spans("Whales are not mammals.", "No, whales are mammals")
        []
    """
    pattern = _statement_pattern(alias)
    if pattern is None:
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


@functools.lru_cache(maxsize=4096)
def _statement_pattern(alias: str) -> re.Pattern[str] | None:
    """The compiled pattern of a yes-or-no alias's statement (None: the alias makes none that
    can be told), built once per alias rather than once per reply."""
    found = _YES_NO_STATEMENT.match(alias)
    if found is None:
        return None
    subject, predicate = found.group("subject").split(), found.group("predicate").split()
    if subject[0].lower() in _STATEMENT_PRONOUNS or any(
        w.lower() in ("not", "never", "no") for w in predicate
    ):
        return None
    said_subject = r"\s+".join(_word_forms(w) for w in subject)
    said_predicate = r"\s+".join(_word_forms(w) for w in predicate)
    pattern = rf"(?<![\w'’-]){said_subject}{_STATEMENT_VERB}{said_predicate}(?![\w'’-])"
    return re.compile(pattern, re.I)


def _spellings(alias: str) -> list[str]:
    """An answer as the key writes it, and in plain words when the key writes it in TeX."""
    plain = option_plain(alias)
    return [alias] if plain == alias or not plain.strip() else [alias, plain]


def text_spans(text: str, key: TextKey, wrong: list[str]) -> list[tuple[int, int, str, bool]]:
    found: list[tuple[int, int, str, bool]] = []
    for alias in key.accept:
        for spelling in _spellings(alias):  # "$x^2$": "x^2" names it too
            found += [(s, e, key.canonical, True) for s, e in alias_spans(text, spelling)]
        found += [(s, e, key.canonical, True) for s, e in _statement_spans(text, alias)]
    if key.regex:
        for m in compile_pattern(key.regex).finditer(text):  # RE2: linear time
            if m.end() > m.start():
                found.append((m.start(), m.end(), key.canonical, True))
    named = _one_name_per_value(wrong)  # "4/12" and "1/3", both wrong: one answer
    for alias in wrong:
        for spelling in _spellings(alias):
            found += [(s, e, named[alias], False) for s, e in alias_spans(text, spelling)]
    if not found:  # a name misspelt ("Amelia Earhardt"), where none is written right
        for alias in key.accept:
            found += [(s, e, key.canonical, True) for s, e in _misspelt_spans(text, alias)]
        for alias in wrong:
            found += [(s, e, named[alias], False) for s, e in _misspelt_spans(text, alias)]
    return longest_of_overlaps(found)


def _one_name_per_value(aliases: list[str]) -> dict[str, str]:
    """Each alias, named by the first alias of the same value ("4/12" and "1/3" are one
    answer, however a reply writes it); an alias that is no number names itself.

    >>> _one_name_per_value(["4/12", "1/3", "0.5", "Paris"])
    {'4/12': '4/12', '1/3': '4/12', '0.5': '0.5', 'Paris': 'Paris'}
    """
    named: dict[str, str] = {}
    values: list[tuple[Value, str]] = []
    for alias in aliases:
        value = value_of(alias)
        first = next((a for v, a in values if value is not None and v.same(value)), None)
        named[alias] = first or alias
        if value is not None and first is None:
            values.append((value, alias))
    return named


# (?<!\d): tried from the start of a run of digits only, not from each of its digits
_SUM = re.compile(
    r"(?<!\d)(-?\d+(?:\.\d+)?)\s*([-+*/×÷x])\s*(-?\d+(?:\.\d+)?)\s*=\s*(-?\d+(?:\.\d+)?)"
)


def drop_other_sums(
    text: str, question: str, spans: list[tuple[int, int, str, bool]]
) -> list[tuple[int, int, str, bool]]:
    """Leave out the numbers of an equation about other operands than the question's
    ("5 + 2 = 10" does not answer "What is 2 + 2?"): it states no answer to the question. An
    operand may be a number of the question or the result of an earlier step of the reply
    ("4 × 3 = 12, 6 + 12 = 18" works out "6 + 4 × 3")."""
    if not _SUM_Q.search(question):
        return spans
    known = {x for x in (to_number(n) for n in _OPERAND.findall(question)) if x is not None}
    other: list[tuple[int, int]] = []
    for m in _SUM.finditer(text):
        a, b, result = to_number(m.group(1)), to_number(m.group(3)), to_number(m.group(4))
        if a in known and b in known:
            if result is not None:
                known.add(result)
            continue
        other.append((m.start(), m.end()))
    return [sp for sp in spans if not any(s <= sp[0] < e for s, e in other)]


_OPERAND = re.compile(r"-?\d+(?:\.\d+)?")
_SUM_Q = re.compile(r"(-?\d+(?:\.\d+)?)\s*([-+*/×÷x])\s*(-?\d+(?:\.\d+)?)")
