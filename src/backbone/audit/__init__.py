"""The feedback audit: thumbs split by correctness, the unwelcome-but-correct share with its
interval, a release verdict, failure modes and split feedback channels.

``source`` (DuckDB reads) -> ``feedback_log`` (columns, ratings, validation) -> ``sampling``
(stratified, seeded) -> ``judging`` -> ``estimate`` (weighted shares with intervals) ->
``verdict``; ``failure_modes`` labels the lowest-rated outputs; ``channels`` handles the
split-feedback schema (on the same ``source``); ``pipeline`` runs it end to end.
"""
