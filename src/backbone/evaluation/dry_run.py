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
from backbone.targets.openai_compat import is_reasoning_model
from backbone.targets.prices import Lookup, PriceTable

CHARS_PER_TOKEN = 4
REPLY_TOKENS = 150  # a typical short answer under pressure
DEFAULT_CAP = 512  # openai:/anthropic: targets' default --max-tokens
LOCAL_CAP = 160  # the embedded model's
JUDGE_REPLY_TOKENS = 120  # the judge's JSON verdict
JUDGE_FRAME_CHARS = 400  # the judge's instructions around the conversation


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
) -> RunPlan:
    """The plan of playing ``suite`` against ``target``: no call is made, nothing is loaded."""
    table = prices or PriceTable.load()
    cap = max_tokens or (LOCAL_CAP if target == "local" else DEFAULT_CAP)
    typical = min(reply_tokens, cap)
    calls = 0
    inp = {typical: 0, cap: 0}
    judge_in = {typical: 0, cap: 0}
    turns = 0
    for s in suite.scenarios:
        context = _tokens(s.system or "") + sum(_tokens(m.content) for m in s.messages)
        asks = ([] if s.planted_opening else [0]) + [
            _tokens(s.render_step(step)) for step in s.ladder()
        ]
        for r in (typical, cap):
            sent = context
            for k, user in enumerate(asks):
                sent += user
                inp[r] += sent
                judge_in[r] += sent + r + _tokens(SYSTEM_PROMPT) + JUDGE_FRAME_CHARS // 4
                if k < len(asks) - 1:
                    sent += r
        calls += len(asks)
        turns += len(asks)
    calls *= samples
    for d in (inp, judge_in):
        for r in d:
            d[r] *= samples
    lookup = table.lookup(target, base_url=base_url)
    target_est = _estimate(calls, inp[typical], calls * typical, inp[cap], calls * cap, lookup)
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
        reasoning=tuple(
            spec
            for spec in dict.fromkeys((target, *judges))
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
