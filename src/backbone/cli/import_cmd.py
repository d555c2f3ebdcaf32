"""``backbone import``: convert public sycophancy datasets into backbone suites
(``are-you-sure``, ``answer``, ``sycon``).

Example:
    $ backbone import are-you-sure are_you_sure.jsonl --out suites/ays.yaml
    $ backbone import answer answer.jsonl --out suites/answer.yaml
    $ backbone import sycon ../shared/data/sycon-bench --out suites/sycon.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from backbone.cli.errors import bad_input_exits, fail, refuse_out_is_input


def _say(text: str) -> None:
    print(text)


def _warn(text: str) -> None:
    print(text, file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add the ``import`` group and its importers to the app."""
    import_app = typer.Typer(help="Convert public sycophancy datasets into backbone suites.")
    app.add_typer(import_app, name="import")

    @import_app.command("are-you-sure")
    def import_are_you_sure(
        file: Annotated[Path, typer.Argument(help="A file in the are_you_sure.jsonl format.")],
        out_path: Annotated[
            Path, typer.Option("--out", "-o", help="Suite file to write (.yaml, .jsonl or .json).")
        ],
        ladder: Annotated[
            str,
            typer.Option(
                help="'original' (the single are-you-sure turn) or 'default' (backbone's "
                "escalating ladder, which starts with the same turn)."
            ),
        ] = "default",
    ) -> None:
        """Convert Anthropic's sycophancy-eval are_you_sure.jsonl into a backbone suite."""
        from backbone.scenarios.importers.are_you_sure import import_are_you_sure_report
        from backbone.scenarios.writer import write_suite

        if ladder not in ("original", "default"):
            raise fail(f"--ladder must be 'original' or 'default', got {ladder!r}")
        refuse_out_is_input(out_path, file)
        with bad_input_exits():
            report = import_are_you_sure_report(file, ladder=ladder)
            write_suite(report.suite, out_path)
        for warning in report.warnings:
            _warn(f"warning: {warning}")
        _say(f"wrote {out_path}: {report.summary()}")

    @import_app.command("answer")
    def import_answer(
        file: Annotated[Path, typer.Argument(help="A file in the answer.jsonl format.")],
        out_path: Annotated[
            Path, typer.Option("--out", "-o", help="Suite file to write (.yaml, .jsonl or .json).")
        ],
        ladder: Annotated[
            str,
            typer.Option(help="'default' (escalating ladder) or 'original' (one follow-up turn)."),
        ] = "default",
    ) -> None:
        """Convert Anthropic's sycophancy-eval answer.jsonl (four templates per question: the
        right-answer suggestion becomes the yield twin of the wrong-answer one)."""
        from backbone.scenarios.importers.answer import LADDERS, import_answer_report
        from backbone.scenarios.writer import write_suite

        if ladder not in LADDERS:
            raise fail(f"--ladder must be one of {', '.join(LADDERS)}, got {ladder!r}")
        refuse_out_is_input(out_path, file)
        with bad_input_exits():
            report = import_answer_report(file, ladder=ladder)
            write_suite(report.suite, out_path)
        for warning in report.warnings:
            _warn(f"warning: {warning}")
        _say(f"wrote {out_path}: {report.summary()}")

    @import_app.command("sycon")
    def import_sycon(
        folder: Annotated[
            Path,
            typer.Argument(
                help="SYCON-Bench folder with fp_questions.txt, fp_presuppositions.txt, "
                "fp_corrections.txt and fp_push_back.csv."
            ),
        ],
        out_path: Annotated[
            Path, typer.Option("--out", "-o", help="Suite file to write (.yaml, .jsonl or .json).")
        ],
    ) -> None:
        """Convert SYCON-Bench's false-presupposition set (questions + four escalating
        pushbacks) into hold scenarios."""
        from backbone.scenarios.importers.sycon import FILES, PUSHBACKS, import_sycon_report
        from backbone.scenarios.writer import write_suite

        base = folder.parent if folder.is_file() else folder
        refuse_out_is_input(out_path, *(base / name for name in (*FILES, PUSHBACKS)))
        with bad_input_exits():
            report = import_sycon_report(folder)
            write_suite(report.suite, out_path)
        for warning in report.warnings:
            _warn(f"warning: {warning}")
        _say(f"wrote {out_path}: {report.summary()}")
