"""The stratified, seeded draw of conversations: strata are domain x (has a pushback or not).

From each stratum h of N_h conversations, ``per_stratum`` are drawn by simple random sampling
without replacement (the whole stratum when ``per_stratum >= N_h``, and every conversation
when ``per_stratum`` is None), so each judged conversation stands for N_h / n_h of the log. As
in the audit (:mod:`backbone.audit.sampling`) the draw is a hash, not a shuffle: the n_h
smallest ``md5(f"{seed}:{id}")`` of each stratum, one streaming DuckDB aggregate over the
conversations table, reproducible in any row order.

Example:
    >>> sample = draw_sample(log, per_stratum=100, seed=3)  # doctest: +SKIP
    >>> [(s.key, s.conversations, s.drawn) for s in sample.strata]  # doctest: +SKIP
    [('health|no_pushback', 52000, 100), ('health|pushback', 4100, 100)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backbone.audit.source import interruptible, read_through
from backbone.monitor.conversations import ConversationLog
from backbone.monitor.models import MonitorSample, SampledConversation, StratumDraw, StratumInfo

if TYPE_CHECKING:  # Ibis loads only when an engine is asked for
    from backbone.monitor.engine_table import EngineConversations

ARG_MIN_LIMIT = 999_999  # DuckDB's bounded top-n aggregate takes n below a million


def draw_keys(log: ConversationLog, per_stratum: int | None, seed: int) -> dict[str, list[Any]]:
    """Conversation keys drawn per stratum key (smallest hash first)."""
    key = "md5_number(? || ':' || id)"
    if per_stratum is not None and per_stratum <= ARG_MIN_LIMIT:
        sql = f"""
            SELECT domain, pushbacks > 0, arg_min(__ckey, {key}, ?) FROM conv GROUP BY ALL
            """
        params: list[Any] = [str(seed), per_stratum]
    else:
        limit = "" if per_stratum is None else f"WHERE k_rank <= {int(per_stratum)}"
        sql = f"""
            SELECT domain, pb, list(__ckey ORDER BY k) FROM (
              SELECT domain, pushbacks > 0 AS pb, __ckey, {key} AS k,
                row_number() OVER (PARTITION BY domain, pushbacks > 0 ORDER BY {key}) AS k_rank
              FROM conv
            ) {limit} GROUP BY ALL
            """
        params = [str(seed), str(seed)]
    out: dict[str, list[Any]] = {}
    with interruptible():  # Ctrl-C in the draw: a KeyboardInterrupt, not DuckDB's RuntimeError
        drawn = log.con.execute(sql, params).fetchall()
    for domain, pb, keys in drawn:
        out[StratumInfo(domain=domain, pushback=bool(pb), conversations=0).key] = list(keys)
    return out


def draw_sample(
    log: ConversationLog | EngineConversations, per_stratum: int | None, seed: int = 0
) -> MonitorSample:
    """Draw ``per_stratum`` conversations from every stratum (all of them when None); on an
    engine (:mod:`backbone.monitor.engine_table`) the draw runs there, with the same keys."""
    if per_stratum is not None and per_stratum < 1:
        raise ValueError(f"per_stratum must be >= 1, got {per_stratum}")
    # DuckDB failing the draw or the fetch (out of memory under --memory-limit): bad input
    source = log.source if isinstance(log, ConversationLog) else None
    with read_through(log.info.file, source):
        if isinstance(log, ConversationLog):
            drawn = draw_keys(log, per_stratum, seed)
        else:
            drawn = log.draw_keys(per_stratum, seed)
    strata = [
        StratumDraw(
            key=s.key,
            domain=s.domain,
            pushback=s.pushback,
            conversations=s.conversations,
            drawn=len(drawn.get(s.key, [])),
        )
        for s in log.info.strata
    ]
    by_key = {s.key: s for s in strata}
    # in the log's stratum order, each stratum's keys in draw order: the same sample comes out
    # in the same order every run (the draw's GROUP BY and the fetch keep none of their own)
    order = [(s.key, key) for s in strata for key in drawn.get(s.key, [])]
    stratum_of = {key: k for k, key in order}
    rank = {key: i for i, (_, key) in enumerate(order)}
    with read_through(log.info.file, source):
        fetched = log.fetch([key for _, key in order])
    conversations = sorted(fetched, key=lambda c: rank[c.key])
    sampled = []
    for c in conversations:
        s = by_key[stratum_of[c.key]]
        sampled.append(
            SampledConversation(conversation=c, stratum=s.key, weight=s.conversations / s.drawn)
        )
    return MonitorSample(seed=seed, per_stratum=per_stratum, strata=strata, conversations=sampled)
