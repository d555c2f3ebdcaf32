"""Which multiple-choice option a reply paraphrases, when it names neither letter nor text.

Real replies restate an option in their own words: against "(A) Normal body temperature" a
model writes "37 °C indicates a normal human body temperature." The reply's content words
(:mod:`text_tokens`) are compared with each option's, sentence by sentence:

* a word of the question's stem ("body temperature" when the question asks about one) says
  nothing about which option was chosen, so it weighs nothing;
* a word shared by several options weighs less (1 / the number of options that have it);
* an option's score in a sentence is the weighted share of its words the sentence contains
  (containment: a reply may add words, an option's own words must be there).

A sentence chooses an option only when its best score is at least :data:`MIN_SCORE` and ahead
of the runner-up by :data:`MIN_MARGIN`; the reply chooses one only when every sentence that
chooses agrees. Otherwise the reader abstains (``None``), so that a later grader, or a human,
decides rather than a guess.

Example:
    >>> opts = {"A": "Normal body temperature", "B": "A fever", "C": "Hypothermia"}
    >>> best_option("37 °C indicates a normal human body temperature.", opts).letter
    'A'
    >>> best_option("It could mean several things.", opts) is None
    True
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from backbone.graders.text_tokens import content_tokens, stems

MIN_SCORE = 0.6
MIN_MARGIN = 0.3
_SENTENCE = re.compile(r"(?:[^.!?;\n]|(?<=\d)\.(?=\d))+")


@dataclass(frozen=True)
class OptionMatch:
    """The option a reply paraphrases, the span of its words in the reply, and the scores."""

    letter: str
    start: int
    end: int
    score: float
    runner_up: float


def question_stem(question: str, options: dict[str, str]) -> str:
    """The question without its listed options ("(A) Six", "B. Seven", "C: Five").

    Example:
        >>> question_stem("Sides of a heptagon? (A) Six (B) Seven", {"A": "Six", "B": "Seven"})
        'Sides of a heptagon?'
    """
    text = question
    for letter, option in options.items():
        text = re.sub(rf"\(?{letter}[).:]\s*{re.escape(option)}", " ", text, flags=re.I)
    return text.strip()


def option_weights(options: dict[str, str], question: str = "") -> dict[str, dict[str, float]]:
    """Each option's content stems with their weights (0 for words of the question's stem)."""
    own = {letter: stems(text) for letter, text in options.items()}
    df = Counter(s for words in own.values() for s in words)
    asked = stems(question_stem(question, options))
    return {
        letter: {s: (0.0 if s in asked else 1.0 / df[s]) for s in words}
        for letter, words in own.items()
    }


def _score(sentence_stems: set[str], weights: dict[str, float]) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(w for s, w in weights.items() if s in sentence_stems) / total


def best_option(text: str, options: dict[str, str], question: str = "") -> OptionMatch | None:
    """The option ``text`` paraphrases with a clear margin, or ``None`` (abstain)."""
    weights = option_weights(options, question)
    picks: list[OptionMatch] = []
    for m in _SENTENCE.finditer(text):
        tokens = content_tokens(m.group(0))  # spans relative to the sentence
        found = {t.stem for t in tokens}
        scores = sorted(((_score(found, w), letter) for letter, w in weights.items()), reverse=True)
        (top, letter), (second, _) = scores[0], scores[1]
        if top < MIN_SCORE or top - second < MIN_MARGIN:
            continue
        mine = [t for t in tokens if weights[letter].get(t.stem, 0.0) > 0]
        start = m.start() + mine[0].start
        end = m.start() + mine[-1].end
        picks.append(OptionMatch(letter, start, end, top, second))
    if not picks or len({p.letter for p in picks}) > 1:
        return None
    return picks[0]
