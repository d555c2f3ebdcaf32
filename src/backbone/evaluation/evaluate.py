"""``evaluate()``: backbone's ``eval()``. Play a suite's pressure ladders against a target,
grade every turn, and return the run's record (writing ``results.json``, ``transcripts.jsonl``
and ``report.html`` when ``out`` is given).

This is the one place that wires a run: spec strings (or objects) into the suite, the target
and the judges; the response cache, or with the cache off a journal inside ``out`` (a killed
run resumes with no call repeated); loading the embedded model; retries and timeouts;
concurrency (by default "auto": many conversations in flight against an HTTP provider, paced
by its rate-limit headers; 8 otherwise); the sequential early stop. Everything it opens it
closes. ``backbone run``, ``backbone gate --target`` and the pytest plugin are each one call
of it.

Example:
    >>> from backbone import evaluate
    >>> def tutor(messages):                  # your product: chat messages in, a reply out
    ...     return "Tokyo is the capital of Japan."
    >>> run = evaluate(suite="builtin:golden", target=tutor, cache=False)
    >>> run.scenarios[0].id, run.scenarios[0].outcome, run.summary.cave_rate.n > 0
    ('capital-japan', 'held', True)
    >>> evaluate("builtin:golden", "openai:my-bot", out="runs/a",
    ...          base_url="http://127.0.0.1:11434/v1", judges=["openai:judge"])  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Literal, Protocol, TypeAlias

from backbone.core.outcome import Outcome
from backbone.core.output_dir import OutputDir
from backbone.evaluation import arguments
from backbone.evaluation.batch import (
    batch_mode,
    batch_use,
    batches_given_up,
    check_batchable,
    clear_batch_journal,
)
from backbone.evaluation.judging import agreement_store, check_specs, grading_info, setup_judging
from backbone.evaluation.registry import pressure_from_spec, takes_base_url
from backbone.evaluation.resolve import TargetLike, load_embedded, resolve_target
from backbone.evaluation.sent import sent_instead
from backbone.evaluation.stores import clear_journal, kept_in, open_stores
from backbone.evaluation.sync import run_sync
from backbone.gate.config import Sequential
from backbone.gate.early_stop import EarlyStop
from backbone.record import RunRecord, build_record
from backbone.record.costs import price_run
from backbone.report.run_files import RUN_FILES, write_run
from backbone.runner.engine import StopRule, run_suite
from backbone.runner.pressure import AdaptivePressure
from backbone.runner.result import RunResult, ScenarioResult
from backbone.scenarios.loader import check_suite
from backbone.scenarios.models import Suite
from backbone.scenarios.personas import DEFAULT_PERSONA, PERSONAS, persona_names
from backbone.scenarios.slicing import SuiteSlice, slice_suite
from backbone.spec.validate import check_playable, load_playable
from backbone.targets.base import Target
from backbone.targets.errors import TargetSpecError
from backbone.targets.prices import PriceTable
from backbone.targets.ratelimit import CEILING, GENTLE, paced
from backbone.targets.stack import aclose, failed_calls, wrap

EMBEDDED = "local"
AUTO = "auto"
EMBEDDED_IN_FLIGHT = 1
"""Conversations in flight on the embedded model by default: one, so that a run's replies are
the same from run to run (llama.cpp's arithmetic depends on what shares a forward pass; two
default runs of the golden set at 8 agreed on 133 of 140 replies, at 1 on 140 of 140, in 46 s
either way, and the tutor suite took 3 min 28 s against 3 min 21 s)."""


class HasOutcomes(Protocol):
    @property
    def outcomes(self) -> Sequence[Outcome]: ...


Baseline: TypeAlias = "str | Path | HasOutcomes | Iterable[Outcome]"


class RunInterrupted(KeyboardInterrupt):
    """The run was interrupted (Ctrl-C); every reply so far is kept in ``kept_in``, so the
    same call again resumes it (None: nowhere, as when no reply was kept before the Ctrl-C
    and the run's journal was removed with nothing to resume)."""

    def __init__(self, kept_in: Path | None) -> None:
        kept = f"replies so far kept in {kept_in}" if kept_in is not None else "no reply kept"
        super().__init__(f"interrupted; {kept}")
        self.kept_in = kept_in


def evaluate(
    suite: str | Path | Suite = "builtin:golden",
    target: TargetLike = EMBEDDED,
    *,
    out: str | Path | None = None,
    judges: Sequence[str] = (),
    concurrency: int | None = None,
    cache: bool = True,
    samples: int = 1,
    retries: int = 5,
    timeout: float | None = None,
    base_url: str | None = None,
    max_tokens: int | None = None,
    temperature: float = 0.0,
    judge_base_url: str | None = None,
    judge_samples: int = 1,
    sequential: Sequential | Mapping[str, Any] | None = None,
    baseline: Baseline | None = None,
    options: Mapping[str, Any] | None = None,
    prices: str | Path | PriceTable | None = None,
    select: SuiteSlice | None = None,
    wrong_openings: Literal["push", "stop"] = "push",
    pressure: str | Callable[..., Any] | None = None,
    persona: str = DEFAULT_PERSONA,
    pressure_turns: int | None = None,
    batch: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[ScenarioResult], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> RunRecord:
    """Play ``suite`` against ``target``, grade every turn, return the run's record (its
    figures with intervals, one record per scenario, the transcripts: what ``results.json``
    and ``transcripts.jsonl`` hold).

    ``suite``: a suite file or folder, ``builtin:NAME``, or a :class:`Suite`. ``target``: a
    spec string (``local``, ``openai:MODEL``, ``anthropic:MODEL``, ``python:MODULE:FUNC``), a
    :class:`~backbone.targets.base.Target`, or a plain function ``messages -> str`` (sync or
    async). ``out``: write the run's three files there. ``judges``: judge specs that grade
    beside the answer key (several, or ``judge_samples`` > 1: a majority vote).

    ``cache`` reads and writes the shared response cache (``$BACKBONE_CACHE_DIR``); with it
    off and ``out`` given, a journal in ``out`` keeps every reply until the results are
    written. ``concurrency`` bounds the conversations in flight; ``None`` (the default) is
    "auto": against an HTTP provider (``openai:``, ``anthropic:``) up to 256, while the rate
    limiter (:mod:`backbone.targets.ratelimit`) gates the calls, starting at 8 in flight and
    growing only as the provider's rate-limit headers show room; for other targets 8. A
    number also starts the limiter there (a server with no rate-limit headers then sees that
    many calls in flight, as before). ``samples`` = K plays each scenario K times.
    ``retries`` and ``timeout`` apply to each call (target and judges). ``base_url``,
    ``max_tokens`` and ``temperature`` go to a target given as a spec string.

    ``prices``: a price table file laid over the shipped one (default: ``$BACKBONE_PRICES``
    if set), or a loaded :class:`~backbone.targets.prices.PriceTable`; the run's ``costs``
    price the target and the judges apart.

    ``select`` plays a slice of the suite (``--limit``, ``--only``, ``--position``), recorded
    in ``options["slice"]``.

    ``wrong_openings``: ``"push"`` (default) plays the whole ladder even after an opening the
    answer key reads as wrong, so ``corrected_rate`` measures whether pressure corrects it;
    ``"stop"`` leaves those ladders out (fewer calls; ``corrected_rate`` then counts only the
    cases still pushed, and ``options["wrong_openings"]`` says so).

    ``pressure`` plays the pressure turns adaptively: that target (any spec form, or a
    function ``(messages, claim, persona, turn) -> str``) writes each user turn after reading
    the reply, as ``persona`` (:data:`~backbone.scenarios.personas.PERSONAS`), for
    ``pressure_turns`` turns (default: as many as the scenario's ladder). Its turns go
    through the same cache (and journal), so a re-run replays them with no call; its calls,
    and the scenarios whose pressure role broke, are in ``options["pressure"]``.

    ``batch`` sends each turn of all scenarios as one provider batch (``openai:`` and
    ``anthropic:`` targets, and judges; half the price, replies within the provider's 24 h
    window): every conversation plays at once, the batch ids are journaled beside the replies
    (a killed run, started again, waits for them), and ``costs`` are at the batch price with
    ``batch_saving_usd`` (:mod:`backbone.evaluation.batch`).

    ``sequential`` (a gate config's ``sequential`` section) plays in its seeded order and
    stops once the decision is clear (regression mode compares with ``baseline``: a run
    directory, a loaded run or its outcomes); the decision is in
    ``run.options["sequential"]``. ``options`` are recorded in ``results.json`` beside the
    run's own. ``on_start(total)`` runs once before playing, ``on_result`` after each sample
    played, ``on_note(text)`` for what a person watching should know (model loading,
    resuming).

    Raises :class:`~backbone.core.errors.InputError` (bad suite or output directory),
    ``TargetSpecError`` (bad target or judge spec), ``TypeError`` or ``ValueError`` (an
    argument of the wrong type or out of range, named), :class:`RunInterrupted` on Ctrl-C.
    """
    _check_arguments(
        suite=suite, out=out, judges=judges, concurrency=concurrency, cache=cache,
        samples=samples, retries=retries, timeout=timeout, max_tokens=max_tokens,
        temperature=temperature, judge_samples=judge_samples, wrong_openings=wrong_openings,
        batch=batch, options=options,
    )  # fmt: skip
    _check_more(
        base_url=base_url, judge_base_url=judge_base_url, sequential=sequential,
        prices=prices, select=select, persona=persona, pressure_turns=pressure_turns,
        on_start=on_start, on_result=on_result, on_note=on_note,
    )  # fmt: skip
    # 0 and 0.0 are one temperature: the CLI hands over a float, and an int written into the
    # cache key as 0 missed every reply the CLI's run had stored
    temperature = float(temperature)
    the_suite, suite_ref = _suite(suite)
    if not isinstance(suite, Suite):  # a path: where rescore finds it from anywhere
        options = {**_suite_file(suite_ref), **(options or {})}
    if select is not None and not select.whole:
        the_suite = slice_suite(the_suite, select)
        options = {**(options or {}), "slice": select.describe()}
    provider, spec, adaptive = checked_specs(
        target, base_url=base_url, temperature=temperature, max_tokens=max_tokens,
        pressure=pressure, persona=persona, pressure_turns=pressure_turns, judges=judges,
        judge_base_url=judge_base_url, batch=batch,
    )  # fmt: skip
    out_dir = Path(out) if out is not None else None
    table = prices if isinstance(prices, PriceTable) else PriceTable.load(prices)
    early = _early_stop(sequential, baseline, adaptive[2] if adaptive is not None else None)
    # the output directory is checked and held before the first call (a second run on it
    # is refused), and the run's files appear there together at the end
    held_dir = (
        OutputDir(out_dir, command=f"evaluate {suite_ref}", files=RUN_FILES) if out_dir else None
    )
    with (
        interrupted_keeps(kept_in(cache=cache, out=out_dir)),
        held_dir if held_dir is not None else nullcontext() as held,
    ):
        return _evaluate(
            the_suite, suite_ref, provider, spec, held, early, table,
            judges=judges, concurrency=concurrency, cache=cache, samples=samples,
            retries=retries, timeout=timeout, base_url=base_url, judge_base_url=judge_base_url,
            wrong_openings=wrong_openings, adaptive=adaptive,
            judge_samples=judge_samples, options=options, on_start=on_start,
            on_result=on_result, on_note=on_note, batch=batch,
        )  # fmt: skip


@contextmanager
def interrupted_keeps(where: Path | None) -> Iterator[None]:
    """A Ctrl-C (a ``KeyboardInterrupt``) inside is raised as :class:`RunInterrupted`, saying
    the replies so far are kept ``where``: during the play, and as well before it (the
    embedded model loading) and after it (the record, the report, the files), where it was a
    bare ``KeyboardInterrupt`` that ``backbone run`` ended with exit 130 and no word. Only
    while ``where`` is there: a run's journal is not yet made before the play, and is removed
    when the run stops holding no reply (:func:`~backbone.evaluation.stores.open_stores`),
    so the message named a journal that did not exist."""
    try:
        yield
    except RunInterrupted:
        raise
    except KeyboardInterrupt:
        raise RunInterrupted(where if where is not None and where.exists() else None) from None


def _evaluate(
    the_suite: Suite,
    suite_ref: str,
    provider: Target,
    spec: str,
    held: OutputDir | None,
    early: EarlyStop | None,
    table: PriceTable,
    *,
    judges: Sequence[str],
    concurrency: int | None,
    cache: bool,
    samples: int,
    retries: int,
    timeout: float | None,
    base_url: str | None,
    judge_base_url: str | None,
    judge_samples: int,
    wrong_openings: Literal["push", "stop"],
    adaptive: tuple[Target, str, str, int | None] | None,
    options: Mapping[str, Any] | None,
    on_start: Callable[[int], None] | None,
    on_result: Callable[[ScenarioResult], None] | None,
    on_note: Callable[[str], None] | None,
    batch: bool = False,
) -> RunRecord:
    out_dir = held.path if held is not None else None
    if spec == EMBEDDED:
        load_embedded(provider, on_note)
    if adaptive is not None and adaptive[1] == EMBEDDED:
        load_embedded(adaptive[0], on_note)
    recorded: dict[str, Any] = {
        "concurrency": concurrency if concurrency is not None else AUTO,
        "cache": cache,
        "base_url": base_url,
        "suite": suite_ref,
        "samples": samples,
        "wrong_openings": wrong_openings,
        **(options or {}),
    }
    if adaptive is not None:
        recorded["pressure"] = {
            "target": adaptive[1], "persona": adaptive[2], "turns": adaptive[3]
        }  # fmt: skip
    # what a reply depends on, so that a resumed run counts its own replies in its journal,
    # not those a killed run of another target or suite left there (concurrency is not)
    settings = {k: v for k, v in recorded.items() if k != "concurrency"}
    run = json.dumps(
        {**settings, "target": spec, "identity": provider.identity, "judges": list(judges),
         "judge_samples": judge_samples, "judge_base_url": judge_base_url},
        sort_keys=True, default=str,
    )  # fmt: skip
    with (
        open_stores(cache=cache, out=out_dir, run=run) as stores,
        batch_mode(batch, stores.kept_in, on_note) as batching,
    ):
        if stores.resumed and on_note is not None:
            on_note(f"resuming: {stores.resumed} replies already recorded in {stores.kept_in}")
        if stores.others and on_note is not None:
            on_note(
                f"{stores.kept_in} also holds {stores.others} replies of a killed run with other "
                "settings (target, suite, judges or options): kept, and read only where this "
                "run makes the same request"
            )
        attempts = retries + 1
        gentle = concurrency if concurrency is not None else GENTLE
        stack = wrap(
            provider, attempts=attempts, timeout=timeout, cache=stores.cache,
            journal=stores.journal, gentle=gentle, batch=batching,
        )  # fmt: skip
        in_flight = concurrency or (
            CEILING
            if paced(stack) is not None
            else EMBEDDED_IN_FLIGHT
            if provider.identity.get("provider") == EMBEDDED
            else GENTLE
        )
        if batching is not None:  # every conversation at once: a whole turn in one batch
            in_flight = max(in_flight, len(the_suite.scenarios) * samples)
        judging = setup_judging(
            judges, base_url=judge_base_url, samples=judge_samples, cache=stores.cache,
            journal=stores.journal, attempts=attempts, timeout=timeout,
            positions={p.id: p.statement for p in the_suite.positions}, gentle=gentle,
            batch=batching,
        )  # fmt: skip
        role = None
        if adaptive is not None:
            role = AdaptivePressure(
                wrap(adaptive[0], attempts=attempts, timeout=timeout, cache=stores.cache,
                     journal=stores.journal, gentle=gentle),
                adaptive[2],
                adaptive[3],
            )  # fmt: skip
        stop: StopRule | None = None
        if early is not None:
            stop = lambda r: early.feed(r.outcome)  # noqa: E731

        async def play() -> RunResult:
            try:
                return await run_suite(
                    the_suite,
                    stack,
                    target_spec=spec,
                    concurrency=in_flight,
                    samples=samples,
                    on_result=on_result,
                    options=recorded,
                    judge=judging.grader if judging is not None else None,
                    order=early.order(the_suite.scenarios) if early is not None else None,
                    stop=stop,
                    wrong_openings=wrong_openings,
                    pressure=role,
                )
            finally:
                await aclose(stack)
                if role is not None:
                    await aclose(role.target)
                if judging is not None:
                    await judging.aclose()

        if on_start is not None:
            on_start(len(the_suite.scenarios) * samples)
        result = run_sync(play)  # a Ctrl-C: RunInterrupted (interrupted_keeps)
        result.stats.failed_calls = failed_calls(stack)
        if stores.resumed:  # their calls, and the failed ones, were the killed run's
            result.options["resumed"] = stores.resumed
    if early is not None:
        decided = early.record(played=len(result.results), total=len(the_suite.scenarios))
        result.options["sequential"] = decided.model_dump(mode="json")
    if role is not None:
        result.options["pressure"] = {
            **result.options["pressure"],
            "calls": role.calls,
            "failed_calls": failed_calls(role.target),
            "cached_calls": role.cached_calls,
            "role_breaks": sum(1 for r in result.results if r.pressure_broke is not None),
        }
    sent = sent_instead(
        stack,
        judging.targets if judging is not None else [],
        role.target if role is not None else None,
    )
    if sent:
        result.options["sent"] = sent
    used = None
    if batching is not None:
        used = batch_use(stack, judging.targets if judging is not None else [], table, spec, judges)
        result.options["batch"] = used.recorded
    result.grading = grading_info(judging, agreement_store())
    record = build_record(result)
    record.costs = price_run(
        result.stats,
        record.grading.judges,
        table,
        target=spec,
        base_url=base_url,
        judge_specs=judges,
        judge_base_url=judge_base_url,
        batch=used.target if used is not None else None,
        judges_batch=used.judges if used is not None else None,
        pressure=(adaptive[1], role) if adaptive is not None and role is not None else None,
    )
    if held is not None:
        write_run(record, held)
        clear_journal(held.path)
        if not batches_given_up(stack, judging.targets if judging is not None else []):
            clear_batch_journal(held.path)
    return record


def checked_specs(
    target: TargetLike,
    *,
    base_url: str | None,
    temperature: float,
    max_tokens: int | None,
    pressure: str | Callable[..., Any] | None,
    persona: str,
    pressure_turns: int | None,
    judges: Sequence[str],
    judge_base_url: str | None,
    batch: bool,
) -> tuple[Target, str, tuple[Target, str, str, int | None] | None]:
    """The run's target (and the spec it records) and its adaptive pressure role, built from
    their specs, with the judge specs and the base URLs checked: everything a run can check
    with no call, which ``run --dry-run`` checks too (a misspelt ``--judge`` used to pass the
    dry run and fail the real one). Raises ``TargetSpecError`` or ``ValueError``."""
    if base_url is not None and not (takes_base_url(target) or takes_base_url(pressure)):
        # it was dropped without a word: 'run --target local --base-url URL' ran the embedded
        # model, where the user meant a server
        raise TargetSpecError(
            f"base URL {base_url!r} given, but neither the target {_shown(target)} nor a "
            "pressure role calls an HTTP API (a base URL is for openai:MODEL and "
            "anthropic:MODEL)"
        )
    provider, spec = resolve_target(
        target, base_url=base_url, temperature=temperature, max_tokens=max_tokens
    )
    adaptive = _pressure(
        pressure, persona, pressure_turns, base_url=base_url, temperature=temperature
    )
    if judge_base_url is not None and not judges:  # it was dropped without a word
        raise TargetSpecError(
            f"--judge-base-url {judge_base_url!r} given, but no --judge: the run has no judge "
            "to send it to (the target's server is --base-url)"
        )
    check_specs(judges, base_url=judge_base_url)
    if batch:
        check_batchable(provider)
    return provider, spec, adaptive


def _pressure(
    pressure: str | Callable[..., Any] | None,
    persona: str,
    turns: int | None,
    *,
    base_url: str | None,
    temperature: float,
) -> tuple[Target, str, str, int | None] | None:
    """The pressure role's target, its spec, the persona and the turns (None: scripted)."""
    if pressure is None:
        if turns is not None:
            raise ValueError(
                "pressure_turns applies to adaptive pressure only: give pressure= as well"
            )
        return None
    if persona not in PERSONAS:
        raise TargetSpecError(f"--persona {persona!r}: unknown persona (known: {persona_names()})")
    if turns is not None and turns < 1:
        raise ValueError("pressure_turns must be at least 1")
    target, spec = pressure_from_spec(pressure, base_url=base_url, temperature=temperature)
    return target, spec, persona, turns


def _check_arguments(
    *,
    suite: Any,
    out: Any,
    judges: Any,
    concurrency: Any,
    cache: Any,
    samples: Any,
    retries: Any,
    timeout: Any,
    max_tokens: Any,
    temperature: Any,
    judge_samples: Any,
    wrong_openings: Any,
    batch: Any,
    options: Any,
) -> None:
    """A ``TypeError`` or ``ValueError`` naming the first argument of the wrong type or out
    of range (:mod:`backbone.evaluation.arguments`), before anything is loaded or written."""
    if not isinstance(suite, Suite):
        arguments.path("suite", suite, also="'builtin:NAME' or a Suite")
    arguments.folder("out", out)
    arguments.specs("judges", judges)
    arguments.whole("concurrency", concurrency, at_least=1, optional=True)
    arguments.flag("cache", cache)
    arguments.whole("samples", samples, at_least=1)
    arguments.whole("retries", retries, at_least=0, at_most=arguments.MAX_RETRIES)
    arguments.seconds("timeout", timeout)
    arguments.whole("max_tokens", max_tokens, at_least=1, optional=True)
    arguments.number("temperature", temperature)
    arguments.whole("judge_samples", judge_samples, at_least=1)
    arguments.choice("wrong_openings", wrong_openings, ("push", "stop"))
    arguments.flag("batch", batch)
    if options is not None and not isinstance(options, Mapping):
        raise TypeError(f"options must be a mapping (a dict), got {type(options).__name__}")


def _check_more(
    *,
    base_url: Any,
    judge_base_url: Any,
    sequential: Any,
    prices: Any,
    select: Any,
    persona: Any,
    pressure_turns: Any,
    on_start: Any,
    on_result: Any,
    on_note: Any,
) -> None:
    """The rest of :func:`_check_arguments`: before, ``base_url=5`` and ``select="id"`` were
    ``AttributeError``s, ``prices=5`` a ``TypeError`` from :mod:`pathlib` naming no argument,
    ``sequential="yes"`` "dictionary update sequence element #0 has length 1",
    ``pressure_turns="2"`` "'<' not supported", and ``on_result=5`` stopped the run at its
    first scenario, leaving the journal behind."""
    arguments.text("base_url", base_url, optional=True)
    arguments.text("judge_base_url", judge_base_url, optional=True)
    arguments.instance(
        "sequential",
        sequential,
        (Sequential, Mapping),
        "a gate config's sequential section (a Sequential or a dict)",
    )
    if not isinstance(prices, PriceTable):
        arguments.path("prices", prices, optional=True, also="a PriceTable")
    arguments.instance("select", select, (SuiteSlice,), "a SuiteSlice")
    arguments.text("persona", persona)
    arguments.whole("pressure_turns", pressure_turns, at_least=1, optional=True)
    for name, value in (("on_start", on_start), ("on_result", on_result), ("on_note", on_note)):
        arguments.function(name, value)


def _suite(suite: str | Path | Suite) -> tuple[Suite, str]:
    """The suite, and how the run records it (what ``rescore`` reloads it from)."""
    if isinstance(suite, Suite):
        check_suite(suite, f"suite {suite.name!r} (a Suite)")
        check_playable(suite, f"suite {suite.name!r} (a Suite)")
        return suite, suite.name
    return load_playable(suite), str(suite)


def _suite_file(suite_ref: str) -> dict[str, str]:
    """``{"suite_file": ABSOLUTE_PATH}`` when the suite is a file or folder on disk (so that
    ``rescore`` finds it from any working directory), else nothing."""
    path = Path(suite_ref)
    return {"suite_file": str(path.resolve())} if path.exists() else {}


def _early_stop(
    sequential: Sequential | Mapping[str, Any] | None,
    baseline: Baseline | None,
    persona: str | None,
) -> EarlyStop | None:
    """The sequential check's stop rule; ``persona``: this run's adaptive pressure persona
    (None: scripted), which says whether a scenario pairs with the baseline's only under the
    same ladder (:meth:`~backbone.record.RunRecord.same_pressure_as`)."""
    if sequential is None:
        return None
    seq = (
        sequential
        if isinstance(sequential, Sequential)
        else Sequential.model_validate(dict(sequential))
    )
    if baseline is None:
        return EarlyStop(seq)
    if isinstance(baseline, str | Path):
        from backbone.record import load_run

        baseline = load_run(baseline)
    options = getattr(baseline, "options", None)  # a run's record says how it pushed
    played = options.get("pressure") if isinstance(options, Mapping) else None
    theirs = played.get("persona") if isinstance(played, Mapping) else None
    outcomes = baseline.outcomes if hasattr(baseline, "outcomes") else baseline
    return EarlyStop(
        seq,
        {o.id: o for o in outcomes},
        same_pressure=options is None or theirs == persona,
    )


def _shown(target: object) -> str:
    """A target as a message names it: its spec, or ``python:`` for a function or object."""
    return repr(target.strip()) if isinstance(target, str) else "(a Python object)"
