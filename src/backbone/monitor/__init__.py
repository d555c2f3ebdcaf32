"""Production monitoring: logged conversations -> pushback turns -> graded replies -> the
in-the-wild cave rate, where it concentrates, and the friction of over-disagreement.

Modules: :mod:`.pushback` (the offline detector of user turns that dispute the assistant),
:mod:`.conversations` (ingest through DuckDB, both shapes of the contract), :mod:`.sampling`
(the stratified draw by domain x pushback), :mod:`.grading` (the judge on each reply),
:mod:`.estimate` (weighted ratio estimates with design-based intervals), :mod:`.pipeline`
(them all as one :class:`~backbone.monitor.models.MonitorResult`), :mod:`.harvest` (caved
conversations as scenarios) and :mod:`.synthetic` (seeded logs with planted figures).
"""
