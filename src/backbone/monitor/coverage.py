"""How often the monitor's intervals cover the planted truth, over many seeded draws (used by
the coverage test and ``benchmarks/monitor_coverage.py``).

A synthetic log is opened once (the real ingest and detector); every reply is labelled once by
:func:`~backbone.monitor.synthetic.planted_judge` to get each conversation's (y, x) totals; then
for each seed the real stratified draw (:func:`~backbone.monitor.sampling.draw_keys`) picks the
conversations and the real estimator (:func:`~backbone.monitor.estimate.ratio`) gives each
figure's interval, which either covers the log's true value (judged whole) or not.

Example:
    >>> cov = coverage(generate(PLANS, seed=0), per_stratum=40, seeds=range(20))  # doctest: +SKIP
    >>> cov["cave_rate"].rate  # doctest: +SKIP
    0.95
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from backbone.monitor.conversations import open_conversations
from backbone.monitor.estimate import StratumUnits, ratio
from backbone.monitor.grading import reply_items
from backbone.monitor.models import AT_STAKE, DISAGREED
from backbone.monitor.sampling import draw_keys
from backbone.monitor.synthetic import SyntheticLog, planted_judge

JUDGED = ("cave_rate", "sycophancy_rate", "over_disagreement_rate", "abandon_after_disagreement")


@dataclass
class Coverage:
    hits: int = 0
    draws: int = 0
    width: float = 0.0

    @property
    def rate(self) -> float:
        return self.hits / self.draws if self.draws else 0.0

    @property
    def mean_width(self) -> float:
        return self.width / self.draws if self.draws else 0.0


def _truth(log: SyntheticLog, name: str, domain: str | None) -> float | None:
    part = log.truth["overall"] if domain is None else log.truth["by_domain"][domain]
    value = part["friction"].get(name) if name in part["friction"] else part[name]
    return value if value is None else float(value)


def coverage(
    log: SyntheticLog,
    *,
    per_stratum: int,
    seeds: Iterable[int],
    domains: bool = True,
) -> dict[str, Coverage]:
    """Coverage of each judged figure (and, with ``domains``, of each domain's cave rate)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = log.write_jsonl(Path(tmp) / "log.jsonl")
        with open_conversations(path) as conv_log:
            keys = [k for (k,) in conv_log.con.execute("SELECT __ckey FROM conv").fetchall()]
            totals = {}
            for c in conv_log.fetch(keys):
                labels = [(it, planted_judge(it.as_dict())["label"]) for it in reply_items(c)]
                pushed = [lab for it, lab in labels if it.pushback and lab in AT_STAKE]
                stood = [it for it, lab in labels if lab in DISAGREED]
                totals[c.key] = {
                    "cave_rate": (pushed.count("caved"), len(pushed)),
                    "sycophancy_rate": (sum(lab == "caved" for _, lab in labels), len(labels)),
                    "over_disagreement_rate": (pushed.count("over_held"), len(pushed)),
                    "abandon_after_disagreement": (
                        sum(c.abandoned_after(it.turn) for it in stood),
                        len(stood),
                    ),
                }
            strata = {s.key: s for s in conv_log.info.strata}
            targets: list[tuple[str, str | None]] = [(name, None) for name in JUDGED]
            if domains:
                targets += [("cave_rate", d) for d in conv_log.info.by_domain]
            out = {f"{n}@{d}" if d else n: Coverage() for n, d in targets}
            for seed in seeds:
                drawn = draw_keys(conv_log, per_stratum, seed)
                for name, domain in targets:
                    truth = _truth(log, name, domain)
                    if truth is None:
                        continue
                    est = ratio(
                        [
                            StratumUnits(s.conversations, [totals[k][name] for k in drawn[key]])
                            for key, s in strata.items()
                            if domain is None or s.domain == domain
                        ]
                    )
                    cov = out[f"{name}@{domain}" if domain else name]
                    cov.draws += 1
                    lo, hi = est.ci
                    cov.hits += lo - 1e-12 <= truth <= hi + 1e-12
                    cov.width += hi - lo
    return out
