"""Seeded synthetic series with chosen operational tells on, for the tests and for trying
``backbone tells`` (``backbone synth tells --out DIR --on ticket_shift,...``).

Over ``periods`` periods (weeks by default) it simulates:

* **users** arriving each period (10% power users, who post about four times as often), each
  active until they leave with a fixed hazard per period, posting a Poisson number of events
  per active period; with ``power_user_churn`` on, power users leave four times as fast;
* **thumbs**: each event rated up with a probability whose logit follows an AR(1) noise
  (lag-1 autocorrelation ``phi``, default 0.4, as weekly product series show); with
  ``satisfaction_vs_task`` on, the logit also climbs (+0.08 per period);
* **task metrics** (accuracy, closure_rate, and the lower-is-better dispute_rate): one row per
  metric and day, flat plus AR(1) noise, whatever is on (so a satisfaction climb is not
  explained by them);
* **tickets**: a Poisson number per period, the share of vague + agreed_then_burned following
  AR(1) noise around 30%, climbing with ``ticket_shift`` on; categories are written in varied
  words ("The AI was wrong", "unclear", "agreed with me and I got burned", "billing") so the
  synonym map is exercised;
* **evals**: two releases per period; internal (0–100) and external (0–1) scores share a real
  slow improvement with the same signal-to-noise ratio, so their standardized gap is flat;
  with ``eval_divergence`` on, the internal score gains an extra climb of its own.

Everything else is pure noise. The same seed gives the same files.

Example:
    >>> sim = simulate(on={"ticket_shift"}, periods=12, seed=3)
    >>> len(sim.ticket_counts), sim.users[0].first
    (12, 0)
    >>> paths = write_tell_series(tmp_dir, on={"ticket_shift"}, seed=3)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from backbone.audit.tells.feedback import LogSeries, UserActivity
from backbone.audit.tells.model import Measured
from backbone.audit.tells.periods import PeriodAxis
from backbone.audit.tells.trend import TrendTestName

TELLS = ("satisfaction_vs_task", "power_user_churn", "ticket_shift", "eval_divergence")
START = dt.date(2026, 1, 5)  # a Monday
RELEASES_PER_PERIOD = 2
_STEP = {"day": 1, "week": 7}
METRICS = {"accuracy": (0.78, 0.01), "closure_rate": (0.60, 0.02), "dispute_rate": (0.08, 0.005)}
WORDS = {
    "wrong": ("wrong", "The AI was wrong", "incorrect"),
    "vague": ("vague", "unclear", "evasive"),
    "agreed_then_burned": ("agreed with me and I got burned", "sycophantic"),
    "other": ("billing", "login", "feature request"),
}


@dataclass(frozen=True)
class SimUser:
    user: str
    power: bool
    first: int
    events: tuple[int, ...]  # events in each active period, from ``first``

    @property
    def last_active(self) -> int:
        """The last period with an event (or -1)."""
        nz = [i for i, k in enumerate(self.events) if k]
        return self.first + nz[-1] if nz else -1


@dataclass
class SimulatedTells:
    """The simulated series, before any file is written."""

    periods: int
    period: str
    on: frozenset[str]
    users: list[SimUser]
    p_up: np.ndarray  # per period
    task: dict[str, np.ndarray]  # metric -> per day (periods * step values)
    ticket_counts: list[dict[str, int]]
    internal: np.ndarray
    external: np.ndarray
    seed: int
    #: one row per event, in period order: user index, period, rating (0 unrated, 1 up, 2 down)
    events: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), dtype=np.int64))


def ar1(n: int, phi: float, sd: float, rng: np.random.Generator) -> np.ndarray:
    """A stationary AR(1) series of length n with marginal sd ``sd``."""
    e = rng.normal(0.0, sd * np.sqrt(1 - phi**2), size=n)
    x = np.empty(n)
    x[0] = rng.normal(0.0, sd)
    for i in range(1, n):
        x[i] = phi * x[i - 1] + e[i]
    return x


def _expit(x: np.ndarray) -> np.ndarray:
    return np.asarray(1 / (1 + np.exp(-x)), dtype=float)


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def simulate(
    *,
    on: Iterable[str] = (),
    periods: int = 26,
    seed: int = 0,
    period: str = "week",
    phi: float = 0.4,
) -> SimulatedTells:
    """The series for these tells on (the others pure noise)."""
    chosen = frozenset(on)
    unknown = chosen - set(TELLS)
    if unknown:
        raise ValueError(f"unknown tell(s) {sorted(unknown)}: expected {', '.join(TELLS)}")
    if periods < 2:
        raise ValueError("need at least 2 periods")
    rng = np.random.default_rng(seed)
    t = np.arange(periods, dtype=float)
    # users, drawn all at once: arrival period, power, lifetime, posts per active period
    casual_hazard = 0.08
    power_hazard = 0.32 if "power_user_churn" in chosen else casual_hazard
    arrivals = np.concatenate([[200], rng.poisson(30, size=periods - 1)]).astype(np.int64)
    start = np.repeat(np.arange(periods), arrivals)
    power = rng.random(len(start)) < 0.1
    life = rng.geometric(np.where(power, power_hazard, casual_hazard))
    active = np.minimum(life, periods - start)
    owner = np.repeat(np.arange(len(start)), active)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(active) - active, active)
    posts = rng.poisson(np.where(power, 5.0, 1.2)[owner])
    bounds = np.cumsum(active)
    users = [
        SimUser(f"u{k:05d}", bool(power[k]), int(start[k]), tuple(chunk.tolist()))
        for k, chunk in enumerate(np.split(posts, bounds[:-1]))
    ]
    # thumbs
    slope = 0.08 if "satisfaction_vs_task" in chosen else 0.0
    p_up = _expit(_logit(0.62) + slope * t + ar1(periods, phi, 0.12, rng))
    who = np.repeat(owner, posts).astype(np.int64)
    when = np.repeat(start[owner] + offset, posts).astype(np.int64)
    rated = rng.random(len(who)) >= 0.15
    up = rng.random(len(who)) < p_up[when]
    code = np.where(rated, np.where(up, 1, 2), 0)
    order = np.argsort(when, kind="stable")
    events = np.column_stack([who, when, code])[order]
    # task metrics: one value per day
    days = periods * _STEP[period]
    task = {
        m: base + ar1(days, phi, sd, rng) + rng.normal(0, sd / 2, size=days)
        for m, (base, sd) in METRICS.items()
    }
    # tickets
    tslope = 0.1 if "ticket_shift" in chosen else 0.0
    shift = _expit(_logit(0.3) + tslope * t + ar1(periods, phi, 0.15, rng))
    ticket_counts = []
    for i in range(periods):
        n = int(rng.poisson(60)) + 1
        shifted = int(rng.binomial(n, shift[i]))
        vague = int(rng.binomial(shifted, 0.6))
        wrong = int(rng.binomial(n - shifted, 0.7))
        ticket_counts.append(
            {
                "wrong": wrong,
                "vague": vague,
                "agreed_then_burned": shifted - vague,
                "other": n - shifted - wrong,
            }
        )
    # evals: a shared real improvement at the same signal-to-noise ratio, plus the divergence
    releases = RELEASES_PER_PERIOD * periods
    r = np.arange(releases, dtype=float)
    common = 0.015 * r
    internal = 70 + 1.0 * (common + ar1(releases, phi / 2, 1.0, rng))
    external = 0.60 + 0.01 * (common + ar1(releases, phi / 2, 1.0, rng))
    if "eval_divergence" in chosen:
        internal = internal + 0.5 * r
    return SimulatedTells(
        periods=periods,
        period=period,
        on=chosen,
        users=users,
        p_up=p_up,
        task=task,
        ticket_counts=ticket_counts,
        internal=internal,
        external=external,
        seed=seed,
        events=events,
    )


def _stamp(day: dt.date, seconds: float) -> str:
    moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=float(seconds))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _csv(header: list[str], rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def render_files(sim: SimulatedTells) -> dict[str, str]:
    """The four files' text: ``feedback.jsonl``, ``task_metrics.csv``, ``tickets.csv``,
    ``evals.csv``."""
    rng = np.random.default_rng(sim.seed + 1)
    step = _STEP[sim.period]
    span = step * 86400
    offsets = rng.uniform(0, span - 1, size=len(sim.events))
    lines = []
    for n, (who, i, code) in enumerate(sim.events.tolist()):
        user = sim.users[who]
        lines.append(
            json.dumps(
                {
                    "id": f"e{n}",
                    "timestamp": _stamp(START + dt.timedelta(days=step * i), offsets[n]),
                    "user_id": user.user,
                    "power_user": user.power,
                    "prompt": f"question {n}?",
                    "response": f"answer {n}.",
                    "rating": ("", "up", "down")[code],
                }
            )
        )
    task_rows = []
    for d in range(sim.periods * step):
        day = START + dt.timedelta(days=d)
        for m, values in sim.task.items():
            task_rows.append([_stamp(day, 43200), m, f"{values[d]:.5f}"])
    ticket_rows = []
    for i, counts in enumerate(sim.ticket_counts):
        day = START + dt.timedelta(days=step * i)
        for bucket, k in counts.items():
            for _ in range(k):
                word = WORDS[bucket][int(rng.integers(len(WORDS[bucket])))]
                ticket_rows.append([_stamp(day, rng.uniform(0, span - 1)), word])
    ticket_rows.sort()
    every = step * 86400 / RELEASES_PER_PERIOD
    eval_rows = [
        [f"r{i + 1}", _stamp(START, 3600 + every * i), f"{v_in:.3f}", f"{v_ex:.5f}"]
        for i, (v_in, v_ex) in enumerate(zip(sim.internal, sim.external, strict=True))
    ]
    return {
        "feedback.jsonl": "".join(line + "\n" for line in lines),
        "task_metrics.csv": _csv(["timestamp", "metric", "value"], task_rows),
        "tickets.csv": _csv(["timestamp", "category"], ticket_rows),
        "evals.csv": _csv(["release", "timestamp", "internal", "external"], eval_rows),
    }


def write_tell_series(
    out_dir: str | Path,
    *,
    on: Iterable[str] = (),
    periods: int = 26,
    seed: int = 0,
    period: str = "week",
) -> dict[str, Path]:
    """Simulate and write the four files into ``out_dir``; returns their paths by name."""
    from backbone.core.atomic import write_files_atomic

    sim = simulate(on=on, periods=periods, seed=seed, period=period)
    out = Path(out_dir)
    files = render_files(sim)
    write_files_atomic({out / name: text for name, text in files.items()})  # all four, or none
    return {name: out / name for name in files}


@dataclass
class SimInputs:
    """The simulated series in the shapes the tells read from files (no file written)."""

    log: LogSeries
    task_rows: list[dict[str, object]]
    ticket_rows: list[dict[str, object]]
    eval_rows: list[dict[str, object]]


def sim_inputs(sim: SimulatedTells) -> SimInputs:
    """What reading the files of ``sim`` gives, built directly (for fast many-seed checks)."""
    from backbone.audit.tells.feedback import LogSeries

    step = _STEP[sim.period]
    axis = PeriodAxis(START, "week" if sim.period == "week" else "day", sim.periods)
    counts = [
        np.bincount(sim.events[sim.events[:, 2] == c, 1], minlength=sim.periods).tolist()
        for c in (1, 2, 0)
    ]
    up, down, unrated = counts
    users = [
        UserActivity(
            user=u.user,
            first=u.first + next(i for i, k in enumerate(u.events) if k),
            last=u.last_active,
            events=sum(u.events),
            power=u.power,
        )
        for u in sim.users
        if sum(u.events)
    ]
    log = LogSeries(
        file="(simulated)",
        format="jsonl",
        rows=sum(up) + sum(down) + sum(unrated),
        rating_scale="updown",
        axis=axis,
        up=up,
        down=down,
        unrated=unrated,
        users=users,
        has_user_column=True,
        has_power_column=True,
    )
    days = sim.periods * step
    task_rows: list[dict[str, object]] = [
        {
            "__row": 0,
            "line": 0,
            "timestamp": None,
            "metric": m,
            "value": float(values[d]),
            "period": START + dt.timedelta(days=(d // step) * step),
        }
        for d in range(days)
        for m, values in sim.task.items()
    ]
    ticket_rows: list[dict[str, object]] = [
        {
            "__row": 0,
            "line": 0,
            "timestamp": None,
            "category": bucket,
            "period": START + dt.timedelta(days=step * i),
        }
        for i, counts in enumerate(sim.ticket_counts)
        for bucket, k in counts.items()
        for _ in range(k)
    ]
    every = dt.timedelta(days=step / RELEASES_PER_PERIOD)
    eval_rows: list[dict[str, object]] = [
        {
            "__row": i + 1,
            "line": i + 2,
            "release": f"r{i + 1}",
            "timestamp": dt.datetime.combine(START, dt.time()) + every * i,
            "internal": float(v_in),
            "external": float(v_ex),
        }
        for i, (v_in, v_ex) in enumerate(zip(sim.internal, sim.external, strict=True))
    ]
    return SimInputs(log, task_rows, ticket_rows, eval_rows)


def measured_fast(sim: SimulatedTells, *, alpha: float = 0.05, test: str = "ar1") -> list[Measured]:
    """Each tell's p-value and condition straight from the simulated arrays, with the same
    statistics as ``backbone tells`` (trend test, task index, standardized gap, one-sided
    log-rank) but no evidence, series or curves: for checking false-alarm rates over many
    seeds quickly. Feed the result to :func:`backbone.audit.tells.decide.decide`."""
    from backbone.audit.tells import churn
    from backbone.audit.tells.evals import standardized_gap
    from backbone.audit.tells.satisfaction import task_index
    from backbone.audit.tells.trend import trend_test

    kind: TrendTestName = test  # type: ignore[assignment]
    ev = sim.events
    up = np.bincount(ev[ev[:, 2] == 1, 1], minlength=sim.periods)
    down = np.bincount(ev[ev[:, 2] == 2, 1], minlength=sim.periods)
    sat = trend_test(up / (up + down), test=kind)
    step = _STEP[sim.period]
    per_period = {
        m: v.reshape(sim.periods, step).mean(axis=1).tolist() for m, v in sim.task.items()
    }
    task = trend_test(task_index(per_period), test=kind)
    shifted = np.array([c["vague"] + c["agreed_then_burned"] for c in sim.ticket_counts])
    totals = np.array([sum(c.values()) for c in sim.ticket_counts])
    tickets = trend_test(shifted / totals, test=kind)
    gap = trend_test(standardized_gap(sim.internal, sim.external), test=kind)
    n_users = len(sim.users)
    first = np.full(n_users, sim.periods, dtype=np.int64)
    last = np.full(n_users, -1, dtype=np.int64)
    np.minimum.at(first, ev[:, 0], ev[:, 1])
    np.maximum.at(last, ev[:, 0], ev[:, 1])
    seen = last >= 0
    t = (last - first + 1)[seen].astype(float)
    churned = last[seen] < sim.periods - 1
    power = np.array([u.power for u in sim.users])[seen]
    lr = churn.logrank_one_sided(t, churned, power)
    return [
        Measured(
            name="satisfaction_vs_task",
            available=True,
            p_raw=sat.p_value,
            condition=task.p_value > alpha,
        ),
        Measured(name="power_user_churn", available=True, p_raw=lr["p_value"]),
        Measured(name="ticket_shift", available=True, p_raw=tickets.p_value),
        Measured(name="eval_divergence", available=True, p_raw=gap.p_value),
    ]
