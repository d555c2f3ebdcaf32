"""Providers that validate the request body with pydantic refuse a field they do not take
with HTTP 422 and a ``detail`` list naming it: Mistral's API and Azure AI Foundry refuse the
``seed`` backbone sends with each repeated sample (``--samples``). A run against one plays
through: the seed is left out after the first refusal, with one warning, and the record says
so; any other refused field is still the call's failure, with the provider's words."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.support.loopback import (
    PLANTED_OUTCOMES,
    PLANTED_REQUESTS,
    Fault,
    LoopbackServer,
    cli_env,
    outcome_tuples,
    planted_bot,
    read_results,
    run_cli_here,
    write_suite,
)


def mistral_refusal(field: str, value: object) -> Fault:
    """Mistral's 422 body for a field its request model forbids."""
    detail = [{"type": "extra_forbidden", "loc": ["body", field],
               "msg": "Extra inputs are not permitted", "input": value}]  # fmt: skip
    body = {"object": "error", "message": {"detail": detail}, "type": "invalid_request_error",
            "param": None, "code": None}  # fmt: skip
    return Fault.raw(json.dumps(body).encode(), status=422)


def azure_refusal(field: str, value: object) -> Fault:
    """Azure AI Foundry's body for the same refusal: the ``detail`` list at the top."""
    detail = [{"type": "extra_forbidden", "loc": ["body", field],
               "msg": "Extra inputs are not permitted", "input": value}]  # fmt: skip
    return Fault.raw(json.dumps({"detail": detail}).encode(), status=422)


def play(server: LoopbackServer, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    suite = tmp / "suite.yaml"
    if not suite.exists():
        write_suite(suite)
    return run_cli_here(
        ["run", "--target", "openai:mistral-small-latest", "--base-url",
         server.openai_base_url, "--suite", str(suite), "--out", "out", "--no-cache",
         "--quiet", *extra],
        env=cli_env(), cwd=tmp,
    )  # fmt: skip


def test_a_refused_seed_is_left_out_and_every_sample_plays(tmp_path: Path) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(mistral_refusal("seed", 1), when=lambda c: "seed" in c.body)
        proc = play(server, tmp_path, "--samples", "2", "--concurrency", "2")
        calls = server.calls
    assert proc.returncode == 0, proc.stderr
    doc = read_results(tmp_path / "out")
    assert outcome_tuples(doc["scenarios"]) == PLANTED_OUTCOMES
    assert doc["summary"]["counts"]["unscored"] == 0
    # the planted bot answers each sample alike: both samples of every scenario as planted
    assert {s["id"]: s["samples"] for s in doc["scenarios"]} == {
        sid: [o[0]] * 2 for sid, o in PLANTED_OUTCOMES.items()
    }
    answered = [c for c in calls if c.fault is None]
    assert len(answered) == 2 * sum(PLANTED_REQUESTS.values())
    assert all("seed" not in c.body for c in answered)
    refused = [c for c in calls if c.fault is not None]
    assert 1 <= len(refused) <= 2  # only the calls in flight before the change
    assert proc.stderr.count("does not take seed: repeated samples (--samples) are sent") == 1
    assert doc["options"]["sent"] == {"target": {"left_out": ["seed"]}}


def test_the_same_refusal_in_azures_shape_is_read_alike(tmp_path: Path) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(azure_refusal("seed", 1), when=lambda c: "seed" in c.body)
        proc = play(server, tmp_path, "--samples", "2", "--concurrency", "1")
    assert proc.returncode == 0, proc.stderr
    doc = read_results(tmp_path / "out")
    assert doc["summary"]["counts"]["unscored"] == 0
    assert doc["options"]["sent"] == {"target": {"left_out": ["seed"]}}


def test_another_refused_field_is_the_calls_failure_with_the_providers_words(
    tmp_path: Path,
) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(mistral_refusal("messages", []), when=lambda c: True)
        play(server, tmp_path)
        assert server.total == len(PLANTED_REQUESTS)  # each opening once, never again
    doc = read_results(tmp_path / "out")
    assert {s["outcome"] for s in doc["scenarios"]} == {"unscored"}
    assert all(": openai: HTTP 422: " in s["reason"] for s in doc["scenarios"])
    assert all("Extra inputs are not permitted" in s["reason"] for s in doc["scenarios"])
    assert "sent" not in doc["options"]
