"""Measured agreement of graders with the labeled set, so every run can state it.

The answer-key and rule-key graders' figures ship with backbone (``measured_agreement.json``,
computed by ``backbone judge-check --judge answer-key`` / ``--judge rule-key`` on the shipped
labeled set; a test keeps them equal to a fresh measurement). A judge's figures are recorded
by ``backbone judge-check`` in an :class:`AgreementStore` (a JSON file in the cache
directory) under the judge's identity (provider, model, base URL, parameters, rubric
version); a run looks them up there and says "not measured" when the judge was never checked.

Example:
    >>> shipped_agreement("answer_key")["labeled_set"]["name"]
    'builtin'
    >>> agreement_for("judge:x", {"model": "never-checked"}, None)
    'not measured'
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backbone.graders.check import CheckReport

SHIPPED_FILE = "measured_agreement.json"
NOT_MEASURED = "not measured"
log = logging.getLogger(__name__)


def identity_key(identity: Mapping[str, Any]) -> str:
    """A stable key for a grader's identity."""
    payload = json.dumps(identity, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def record(report: CheckReport, *, dated: bool = True) -> dict[str, Any]:
    """The short form of a judge-check report that runs quote.

    ``dated=False`` gives the form shipped in ``measured_agreement.json``; regenerate that
    file after changing a labeled set or a grader with::

        python -c "import json; from backbone.graders.measured import measure_builtin_graders
        print(json.dumps(measure_builtin_graders(), indent=2))" \\
            > src/backbone/graders/measured_agreement.json

    The exemplar grader's figures are measured on the test split only (it is tuned on dev).
    """
    doc = report.document()
    out: dict[str, Any] = {
        "grader": report.grader,
        "labeled_set": {"name": report.labeled.name, "version": report.labeled.version},
        "coverage": doc["coverage"],
        "accuracy": doc["accuracy"],
        "kappa": {k: doc["kappa"][k] for k in ("value", "ci", "n")},
    }
    if dated:
        out["measured"] = datetime.now(UTC).date().isoformat()
    return out


REAL_REPLIES = "recorded"
"""The labeled set of replies recorded from real models; its test split is quoted."""


def measure_builtin_graders() -> dict[str, Any]:
    """The figures shipped in ``measured_agreement.json``: the answer key and the rule key on
    the whole written set, the exemplar grader on its test split (it is tuned on dev), and
    each of the three on the test split of real models' replies (``real_replies``)."""
    import asyncio

    from backbone.graders.answer_key import AnswerKeyGrader
    from backbone.graders.check import check_grader
    from backbone.graders.exemplar import ExemplarGrader
    from backbone.graders.exemplar_split import split_set
    from backbone.graders.labeled import load_labeled
    from backbone.graders.rule_key import RuleKeyGrader

    written, real = load_labeled(), split_set(load_labeled(REAL_REPLIES), "test")
    out: dict[str, Any] = {}
    for name, grader, labeled, rule_keys in (
        ("answer_key", AnswerKeyGrader(), written, False),
        ("rule_key", RuleKeyGrader(), written, True),
        ("exemplar", ExemplarGrader(), split_set(written, "test"), False),
    ):
        measured = record(
            asyncio.run(check_grader(grader, labeled, rule_keys=rule_keys)), dated=False
        )
        on_real = asyncio.run(check_grader(grader, real, rule_keys=rule_keys))
        out[name] = {**measured, "real_replies": record(on_real, dated=False)}
    return out


def shipped_agreement(grader: str) -> dict[str, Any] | None:
    """The figures shipped with backbone for a built-in grader (``answer_key``, ``rule_key``,
    ``exemplar``)."""
    path = resources.files("backbone.graders") / SHIPPED_FILE
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    found = data.get(grader)
    return found if isinstance(found, dict) else None


class AgreementStore:
    """Judge agreement figures by judge identity, in one JSON file (written atomically)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # absent, unreadable (a file in the way): not measured
            return {}
        return data if isinstance(data, dict) else {}

    @contextlib.contextmanager
    def _held(self) -> Iterator[None]:
        """An exclusive ``flock`` on ``FILE.lock`` beside the file, for one read-and-write."""
        fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the flock

    def get(self, identity: Mapping[str, Any]) -> dict[str, Any] | None:
        found = self._load().get(identity_key(identity))
        return found if isinstance(found, dict) else None

    def put(self, identity: Mapping[str, Any], rec: Mapping[str, Any]) -> None:
        from backbone.core.atomic import write_text_atomic
        from backbone.core.errors import InputError

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # held while the file is read, changed and replaced: two judge-checks finishing
            # at once each wrote the file as it read it, and one's figure was lost
            with self._held():
                data = self._load()
                data[identity_key(identity)] = {**rec, "identity": dict(identity)}
                write_text_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        except (OSError, InputError) as exc:  # the measurement is reported all the same; only
            # its note is lost. InputError: a folder that exists but cannot be written, which
            # ended 'judge-check --no-cache' with exit 2 and no report, every call made
            folder = self.path.parent
            if folder.is_file():
                reason = f"{folder} is a file"
            elif isinstance(exc, InputError):
                reason = exc.problems[0].message
            else:
                reason = exc.strerror or str(exc)
            log.warning(
                "the agreement was not recorded in %s (%s): runs will call this judge not "
                "measured; set BACKBONE_CACHE_DIR to a folder you can write",
                self.path,
                reason,
            )


def agreement_for(
    grader: str, identity: Mapping[str, Any] | None, store: AgreementStore | None
) -> dict[str, Any] | str:
    """A grader's measured agreement, or ``"not measured"``."""
    shipped = shipped_agreement(grader)
    if shipped is not None:
        return shipped
    if identity is None or store is None:
        return NOT_MEASURED
    return store.get(identity) or NOT_MEASURED
