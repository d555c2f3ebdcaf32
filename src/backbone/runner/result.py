"""What a run produced: per scenario the transcript, the verdicts and the outcome, and what
the run cost. Reports render this; nothing here calls anything."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from backbone.core.outcome import Outcome
from backbone.core.transcript import Transcript
from backbone.core.verdict import Verdict
from backbone.runner.pressure import RoleBreak
from backbone.scenarios.models import Suite


class ScenarioResult(BaseModel):
    """One played and graded scenario. With repeated sampling (``--samples K``) this is the
    first sample (sample index 0) and ``repeats`` holds samples 1..K-1, in order."""

    transcript: Transcript
    verdicts: list[Verdict] | None
    outcome: Outcome
    repeats: list[ScenarioResult] = Field(default_factory=list)
    pressure: Literal["scripted", "adaptive"] = "scripted"
    pressure_broke: RoleBreak | None = Field(
        default=None, description="where and why the adaptive pressure role broke"
    )

    @property
    def sample_outcomes(self) -> list[Outcome]:
        """The outcome of every sample, sample 0 first."""
        return [self.outcome, *(r.outcome for r in self.repeats)]

    def all_samples(self) -> list[ScenarioResult]:
        """This result and its repeats, sample 0 first."""
        return [self, *self.repeats]

    @staticmethod
    def from_samples(samples: list[ScenarioResult]) -> ScenarioResult:
        """One scenario's result from its K samples (sample 0 first): the first, with the
        others as ``repeats`` (the inverse of :meth:`all_samples`)."""
        if len(samples) == 1:
            return samples[0]
        return samples[0].model_copy(update={"repeats": samples[1:]})


class RunStats(BaseModel):
    """Calls made, calls served from cache or journal, tokens."""

    calls: int = 0
    cached_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    uncached_input_tokens: int = 0
    uncached_output_tokens: int = 0
    cut_replies: int = Field(default=0, description="replies that stopped at the token limit")
    cut_by_context: int = Field(
        default=0,
        description="of them, the ones that stopped before max_tokens was used up: the server "
        "said the context window was full, or counted fewer tokens (the context window or a cap "
        "of the server's, most likely)",
    )
    failed_calls: int = Field(
        default=0,
        description="calls this process sent to the target that failed (each retry, each batch "
        "item that failed, each call sent again with other settings one); ``calls`` counts the "
        "replies received; replies from the cache or a resumed run's journal were made by an "
        "earlier process, whose failed calls are not known (``options.resumed``)",
    )
    failed_scenarios: int = 0


class RunResult(BaseModel):
    """Everything a run produced."""

    suite: Suite
    target: dict[str, Any]
    target_spec: str
    results: list[ScenarioResult]
    stats: RunStats
    started: datetime
    finished: datetime
    options: dict[str, Any] = Field(default_factory=dict)
    samples: int = Field(default=1, description="samples played per scenario (--samples)")
    grading: dict[str, Any] = Field(
        default_factory=dict, description="graders' measured agreement and judge costs"
    )

    @property
    def outcomes(self) -> list[Outcome]:
        return [r.outcome for r in self.results]
