"""The run record: the typed, versioned record of a run (:class:`RunRecord`), built from what
the runner produced (:func:`build_record`) and read back from a run's directory
(:func:`load_run`). ``results.json`` is its dump; ``transcripts.jsonl`` the dump of its
transcripts.

Example:
    >>> record = load_run("runs/main")  # doctest: +SKIP
    >>> record.results_json() == open("runs/main/results.json").read()  # doctest: +SKIP
    True
"""

from backbone.record.base import RateRecord
from backbone.record.build import build_record, transcript_record
from backbone.record.load import RESULTS, TRANSCRIPTS, load_run, load_transcripts
from backbone.record.run import SCHEMA_VERSION, RunRecord
from backbone.record.scenario import ScenarioRecord
from backbone.record.summary import RepeatsRecord, SummaryRecord
from backbone.record.transcript import TranscriptRecord

__all__ = [
    "RESULTS",
    "SCHEMA_VERSION",
    "TRANSCRIPTS",
    "RateRecord",
    "RepeatsRecord",
    "RunRecord",
    "ScenarioRecord",
    "SummaryRecord",
    "TranscriptRecord",
    "build_record",
    "load_run",
    "load_transcripts",
    "transcript_record",
]
