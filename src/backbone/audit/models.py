"""The audit's data, from a feedback event to the finished result (pydantic at the edges).

Names follow the data flow: a ``FeedbackLog`` (see :mod:`backbone.audit.feedback_log`) yields
:class:`FeedbackEvent` rows; the stratified :class:`Sample` holds :class:`SampledEvent` rows with
their weights; the judge gives a :class:`Judgment` per sampled event; the estimator turns the
counts into :class:`Estimate` figures; :class:`AuditResult` holds them all.

Example:
    >>> e = FeedbackEvent(id="e1", row=1, prompt="2+2?", response="4", rating="down")
    >>> e.as_dict()["rating"], e.as_dict()["response"]
    ('down', '4')
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Rating = Literal["up", "down"]
RATINGS: tuple[Rating, Rating] = ("down", "up")
RatingScale = Literal["updown", "signed", "binary", "stars"]
VerdictName = Literal["ship", "review", "stop"]
LogFormat = Literal["jsonl", "csv", "parquet", "table"]  # table: a database table

#: the contract's columns; ``reference`` (an answer key a judge may use) is optional
CONTRACT_FIELDS = ("id", "timestamp", "user_id", "prompt", "response", "rating")
OPTIONAL_FIELDS = ("timestamp", "user_id", "reference")
REQUIRED_FIELDS = ("id", "prompt", "response", "rating")
MAPPABLE_FIELDS = (*CONTRACT_FIELDS, "reference")


class FeedbackEvent(BaseModel):
    """One row of a feedback log, with the rating normalised to ``up``/``down``.

    ``row`` is the 1-based record index in the file; ``rating_raw`` the value as logged;
    ``extra`` every other column (JSON-safe values), kept for judges and rules.
    """

    model_config = ConfigDict(frozen=True)
    id: str
    row: int
    timestamp: str | None = None
    user_id: str | None = None
    prompt: str
    response: str
    rating: Rating | None = None  # None only outside a rated audit (feedback channels)
    rating_raw: str | None = None
    segment: str | None = None
    reference: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """What a ``python:`` judge receives: the other columns, then the contract's fields
        (which win on a name clash), ``rating`` as ``up``/``down`` and ``rating_raw``."""
        out: dict[str, Any] = dict(self.extra)
        out.update(
            id=self.id,
            timestamp=self.timestamp,
            user_id=self.user_id,
            prompt=self.prompt,
            response=self.response,
            rating=self.rating,
            rating_raw=self.rating_raw,
        )
        if self.reference is not None:
            out["reference"] = self.reference
        return out


class Stratum(BaseModel):
    """One cell of the sampling design: a rating, optionally crossed with a segment."""

    model_config = ConfigDict(frozen=True)
    rating: Rating
    segment: str | None = None
    events: int  # N_h: events of this stratum in the whole log

    @property
    def key(self) -> str:
        """``down`` or ``down|SEGMENT``."""
        return self.rating if self.segment is None else f"{self.rating}|{self.segment}"


class LogInfo(BaseModel):
    """What ingestion learned about a log (validated, counted, nothing judged yet)."""

    file: str
    format: LogFormat
    rows: int
    rated: int
    unrated: int
    rating_scale: RatingScale
    threshold: float | None = None  # stars: a score >= threshold is ``up``
    column_map: dict[str, str] = Field(default_factory=dict)
    columns: list[str] = Field(default_factory=list)
    stratify_by: str | None = None
    strata: list[Stratum] = Field(default_factory=list)
    #: the lowest-rated outputs: on a stars scale, scores <= this cut (the 10th percentile);
    #: on up/down and signed scales every thumbs-down (ties at the bottom all count)
    bottom_cut: float | None = None

    def count(self, rating: Rating) -> int:
        return sum(s.events for s in self.strata if s.rating == rating)


class SampledEvent(BaseModel):
    """A sampled event with its stratum and design weight N_h / n_h."""

    model_config = ConfigDict(frozen=True)
    event: FeedbackEvent
    stratum: str
    weight: float


class StratumDraw(BaseModel):
    """How many events a stratum has and how many were drawn from it."""

    model_config = ConfigDict(frozen=True)
    key: str
    rating: Rating
    segment: str | None = None
    events: int  # N_h
    drawn: int  # n_h


class Sample(BaseModel):
    """A stratified simple random sample without replacement (seeded)."""

    seed: int
    per_stratum: int
    strata: list[StratumDraw]
    events: list[SampledEvent]

    @property
    def whole_log(self) -> bool:
        """True when every rated event was drawn (estimates are then exact counts)."""
        return all(s.drawn == s.events for s in self.strata)


class Judgment(BaseModel):
    """The judge's decision on one event. ``correct`` is None when unscored, and
    ``unscored_reason`` then says why (a failed call, a refusal, an unreadable reply)."""

    model_config = ConfigDict(frozen=True)
    id: str
    correct: bool | None
    failure_mode: str | None = None
    reason: str = ""
    unscored_reason: str | None = None
    cached: bool = False

    @property
    def scored(self) -> bool:
        return self.correct is not None


class Estimate(BaseModel):
    """A share with its 95% interval and the number of judged (scored) events behind it.
    ``exact`` when it was counted over the whole population (the interval collapses)."""

    model_config = ConfigDict(frozen=True)
    value: float | None
    ci: tuple[float, float]
    n: int
    exact: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "ci": [self.ci[0], self.ci[1]], "n": self.n}


class StratumResult(BaseModel):
    """Per-stratum tallies after judging."""

    model_config = ConfigDict(frozen=True)
    key: str
    rating: Rating | None = None
    segment: str | None = None
    events: int  # N_h
    judged: int  # n_h (drawn)
    scored: int  # m_h
    correct: int  # c_h
    unscored: int

    @property
    def weight(self) -> float | None:
        """N_h / m_h: how many events of the log each scored judgment stands for."""
        return self.events / self.scored if self.scored else None


class GridCell(BaseModel):
    """One cell of the 2x2: the judged events in it and its estimated share of all rated
    events (``estimated_events`` = share x rated events)."""

    sampled: int
    share: Estimate
    estimated_events: float | None


class GridRow(BaseModel):
    """A rating's two cells plus its counts (``unscored`` judged events never enter a cell)."""

    correct: GridCell
    incorrect: GridCell
    events: int
    judged: int
    unscored: int


class VerdictResult(BaseModel):
    verdict: VerdictName
    reason: str
    ship: float
    stop: float


class FailureModeExample(BaseModel):
    id: str
    prompt: str
    response: str
    rating_raw: str | None = None
    correct: bool | None = None
    reason: str = ""
    source: str  # "rule: ...", "judge", "correct (no failure named)", ...


class FailureModeCount(BaseModel):
    label: str
    count: int  # judged events in the bottom set with this label
    share: Estimate  # weighted share of the labelled bottom-set events, with its interval
    examples: list[FailureModeExample] = Field(default_factory=list)


class FailureModes(BaseModel):
    """Labels for the lowest-rated judged outputs."""

    population: str  # which events count as the bottom decile
    judged: int
    unscored: int
    labels: list[FailureModeCount]


class AuditResult(BaseModel):
    """Everything ``audit.json`` and ``report.html`` show."""

    log: LogInfo
    judge: str
    judge_identity: dict[str, Any] = Field(default_factory=dict)
    seed: int
    per_stratum: int
    whole_log: bool
    strata: list[StratumResult]
    grid: dict[str, GridRow]
    unwelcome_correct_share: Estimate
    p_down_given_correct: Estimate
    verdict: VerdictResult
    failure_modes: FailureModes
    unscored_reasons: dict[str, int] = Field(default_factory=dict)
    judgments: list[tuple[SampledEvent, Judgment]] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict)
