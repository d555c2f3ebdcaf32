"""``--dry-run``: what a run would do and cost, before it makes a single call.

Counts the scenarios, the target calls (the opening unless planted, plus one per pressure
step, times the samples) and the judge calls (every graded assistant turn, per judge and judge
sample), and estimates tokens: a call's prompt is the conversation so far, counted as
characters / 4, with each earlier reply assumed ``reply_tokens`` long; at most, every reply
runs to the length cap. The cache is not consulted: a re-run that the cache serves costs
nothing, so these are upper bounds for it.

Example:
    >>> plan = plan_run(load_suite("builtin:golden"), "openai:gpt-4o-mini")  # doctest: +SKIP
    >>> plan.target_calls, plan.target_cost.usd  # doctest: +SKIP
    (126, 0.0041)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backbone.judges.rubrics.pushback import SYSTEM_PROMPT
from backbone.scenarios.models import Suite
from backbone.scenarios.personas import DEFAULT_PERSONA, prompt
from backbone.targets.openai_compat import is_reasoning_model
from backbone.targets.prices import Lookup, PriceTable

CHARS_PER_TOKEN = 4
REPLY_TOKENS = 150  # a typical short answer under pressure
DEFAULT_CAP = 512  # openai:/anthropic: targets' default --max-tokens
LOCAL_CAP = 160  # the embedded model's
JUDGE_REPLY_TOKENS = 120  # the judge's JSON verdict
JUDGE_FRAME_CHARS = 400  # the judge's instructions around the conversation
PRESSURE_TOKENS = 60  # a typical pushback turn written by an adaptive pressure role
PRESSURE_CAP = 200  # the pressure role's reply cap (a model pressure target's max_tokens)


def _tokens(text: str) -> int:
    return -(-len(text) // CHARS_PER_TOKEN)


@dataclass(frozen=True)
class Estimate:
    """Tokens and their cost for one party (``usd`` None: not priced)."""

    calls: int
    input_tokens: int
    output_tokens: int
    usd: float | None
    max_input_tokens: int
    max_output_tokens: int
    max_usd: float | None
    price: Lookup | None


@dataclass(frozen=True)
class RunPlan:
    """What a run would do: scenarios, calls and estimated costs, target and judges apart."""

    scenarios: int
    samples: int
    target: Estimate
    judges: Estimate | None
    reply_tokens: int
    cap: int
    reasoning: tuple[str, ...] = ()
    """The target and judges that are reasoning models: their hidden reasoning is billed as
    output beyond these estimates, and a limit it spends grows (up to 8,192 tokens)."""
    pressure: Estimate | None = None
    """The adaptive pressure role's calls (``--pressure``), None when the ladders are
    scripted."""


def plan_run(
    suite: Suite,
    target: str,
    *,
    samples: int = 1,
    judges: Sequence[str] = (),
    judge_samples: int = 1,
    max_tokens: int | None = None,
    base_url: str | None = None,
    judge_base_url: str | None = None,
    prices: PriceTable | None = None,
    reply_tokens: int = REPLY_TOKENS,
    pressure: str | None = None,
    pressure_turns: int | None = None,
    persona: str = DEFAULT_PERSONA,
) -> RunPlan:
    """The plan of playing ``suite`` against ``target``: no call is made, nothing is loaded.
    With ``pressure`` (a spec) the pressure turns are written by that role, ``pressure_turns``
    of them (default: the scenario's ladder), each one call of the role reading the
    conversation so far from the ``persona``'s prompt; the role is priced as a target served
    from ``base_url`` (as a run sends it)."""
    table = prices or PriceTable.load()
    cap = max_tokens or (LOCAL_CAP if target == "local" else DEFAULT_CAP)
    typical = min(reply_tokens, cap)
    bounds = ((typical, min(PRESSURE_TOKENS, PRESSURE_CAP)), (cap, PRESSURE_CAP))
    calls = 0
    inp = {typical: 0, cap: 0}
    judge_in = {typical: 0, cap: 0}
    role_in = {typical: 0, cap: 0}
    role_calls = 0
    turns = 0
    for s in suite.scenarios:
        context = _tokens(s.system or "") + sum(_tokens(m.content) for m in s.messages)
        opening = [] if s.planted_opening else [0]
        n_pressure = (pressure_turns or len(s.ladder())) if pressure else len(s.ladder())
        frame = 0
        if pressure:
            question = next((m.content for m in s.messages if m.role == "user"), "")
            ask = prompt(persona, claim=s.user_claim, question=question, conversation=[], turn=1)
            frame = sum(_tokens(text) for _, text in ask)
        for r, written in bounds:
            steps = (
                [written] * n_pressure
                if pressure
                else [_tokens(s.render_step(step)) for step in s.ladder()]
            )
            asks = opening + steps
            sent = context
            for k, user in enumerate(asks):
                if pressure and k >= len(opening):
                    role_in[r] += frame + sent  # the role reads the conversation so far
                sent += user
                inp[r] += sent
                judge_in[r] += sent + r + _tokens(SYSTEM_PROMPT) + JUDGE_FRAME_CHARS // 4
                if k < len(asks) - 1:
                    sent += r
        calls += len(opening) + n_pressure
        turns += len(opening) + n_pressure
        role_calls += n_pressure if pressure else 0
    calls *= samples
    role_calls *= samples
    for d in (inp, judge_in, role_in):
        for r in d:
            d[r] *= samples
    lookup = table.lookup(target, base_url=base_url)
    target_est = _estimate(calls, inp[typical], calls * typical, inp[cap], calls * cap, lookup)
    pressure_est = None
    if pressure:
        pressure_est = _estimate(
            role_calls,
            role_in[typical],
            role_calls * bounds[0][1],
            role_in[cap],
            role_calls * PRESSURE_CAP,
            table.lookup(pressure, base_url=base_url),
        )
    judge_est = None
    if judges:
        n = turns * samples * judge_samples * len(judges)
        per = judge_samples * len(judges)
        lookups = {table.lookup(j, base_url=judge_base_url).price for j in judges}
        jl = table.lookup(judges[0], base_url=judge_base_url) if len(lookups) == 1 else None
        judge_est = _estimate(
            n,
            judge_in[typical] * per,
            n * JUDGE_REPLY_TOKENS,
            judge_in[cap] * per,
            n * JUDGE_REPLY_TOKENS,
            jl,
        )
    return RunPlan(
        scenarios=len(suite.scenarios),
        samples=samples,
        target=target_est,
        judges=judge_est,
        reply_tokens=typical,
        cap=cap,
        pressure=pressure_est,
        reasoning=tuple(
            spec
            for spec in dict.fromkeys((target, *judges, *([pressure] if pressure else [])))
            if spec.startswith("openai:") and is_reasoning_model(spec.removeprefix("openai:"))
        ),
    )


def _estimate(
    calls: int, inp: int, out: int, max_inp: int, max_out: int, lookup: Lookup | None
) -> Estimate:
    price = lookup.price if lookup is not None else None
    return Estimate(
        calls=calls,
        input_tokens=inp,
        output_tokens=out,
        usd=round(price.usd(inp, out), 6) if price is not None else None,
        max_input_tokens=max_inp,
        max_output_tokens=max_out,
        max_usd=round(price.usd(max_inp, max_out), 6) if price is not None else None,
        price=lookup,
    )
