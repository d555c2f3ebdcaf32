"""Batch mode for a run (``evaluate(batch=True)``, ``backbone run --batch``): where the batch
journal lives, and what the run records about its batches.

The journal sits beside whatever keeps the run's replies: next to the response cache
(``$BACKBONE_CACHE_DIR/batches.sqlite``), or with ``--no-cache`` in the run's output
directory (``.backbone/batches.sqlite``, removed with the reply journal once the results are
written). With neither there is nothing to resume from, and no journal.

Example:
    >>> import tempfile, pathlib
    >>> kept = pathlib.Path(tempfile.mkdtemp()) / "responses.sqlite"
    >>> with batch_mode(True, kept, None) as settings:
    ...     settings.journal.path.name
    'batches.sqlite'
    >>> with batch_mode(False, kept, None) as settings:
    ...     settings is None
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backbone.evaluation.stores import JOURNAL_DIR
from backbone.record.costs import BatchUse
from backbone.targets.base import Target
from backbone.targets.batch_journal import FILE, BatchJournal
from backbone.targets.batching import DISCOUNT, BatchingTarget, BatchSettings, batch_client_for
from backbone.targets.cache import database_files
from backbone.targets.prices import PriceTable


def check_batchable(target: Target) -> None:
    """Raise ``TargetSpecError`` unless ``target`` has a provider batch API."""
    batch_client_for(target)  # builds nothing that needs closing: no connection yet


@contextmanager
def batch_mode(
    batch: bool, kept_in: Path | None, on_note: Callable[[str], None] | None
) -> Iterator[BatchSettings | None]:
    """The batch settings of a run (None: not in batch mode), with its journal open."""
    if not batch:
        yield None
        return
    journal = BatchJournal(kept_in.parent / FILE) if kept_in is not None else None
    try:
        yield BatchSettings(journal=journal, on_progress=on_note)
    finally:
        if journal is not None:
            journal.close()


def clear_batch_journal(out: Path) -> None:
    """Remove a run's own batch journal once its results are written (a folder in its place,
    which the run could not use and went on without, is left: it ended the run, its results
    written, with an IsADirectoryError traceback; so is a corrupt journal set aside)."""
    for path in database_files(out / JOURNAL_DIR / FILE):
        if not path.is_dir():
            path.unlink(missing_ok=True)


def batching_in(target: Target) -> BatchingTarget | None:
    """The :class:`BatchingTarget` in a stack (following ``inner``), or None."""
    seen: Any = target
    while seen is not None:
        if isinstance(seen, BatchingTarget):
            return seen
        seen = getattr(seen, "inner", None)
    return None


@dataclass(frozen=True)
class BatchUsed:
    """What a batch run records (``options["batch"]``) and how its parties are priced."""

    recorded: dict[str, Any]
    target: BatchUse
    judges: BatchUse | None


def batches_given_up(stack: Target, judge_stacks: Sequence[Target]) -> list[str]:
    """The batches this run stopped waiting for (every poll failed for an hour): they stay in
    the batch journal, so a run with ``--no-cache`` must leave its journal for the next."""
    found = [batching_in(t) for t in (stack, *judge_stacks)]
    return [i for b in found if b is not None for i in b.stats.given_up]


def batch_use(
    stack: Target, judge_stacks: Sequence[Target], table: PriceTable, spec: str,
    judge_specs: Sequence[str],
) -> BatchUsed:  # fmt: skip
    """Read the batch counters of the target's and the judges' stacks."""
    parties: dict[str, Any] = {}
    target_b = batching_in(stack)
    judge_bs = [b for b in (batching_in(t) for t in judge_stacks) if b is not None]
    for name, found in (("target", [target_b] if target_b else []), ("judges", judge_bs)):
        if not found:
            continue
        parties[name] = {
            "batches": sum(b.stats.batches for b in found),
            "requests": sum(b.stats.batched for b in found),
            "resumed": sum(b.stats.resumed for b in found),
            "rebatched": sum(b.stats.rebatched for b in found),
            "failed": sum(b.stats.failed for b in found),
            "online": sum(b.stats.online for b in found),
            "batch_ids": [i for b in found for i in b.stats.batch_ids],
        }
    target_use = BatchUse(
        table.batch_discount(spec) or DISCOUNT,
        target_b.stats.online_input_tokens if target_b else 0,
        target_b.stats.online_output_tokens if target_b else 0,
    )
    judges_use = None
    if judge_bs:
        judges_use = BatchUse(
            table.batch_discount(judge_specs[0]) or DISCOUNT,
            sum(b.stats.online_input_tokens for b in judge_bs),
            sum(b.stats.online_output_tokens for b in judge_bs),
        )
    return BatchUsed(parties, target_use, judges_use)
