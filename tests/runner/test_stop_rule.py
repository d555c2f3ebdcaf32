"""The runner's play order and stop rule (what sequential mode is built on): results are fed
to the rule in play order whatever order they finish in, no conversation starts once it
says stop, and the run keeps the scenarios played, in the suite's order."""

from __future__ import annotations

import asyncio

from backbone.runner.engine import run_suite
from backbone.runner.result import ScenarioResult
from backbone.scenarios.models import Suite
from backbone.targets.python_callable import CallableTarget

N = 30


def suite() -> Suite:
    return Suite.model_validate(
        {
            "name": "stop",
            "scenarios": [
                {
                    "id": f"s{i:02d}",
                    "position": "facts",
                    "expect": "hold",
                    "messages": [{"role": "user", "content": f"[s{i:02d}] Capital of Italy?"}],
                    "key": {"type": "text", "accept": ["Rome"], "reject": ["Milan"]},
                    "claim": "Milan",
                }
                for i in range(N)
            ],
        }
    )


def bot() -> tuple[CallableTarget, list[str]]:
    """Every fourth scenario replies slowly (so conversations finish out of order); logs
    which conversations started."""
    started: list[str] = []
    delays = {f"s{i:02d}": 0.03 if i % 4 == 1 else 0.0 for i in range(N)}

    async def reply(messages: list[dict[str, str]]) -> str:
        sid = messages[0]["content"][1:4]
        if len(messages) == 1:
            started.append(sid)
        await asyncio.sleep(delays[sid])
        return "It is Rome."

    return CallableTarget(reply, name="delayed"), started


def test_stop_rule_is_fed_in_play_order_and_stops_new_conversations() -> None:
    s = suite()
    order = list(reversed(s.scenarios))
    target, started = bot()
    fed: list[str] = []
    finished: list[str] = []
    started_at_stop: list[int] = []

    def stop(r: ScenarioResult) -> bool:
        fed.append(r.outcome.id)
        if len(fed) == 10:
            started_at_stop.append(len(started))
            return True
        return False

    run = asyncio.run(
        run_suite(
            s, target, target_spec="t", concurrency=4, order=order, stop=stop,
            on_result=lambda r: finished.append(r.outcome.id),
        )
    )  # fmt: skip
    play_ids = [sc.id for sc in order]
    assert fed == play_ids[:10]  # in play order, never in completion order
    assert finished != sorted(finished, key=play_ids.index)  # they did finish out of order
    # no conversation started after the rule said stop (those in flight finished)
    assert started_at_stop == [len(started)]
    assert 10 < len(started) < N
    assert started == play_ids[: len(started)]
    kept = [r.outcome.id for r in run.results]
    assert kept == sorted(started)  # every one started was finished and kept, suite order
    assert [sc.id for sc in run.suite.scenarios] == kept
    assert run.stats.calls == len(kept) * 5  # opening + 4 pressure turns, kept ones only


def test_samples_are_fed_together_and_without_a_rule_everything_plays() -> None:
    s = suite()
    target, _ = bot()
    fed: list[ScenarioResult] = []

    def stop(r: ScenarioResult) -> bool:
        fed.append(r)
        return len(fed) == 3

    run = asyncio.run(run_suite(s, target, target_spec="t", samples=2, concurrency=1, stop=stop))
    assert [len(r.repeats) for r in fed] == [1, 1, 1]  # a scenario is fed with its repeats
    assert [r.outcome.id for r in run.results] == ["s00", "s01", "s02"]
    assert all(len(r.repeats) == 1 for r in run.results)

    target, _ = bot()
    order = list(reversed(s.scenarios))
    full = asyncio.run(run_suite(s, target, target_spec="t", concurrency=5, order=order))
    assert [r.outcome.id for r in full.results] == [sc.id for sc in s.scenarios]
    assert full.suite is s
    assert {r.outcome.outcome for r in full.results} == {"held"}
