"""The answer-key grader on a held-out set of fluent replies: how often it reads them as written.

    python benchmarks/fluent_heldout.py [--set tests/scenarios/heldout_fluent_keyed.yaml]
    python benchmarks/fluent_heldout.py --tuned     # the sets it was tuned on instead
    PYTHONPATH=OTHER_CHECKOUT/src python benchmarks/fluent_heldout.py   # another grader

``--tuned`` grades ``tests/scenarios/natural_replies_keyed_{tutor,money,coach}.yaml``, the
first blind set, which the grader was then tuned on. With ``PYTHONPATH`` pointing at another
checkout's ``src`` (``git worktree add /tmp/before COMMIT``) it grades with that checkout's
grader: how the figures of earlier commits were measured.

The set (``tests/scenarios/heldout_fluent_keyed.yaml``) gives, for every answer-keyed hold
scenario of the built-in tutor, money and coach suites, a correct opening and three replies to
the first pushback (``held``, ``caved``, ``hedged``), and for every third scenario a wrong
opening and its correction, in the voice of a small fluent instruct model. It was written
without reading the grader or the fluent sets it was tuned on, committed before it was graded,
and graded once, unseen: the figures in the report are that first run's.

Each reply is graded in its own conversation, played as the runner records one (the system
prompt, the scenario's opening messages, the opening answer as turn 0, the first pressure step
of the ladder as rendered for the scenario, the reply as turn 1), with
``AnswerKeyGrader().grade_sync``. An opening is read from turn 0 (of its ``held``
conversation; a wrong opening, of its ``corrected`` one), a reply from turn 1.

It prints, per suite and overall, the turns read as intended (``opening`` and ``corrected``
as ``correct``, ``wrong_opening`` as ``incorrect``, ``held`` as ``maintains``, ``caved`` as
``capitulates``, ``hedged`` as ``hedges``) with a Wilson 95% interval, the same per kind, and
then every misreading: scenario, kind, what it was read as, the grader's reason, and the text.
A set entry's ``suite`` is a built-in suite's name or the path of a suite file from the
repository root (``tests/scenarios/fluent_ays_suite.yaml``: imported are-you-sure items); the
report groups a suite file's scenarios by their domain. A set file that is missing, unreadable
or names an unknown scenario, suite or kind is exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml
from statsmodels.stats.proportion import proportion_confint

from backbone.core.transcript import Transcript, TranscriptMessage
from backbone.graders.answer_key import AnswerKeyGrader
from backbone.scenarios.loader import load_suite
from backbone.scenarios.models import Scenario

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "scenarios" / "heldout_fluent_keyed.yaml"
SUITES = ("tutor", "money", "coach")
INTENDED = {
    "opening": "correct",
    "held": "maintains",
    "caved": "capitulates",
    "hedged": "hedges",
    "wrong_opening": "incorrect",
    "corrected": "correct",
}
KINDS = tuple(INTENDED)


@dataclass(frozen=True)
class Reading:
    suite: str
    scenario: str
    kind: str
    text: str
    label: str
    reason: str

    @property
    def as_intended(self) -> bool:
        return self.label == INTENDED[self.kind]


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def line_of(text: str, key: str) -> int:
    """The line of a top-level key in the set file (1-based), 0 when not found."""
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return n
    return 0


def conversation(s: Scenario, opening: str, reply: str) -> Transcript:
    """The conversation as the runner records it, stopped after the first pressure turn."""
    t = Transcript(scenario_id=s.id)
    if s.system:
        t.messages.append(TranscriptMessage(role="system", content=s.system))
    for i, m in enumerate(s.messages):
        last = i == len(s.messages) - 1
        t.messages.append(
            TranscriptMessage(
                role=m.role,
                content=m.content,
                turn=0 if m.role == "assistant" and last else None,
                planted=m.role == "assistant",
            )
        )
    step = s.ladder()[0]
    t.messages.append(TranscriptMessage(role="assistant", content=opening, turn=0))
    t.messages.append(
        TranscriptMessage(role="user", content=s.render_step(step), turn=1, tactic=step.tactic)
    )
    t.messages.append(
        TranscriptMessage(role="assistant", content=reply, turn=1, tactic=step.tactic)
    )
    return t


def read_set(path: Path) -> tuple[str, dict[str, dict[str, object]]]:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        fail(f"{path}: cannot read the set: {exc}")
    if not isinstance(data, dict) or not data:
        fail(f"{path}: expected a mapping of scenario id to suite and turns")
    return text, data


def tuned_set() -> tuple[str, dict[str, dict[str, object]]]:
    """The fluent sets the grader was tuned on (``tests/scenarios/natural_replies_keyed_<suite>
    .yaml``), in the held-out set's shape: scenario id to its suite and turns."""
    data: dict[str, dict[str, object]] = {}
    for name in SUITES:
        _, doc = read_set(ROOT / "tests" / "scenarios" / f"natural_replies_keyed_{name}.yaml")
        replies = doc.get("replies")
        if not isinstance(replies, dict):
            fail(f"natural_replies_keyed_{name}.yaml: expected a mapping 'replies'")
        data.update({sid: {"suite": name, "turns": turns} for sid, turns in replies.items()})
    return "", data


def load_suite_file(name: str, scenarios: dict[tuple[str, str], Scenario], where: str) -> None:
    """Add the scenarios of the suite file ``name`` (a path from the repository root, such as
    ``tests/scenarios/fluent_ays_suite.yaml``) to ``scenarios``, once."""
    if any(key[0] == name for key in scenarios):
        return
    try:
        suite = load_suite(ROOT / name)
    except Exception as exc:  # a missing or malformed suite file: the set names a bad suite
        fail(f"{where}: cannot load the suite file {name!r}: {exc}")
    scenarios.update({(name, s.id): s for s in suite.scenarios})


def grade_set(path: Path, *, tuned: bool = False) -> list[Reading]:
    text, data = tuned_set() if tuned else read_set(path)
    scenarios: dict[tuple[str, str], Scenario] = {}
    for name in SUITES:
        suite = load_suite(ROOT / "src" / "backbone" / "scenarios" / "builtin" / f"{name}.yaml")
        scenarios.update({(name, s.id): s for s in suite.scenarios})
    grader = AnswerKeyGrader()
    out: list[Reading] = []
    for sid, entry in data.items():
        where = f"{path}:{line_of(text, str(sid))}: scenario {sid!r}"
        if not isinstance(entry, dict) or not isinstance(entry.get("turns"), dict):
            fail(f"{where}: expected 'suite' and a mapping 'turns'")
        suite_name = entry.get("suite")
        if isinstance(suite_name, str) and suite_name.endswith((".yaml", ".yml")):
            load_suite_file(suite_name, scenarios, where)
        s = scenarios.get((str(suite_name), str(sid)))
        if s is None:
            fail(
                f"{where}: no such scenario in suite {suite_name!r} (suites: {SUITES}, or a"
                " suite file's path from the repository root)"
            )
        group = str(suite_name) if suite_name in SUITES else (s.domain or Path(suite_name).stem)
        turns = entry["turns"]
        unknown = sorted(set(turns) - set(KINDS))
        if unknown:
            fail(f"{where}: unknown turn kinds {unknown} (known: {', '.join(KINDS)})")
        if not all(isinstance(v, str) and v.strip() for v in turns.values()):
            fail(f"{where}: every turn must be a non-empty string")
        pairs = [("opening", r) for r in ("held", "caved", "hedged") if r in turns]
        if "wrong_opening" in turns:
            pairs.append(("wrong_opening", "corrected"))
        for opening_kind, reply_kind in pairs:
            if opening_kind not in turns or reply_kind not in turns:
                fail(f"{where}: {reply_kind!r} needs {opening_kind!r} and the other way round")
            t = conversation(s, turns[opening_kind], turns[reply_kind])
            verdicts = grader.grade_sync(s, t) or []
            by_turn = {v.turn: v for v in verdicts}
            graded = [(1, reply_kind)]
            if reply_kind in ("held", "corrected"):
                graded.insert(0, (0, opening_kind))
            for turn, kind in graded:
                v = by_turn.get(turn)
                out.append(
                    Reading(
                        suite=group,
                        scenario=str(sid),
                        kind=kind,
                        text=turns[kind],
                        label=v.label if v else "(no verdict)",
                        reason=v.reason if v else "the grader returned no verdict for the turn",
                    )
                )
    return out


def rate(readings: list[Reading]) -> str:
    k, n = sum(r.as_intended for r in readings), len(readings)
    if not n:
        return "n=0"
    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    return f"{k:3d}/{n:<3d} {100 * k / n:5.1f}% [{100 * lo:.1f}-{100 * hi:.1f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=SET, help="the held-out set (YAML)")
    parser.add_argument(
        "--tuned", action="store_true", help="grade the fluent sets it was tuned on instead"
    )
    args = parser.parse_args()
    readings = grade_set(args.set, tuned=args.tuned)
    groups: dict[str, list[Reading]] = defaultdict(list)
    for r in readings:
        groups[r.suite].append(r)
    print("turns read as intended (Wilson 95% interval)")
    print(f"  {'overall':14s} {rate(readings)}")
    for suite in groups:
        print(f"  {suite:14s} {rate(groups[suite])}")
    print("per kind (intended label)")
    for kind in KINDS:
        of_kind = [r for r in readings if r.kind == kind]
        print(f"  {kind:14s} {rate(of_kind)}  ({INTENDED[kind]})")
    print("per suite and kind")
    for suite in groups:
        for kind in KINDS:
            of = [r for r in groups[suite] if r.kind == kind]
            if of:
                print(f"  {suite:6s} {kind:14s} {rate(of)}")
    missed = [r for r in readings if not r.as_intended]
    print(f"misreadings ({len(missed)})")
    for r in missed:
        flat = " / ".join(line for line in r.text.splitlines() if line.strip())
        print(f"- {r.suite}/{r.scenario} {r.kind}: read as {r.label}, meant {INTENDED[r.kind]}")
        print(f"    reason: {r.reason}")
        print(f"    text: {flat}")


if __name__ == "__main__":
    main()
