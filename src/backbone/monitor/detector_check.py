"""The pushback detector measured on its labeled set: precision, recall and tactic accuracy
per split (``tune``: the turns the patterns were written against; ``test``: turns written
afterwards and never tuned on).

The set is ``labeled/pushback_turns.jsonl`` beside this module: one user turn a line, with
``id``, ``split``, ``text``, ``pushback`` (bool), ``tactic`` (the expected tactic of a pushback,
else null) and ``round`` (1, 2: tuning rounds; 4: backbone's own tactic phrasings, tuned on; 5:
pushbacks rounds 1-4 missed and their look-alikes, tuned on; 3: the held-out test, written after
rounds 1-2 and never tuned on). A pushback whose ``tactic`` is null (a set labeled for pushback
alone) is left out of tactic accuracy.

Example:
    >>> scores = check_detector()
    >>> sorted(scores), scores["test"].n > 50
    (['all', 'test', 'tune'], True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from backbone.core.errors import InputError
from backbone.core.json_text import load_json, unique_keys
from backbone.core.user_file import refuse_device
from backbone.monitor.pushback import detect
from backbone.scenarios.tactics import TACTICS

LABELED = "labeled/pushback_turns.jsonl"
ALL = "all"  # the scores over every turn, beside each split's


@dataclass(frozen=True)
class LabeledTurn:
    id: str
    split: str
    text: str
    pushback: bool
    tactic: str | None


@dataclass
class Scores:
    """Confusion counts of one split, and the tactic misses among true positives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    tactic_right: int = 0
    tactic_labeled: int = 0
    """True positives whose turn names its tactic: tactic accuracy's denominator (a turn
    labeled a pushback with ``tactic`` null says nothing of the tactic; counted as a miss, a
    set labeled for pushback alone read 0% tactic accuracy)."""
    misses: list[tuple[str, str]] = field(default_factory=list)  # (id, what went wrong)

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def tactic_accuracy(self) -> float | None:
        return self.tactic_right / self.tactic_labeled if self.tactic_labeled else None


def load_turns(path: str | Path | None = None) -> list[LabeledTurn]:
    """The labeled turns (the shipped set when ``path`` is None)."""
    if path is None:
        text = files("backbone.monitor").joinpath(LABELED).read_text(encoding="utf-8")
        name = LABELED
    else:
        name = str(path)
        refuse_device(Path(path))
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputError.single(name, None, f"cannot read: {exc.strerror}") from None
        try:  # a byte order mark (a Windows editor's) skipped, as every other reader does
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            at = data[: exc.start].count(b"\n") + 1
            raise InputError.single(name, at, "not UTF-8 text") from None
    turns = []
    first_at: dict[str, int] = {}  # an id -> the line it is first on
    for number, line in enumerate(text.split("\n"), start=1):  # not at U+2028 in a string
        if not line.strip():
            continue
        try:
            turn = _turn(load_json(line, object_pairs_hook=unique_keys))
        except KeyError as exc:  # str(exc) is only the key: "'id'"
            raise InputError.single(name, number, f"not a labeled turn: no {exc} field") from None
        except (ValueError, TypeError) as exc:  # NotJson, DuplicateKey: a key given twice
            raise InputError.single(name, number, f"not a labeled turn: {exc}") from None
        if turn.id in first_at:  # --show names a miss by its id: two would read as one
            raise InputError.single(
                name, number, f"duplicate id {turn.id!r} (first at line {first_at[turn.id]})"
            )
        first_at[turn.id] = number
        turns.append(turn)
    if not turns:
        raise InputError.single(name, None, "no labeled turns")
    return turns


def _turn(raw: object) -> LabeledTurn:
    """One line's turn; ``ValueError``, ``KeyError`` or ``TypeError`` saying what is wrong."""
    if not isinstance(raw, dict):
        raise TypeError(f"a JSON object is expected, not {type(raw).__name__}")
    ident, text, split = raw["id"], raw["text"], raw.get("split", "test")
    pushback, tactic = raw["pushback"], raw.get("tactic")
    if isinstance(ident, bool) or not isinstance(ident, str | int) or str(ident) == "":
        raise TypeError(f"'id' must be a text or a whole number, not {ident!r}")
    if not isinstance(text, str):  # null read as the turn "None", a number as its digits
        raise TypeError(f"'text' must be the user's turn as text, not {text!r}")
    if not isinstance(split, str) or not split:
        raise TypeError(f"'split' must be a name such as tune or test, not {split!r}")
    if not isinstance(pushback, bool):  # "false" must not read as a pushback
        raise TypeError(f"'pushback' must be true or false, not {pushback!r}")
    if tactic is not None and tactic not in TACTICS:  # a misspelt one counted as a miss
        raise ValueError(f"'tactic' must be null or one of {', '.join(TACTICS)}, not {tactic!r}")
    if tactic is not None and not pushback:
        raise ValueError(f"'tactic' {tactic!r} is given for a turn that is no pushback")
    if split == ALL:  # the row of every turn: a split of that name would vanish into it
        raise ValueError(f"split '{ALL}' is the name of the total: call the split otherwise")
    return LabeledTurn(id=str(ident), split=split, text=text, pushback=pushback, tactic=tactic)


def score(turns: Sequence[LabeledTurn]) -> Scores:
    """Run the detector on ``turns`` (each a user turn after an assistant answer)."""
    s = Scores()
    for t in turns:
        d = detect(t.text)
        if d.pushback and t.pushback:
            s.tp += 1
            if t.tactic is None:  # no tactic labeled: nothing to check the detector's against
                continue
            s.tactic_labeled += 1
            if d.tactic == t.tactic:
                s.tactic_right += 1
            else:
                seen = f"tactic {d.tactic}" if d.tactic is not None else "no tactic"
                s.misses.append((t.id, f"{seen}, labeled {t.tactic}"))
        elif d.pushback:
            s.fp += 1
            s.misses.append((t.id, "false pushback"))
        elif t.pushback:
            s.fn += 1
            # an unlabeled tactic printed "missed (None)"
            s.misses.append((t.id, "missed" if t.tactic is None else f"missed ({t.tactic})"))
        else:
            s.tn += 1
    return s


def check_detector(path: str | Path | None = None) -> dict[str, Scores]:
    """Scores per split, and over ``all`` turns."""
    turns = load_turns(path)
    splits = sorted({t.split for t in turns})
    out = {name: score([t for t in turns if t.split == name]) for name in splits}
    out[ALL] = score(turns)
    return out
