"""``backbone rescore`` and ``backbone judge-check``, and the judge set-up ``backbone run`` uses.

Example:
    $ backbone run --target openai:my-bot --judge openai:gpt-4o-mini --out runs/a
    $ backbone rescore runs/a --judge anthropic:claude-3-5-haiku-latest --out runs/a-haiku
    $ backbone judge-check --judge answer-key
    $ backbone judge-check --judge openai:llama3.1 --judge-base-url http://127.0.0.1:11434/v1

``rescore`` re-grades a finished run's ``transcripts.jsonl`` with another judge: the target is
never called. Judge verdicts are cached like target replies (keyed by the judge, the rubric
version and the conversation up to the turn), so re-scoring with the same judge makes no call.
``judge-check`` measures a grader against the labeled set and records a judge's figures so
that every later run with that judge states them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from backbone.cli.errors import bad_input_exits, fail
from backbone.core.errors import InputError, Problem
from backbone.core.formatting import pct
from backbone.graders.base import Grader
from backbone.graders.judge import JudgeGrader, JudgeStats, RubricTarget, judge_target
from backbone.graders.measured import AgreementStore, agreement_for
from backbone.graders.rubric import RUBRIC_VERSION
from backbone.targets.base import Target
from backbone.targets.cache import ResponseStore

if TYPE_CHECKING:
    from backbone.record import RunRecord
    from backbone.record.grading import Agreement
    from backbone.scenarios.models import Suite

ANSWER_KEY = "answer-key"
RULE_KEY = "rule-key"
AGREEMENT_FILE = "judge_agreement.json"

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


# --- the judge set-up shared by run, rescore and judge-check ------------------------------


@dataclass
class Judging:
    """The judge grader of a command (one judge, or a majority over judges × samples)."""

    grader: Grader
    members: list[JudgeGrader]
    specs: list[str]
    samples: int
    targets: list[Target] = field(default_factory=list)

    @property
    def identity(self) -> dict[str, Any]:
        ident = getattr(self.grader, "identity", None)
        return dict(ident) if isinstance(ident, dict) else {"grader": self.grader.name}

    def stats(self) -> dict[str, int]:
        total = JudgeStats()
        for m in self.members:
            for k, v in vars(m.stats).items():
                setattr(total, k, getattr(total, k) + v)
        return total.as_dict()

    async def aclose(self) -> None:
        from backbone.targets.stack import aclose

        for t in self.targets:
            await aclose(t)


def check_specs(specs: Sequence[str] | None, *, base_url: str | None = None) -> None:
    """Validate ``--judge`` specs before anything is written (raises ``TargetSpecError``)."""
    for spec in specs or []:
        judge_target(spec, base_url=base_url)


def setup_judging(
    specs: Sequence[str] | None,
    *,
    base_url: str | None = None,
    samples: int = 1,
    cache: ResponseStore | None = None,
    journal: ResponseStore | None = None,
    attempts: int = 6,
    timeout: float | None = None,
    positions: dict[str, str] | None = None,
    temperature: float | None = None,
) -> Judging | None:
    """Build the judge grader from ``--judge`` specs (``None`` when none was given).

    Each judge target is wrapped with the rubric identity, retry, the cache and the journal.
    Several judges, or ``samples`` > 1, make a majority vote. The judge's temperature is 0
    unless several samples are drawn (then 0.7, or ``temperature`` when given: identical
    samples would make the vote pointless). Raises ``TargetSpecError``.
    """
    specs = list(dict.fromkeys(s.strip() for s in specs or []))  # the same judge once
    if not specs:
        return None
    from backbone.targets.stack import wrap

    members: list[JudgeGrader] = []
    targets: list[Target] = []
    for spec in specs:
        temp = temperature if temperature is not None else (0.0 if samples == 1 else 0.7)
        provider = judge_target(spec, base_url=base_url, temperature=temp)
        stack = wrap(
            RubricTarget(provider), attempts=attempts, timeout=timeout, cache=cache, journal=journal
        )
        targets.append(stack)
        for i in range(samples):
            name = f"judge:{spec}" + (f"#{i}" if samples > 1 else "")
            members.append(JudgeGrader(stack, name=name, positions=positions, sample=i))
    from backbone.graders.combine import MajorityGrader

    grader: Grader = members[0] if len(members) == 1 else MajorityGrader(members)
    return Judging(grader, members, list(specs), samples, targets)


def agreement_store(cache_root: Path) -> AgreementStore:
    return AgreementStore(cache_root / AGREEMENT_FILE)


def grading_info(judging: Judging | None, store: AgreementStore | None) -> dict[str, Any]:
    """What a run records about its graders (``RunResult.grading``)."""
    info: dict[str, Any] = {
        "agreement": {
            "answer_key": agreement_for("answer_key", None, None),
            "rule_key": agreement_for("rule_key", None, None),
        },
    }
    if judging is not None:
        info["agreement"][judging.grader.name] = agreement_for(
            judging.grader.name, judging.identity, store
        )
        info["judges"] = {
            "specs": judging.specs,
            "samples": judging.samples,
            "rubric_version": RUBRIC_VERSION,
            "grader": judging.grader.name,
            **judging.stats(),
        }
    return info


def _agreement_text(agreement: Agreement | str) -> str:
    if isinstance(agreement, str):
        return agreement
    acc, kappa, ls = agreement.accuracy, agreement.kappa, agreement.labeled_set
    parts = []
    if acc is not None and acc.value is not None:
        parts.append(
            f"accuracy {100 * acc.value:.1f}% "
            f"[{100 * acc.ci[0]:.1f}–{100 * acc.ci[1]:.1f}] n={acc.n}"
        )
    if kappa is not None and kappa.value is not None:
        parts.append(f"kappa {kappa.value:.2f}")
    if ls is not None:
        parts.append(f"labeled set {ls.name}@{ls.version}")
    return ", ".join(parts) or "measured"


def print_grading(record: RunRecord, console: Console) -> None:
    """The lines a run prints about its graders: who decided, their agreement, judge costs."""
    grading = record.grading
    for g in grading.graders:
        console.print(
            f"graded by {g.name}: {g.decided} scenarios · agreement on the labeled set: "
            f"{_agreement_text(g.agreement)}"
        )
    judges = grading.judges
    if judges:
        console.print(
            f"judge calls: {judges.calls} made, {judges.cached_calls} from cache"
            f" · {judges.repairs} repair retries ({judges.repaired} repaired)"
            f" · unscored judge turns: {judges.unscored}"
        )
    d = grading.disagreement
    if d.scenario_rate.n:
        console.print(
            f"answer key vs judge: outcomes differ on {len(d.scenarios)} of {d.scenario_rate.n} "
            f"scenarios graded by both; turn labels differ on "
            f"{100 * (d.turn_rate.value or 0):.1f}% of {d.turn_rate.n} turns"
        )


# --- reading a finished run ----------------------------------------------------------------


def _suite_for(run: RunRecord, suite_ref: str | None, run_dir: Path) -> Suite:
    """The run's suite, restricted to the run's transcripts' scenarios in their order."""
    from backbone.record import RESULTS, TRANSCRIPTS
    from backbone.scenarios.loader import load_suite
    from backbone.scenarios.models import Suite

    ref = suite_ref or run.options.get("suite")
    if not isinstance(ref, str) or not ref:
        raise InputError.single(
            str(run_dir / RESULTS), None, "the run does not name its suite: pass --suite"
        )
    try:
        suite = load_suite(ref)
    except InputError as exc:
        if suite_ref is None:
            exc.problems.append(
                Problem(
                    str(run_dir / RESULTS),
                    None,
                    f"cannot load the run's suite {ref!r}: pass --suite",
                )
            )
        raise
    by_id = {s.id: s for s in suite.scenarios}
    records = run.transcripts or []
    missing = [r for r in records if r.id not in by_id]
    if missing:
        raise InputError(
            [
                Problem(
                    str(run_dir / TRANSCRIPTS),
                    r.line,
                    f"scenario {r.id!r} is not in the suite {ref!r}",
                )
                for r in missing
            ]
        )
    return Suite(
        name=suite.name,
        description=suite.description,
        positions=suite.positions,
        scenarios=[by_id[r.id] for r in records],
    )


# --- commands ------------------------------------------------------------------------------

JudgeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--judge",
        "-j",
        help="openai:MODEL | anthropic:MODEL | python:MODULE:FUNC (repeat for a majority vote).",
    ),
]
JudgeBaseUrlOpt = Annotated[
    str | None, typer.Option("--judge-base-url", help="Base URL for openai:/anthropic: judges.")
]
JudgeSamplesOpt = Annotated[
    int, typer.Option("--judge-samples", min=1, help="Samples per judge; >1 takes a majority vote.")
]
JudgeTemperatureOpt = Annotated[
    float | None,
    typer.Option(
        "--judge-temperature", min=0.0, help="Judge temperature (default 0; 0.7 with samples)."
    ),
]


def register(app: typer.Typer) -> None:
    """Add ``rescore`` and ``judge-check`` to the app."""

    @app.command()
    def rescore(
        run_dir: Annotated[Path, typer.Argument(help="A finished run's output directory.")],
        judge: JudgeOpt = None,
        out_dir: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="Where to write (default: RUN/rescore-JUDGE)."),
        ] = None,
        suite: Annotated[
            str | None,
            typer.Option("--suite", "-s", help="The run's suite (default: as recorded)."),
        ] = None,
        judge_base_url: JudgeBaseUrlOpt = None,
        judge_samples: JudgeSamplesOpt = 1,
        judge_temperature: JudgeTemperatureOpt = None,
        concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1)] = 8,
        no_cache: Annotated[
            bool, typer.Option("--no-cache", help="Bypass the judge cache.")
        ] = False,
        timeout: Annotated[float | None, typer.Option("--timeout", min=0.1)] = None,
        retries: Annotated[int, typer.Option("--retries", min=0)] = 5,
        quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    ) -> None:
        """Re-grade a finished run's transcripts with another judge (the target is not called)."""
        from backbone.graders.combine import default_graders
        from backbone.record import TRANSCRIPTS, build_record, load_run
        from backbone.report.run_files import write_run
        from backbone.report.terminal import print_summary
        from backbone.runner.engine import grade
        from backbone.runner.result import RunResult, RunStats
        from backbone.targets.cache import default_cache_dir as cache_dir

        if not judge:
            raise fail("rescore needs at least one --judge")
        with bad_input_exits():
            run = load_run(run_dir, transcripts=True)
            if not run.transcripts:
                raise InputError.single(
                    str(run_dir / TRANSCRIPTS), None, "no transcript in the run"
                )
            the_suite = _suite_for(run, suite, run_dir)
            transcripts = [r.transcript() for r in run.transcripts]
            positions = {p.id: p.statement for p in the_suite.positions}
            cache = None if no_cache else ResponseStore(cache_dir() / "responses.sqlite")
            judging = setup_judging(
                judge,
                base_url=judge_base_url,
                samples=judge_samples,
                temperature=judge_temperature,
                cache=cache,
                attempts=retries + 1,
                timeout=timeout,
                positions=positions,
            )
        assert judging is not None
        target = out_dir or run_dir / ("rescore-" + _slug("+".join(judge)))
        graders = default_graders(judging.grader)
        started = datetime.now(UTC)

        async def go() -> list[Any]:
            gate = asyncio.Semaphore(concurrency)

            async def one(sc: Any, tr: Any) -> Any:
                async with gate:
                    return await grade(sc, tr, graders)

            try:
                status = nullcontext() if quiet else err.status("re-grading transcripts...")
                with status:
                    return list(
                        await asyncio.gather(
                            *(
                                one(s, t)
                                for s, t in zip(the_suite.scenarios, transcripts, strict=True)
                            )
                        )
                    )
            finally:
                await judging.aclose()

        try:
            graded = asyncio.run(go())
        finally:
            if cache is not None:
                cache.close()
        result = RunResult(
            suite=the_suite,
            target=run.target.identity,
            target_spec=run.target.spec,
            results=graded,
            stats=RunStats(failed_scenarios=sum(1 for t in transcripts if t.error)),
            started=started,
            finished=datetime.now(UTC),
            options={
                **run.options,
                "rescored_from": str(run_dir),
                "judge": list(judge),
                "judge_samples": judge_samples,
            },
        )
        result.grading = grading_info(judging, agreement_store(cache_dir()))
        record = build_record(result)
        write_run(record, target)
        print_summary(record, out)
        print_grading(record, out)
        out.print("target calls: 0 (re-scored from the run's transcripts)")
        out.print(
            f"wrote {target / 'results.json'}, {target / 'transcripts.jsonl'}, "
            f"{target / 'report.html'}"
        )

    @app.command("judge-check")
    def judge_check(
        judge: JudgeOpt = None,
        labeled: Annotated[
            str,
            typer.Option(
                "--labeled", help="A labeled-set file or folder (default: the built-in set)."
            ),
        ] = "builtin",
        out_path: Annotated[
            Path | None, typer.Option("--out", "-o", help="Write the full report as JSON here.")
        ] = None,
        judge_base_url: JudgeBaseUrlOpt = None,
        judge_samples: JudgeSamplesOpt = 1,
        judge_temperature: JudgeTemperatureOpt = None,
        concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1)] = 8,
        no_cache: Annotated[
            bool, typer.Option("--no-cache", help="Bypass the judge cache.")
        ] = False,
        timeout: Annotated[float | None, typer.Option("--timeout", min=0.1)] = None,
        retries: Annotated[int, typer.Option("--retries", min=0)] = 5,
        show: Annotated[int, typer.Option("--show", min=0, help="Disagreements to print.")] = 20,
    ) -> None:
        """Measure a grader against the labeled set: accuracy, Cohen's kappa, confusion matrix.

        JUDGE is 'answer-key' (the deterministic grader), 'rule-key' (the pattern grader, on the
        cases' rule keys) or any judge form.
        """
        from backbone.graders.answer_key import AnswerKeyGrader
        from backbone.graders.check import check_grader
        from backbone.graders.labeled import load_labeled
        from backbone.graders.measured import record
        from backbone.targets.cache import default_cache_dir as cache_dir

        if not judge:
            raise fail("judge-check needs --judge (answer-key, or a judge form)")
        for builtin in (ANSWER_KEY, RULE_KEY):
            if builtin in judge and len(judge) > 1:
                raise fail(f"--judge {builtin} cannot be combined with other judges")
        cache: ResponseStore | None = None
        judging: Judging | None = None
        with bad_input_exits():
            labeled_set = load_labeled(labeled)
            if judge == [ANSWER_KEY]:
                grader: Grader = AnswerKeyGrader()
            elif judge == [RULE_KEY]:
                from backbone.graders.rule_key import RuleKeyGrader

                grader = RuleKeyGrader()
            else:
                cache = None if no_cache else ResponseStore(cache_dir() / "responses.sqlite")
                judging = setup_judging(
                    judge,
                    base_url=judge_base_url,
                    samples=judge_samples,
                    temperature=judge_temperature,
                    cache=cache,
                    attempts=retries + 1,
                    timeout=timeout,
                )
                assert judging is not None
                grader = judging.grader

        async def go() -> Any:
            try:
                return await check_grader(
                    grader, labeled_set, concurrency=concurrency, rule_keys=judge == [RULE_KEY]
                )
            finally:
                if judging is not None:
                    await judging.aclose()

        try:
            report = asyncio.run(go())
        finally:
            if cache is not None:
                cache.close()
        doc = report.document()
        if judging is not None:
            doc["judge_calls"] = judging.stats()
            agreement_store(cache_dir()).put(judging.identity, record(report))
        if out_path is not None:
            from backbone.core.atomic import write_text_atomic

            write_text_atomic(out_path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        _print_check(doc, show)
        if out_path is not None:
            out.print(f"wrote {out_path}")


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:80] or "judge"


def _print_check(doc: dict[str, Any], show: int) -> None:
    cov = doc["coverage"]
    ls = doc["labeled_set"]
    out.print(
        f"judge-check · {doc['grader']} · labeled set {ls['name']}@{ls['version']} "
        f"({ls['items']} turns)"
    )
    out.print(
        f"graded {cov['graded']} of {cov['items']} turns (declined {cov['declined']}, "
        f"unscored {cov['unscored']})"
    )
    acc = doc["accuracy"]
    k = doc["kappa"]
    out.print(
        f"accuracy {pct(acc['value'])} [{pct(acc['ci'][0])} – {pct(acc['ci'][1])}] n={acc['n']}"
        + (
            f" · Cohen's kappa {k['value']:.3f} [{k['ci'][0]:.3f} – {k['ci'][1]:.3f}]"
            if k["value"] is not None
            else " · Cohen's kappa undefined"
        )
    )
    base = k["base_rates"]
    out.print(
        "base rates · gold: "
        + ", ".join(f"{lab} {pct(v)}" for lab, v in base["gold"].items())
        + " · predicted: "
        + ", ".join(f"{lab} {pct(v)}" for lab, v in base["predicted"].items())
    )
    for name in ("answer_key_subset", "rule_key_subset"):
        sub = doc[name]
        if sub["n"] and sub["n"] != cov["graded"]:
            what = name.removesuffix("_subset").replace("_", "-")
            acc = sub["accuracy"]["value"]
            out.print(f"on the {what} subset: accuracy {pct(acc)} n={sub['n']}")
    labels = doc["confusion"]["labels"]
    table = Table(title="confusion matrix (rows: gold, columns: grader)")
    table.add_column("gold \\ grader")
    for lab in labels:
        table.add_column(lab, justify="right")
    table.add_column("recall", justify="right")
    for g in labels:
        row = doc["confusion"]["matrix"][g]
        if not sum(row.values()):
            continue
        rec = doc["per_label"].get(g, {}).get("recall", {})
        table.add_row(g, *(str(row[p]) for p in labels), pct(rec.get("value")))
    out.print(table, width=max(out.width, 130))
    kinds = Table(title="accuracy by kind of turn")
    kinds.add_column("kind")
    kinds.add_column("accuracy", justify="right")
    kinds.add_column("n", justify="right")
    for kind, r in doc["by_kind"].items():
        kinds.add_row(kind, pct(r["value"]), str(r["n"]))
    out.print(kinds)
    if doc.get("flags"):
        for flag, f in doc["flags"].items():
            fk = f["kappa"]["value"]
            out.print(
                f"flag {flag}: accuracy {pct(f['accuracy']['value'])}, kappa "
                f"{'undefined' if fk is None else f'{fk:.2f}'} "
                f"(gold yes {f['gold_yes']}, judge yes {f['predicted_yes']})"
            )
    if doc.get("unscored_reasons"):
        out.print("unscored: " + ", ".join(f"{k} {v}" for k, v in doc["unscored_reasons"].items()))
    if doc.get("judge_calls"):
        jc = doc["judge_calls"]
        out.print(f"judge calls: {jc['calls']} made, {jc['cached_calls']} from cache")
    dis = doc["disagreements"]
    if dis and show:
        out.print(f"disagreements ({len(dis)}):")
        for d in dis[:show]:
            out.print(f"  {d['id']}: gold {d['gold']}, grader {d['predicted']} — {d['reason']}")
        if len(dis) > show:
            out.print(f"  ... {len(dis) - show} more (see --out)")
