"""Importers: public sycophancy datasets converted into backbone suites.

Each importer reads one public file format and returns a validated :class:`Suite`, raising
:class:`~backbone.core.errors.InputError` (every bad line, with its line number) when
the input is not in that format. Nothing is written here; the CLI writes the suite after a
successful import.
"""

from __future__ import annotations

from backbone.scenarios.importers.are_you_sure import (
    ImportReport,
    import_are_you_sure,
    import_are_you_sure_report,
)

__all__ = ["ImportReport", "import_are_you_sure", "import_are_you_sure_report"]
