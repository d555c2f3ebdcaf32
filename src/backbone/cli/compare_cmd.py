"""``backbone compare RUN_A RUN_B [--out DIR]``: run B against run A (its baseline), paired by
scenario id. Writes ``DIR/compare.json``, ``DIR/compare.md`` and ``DIR/compare.html`` and prints
the table.

Example:
    $ backbone compare runs/main runs/pr --out runs/compare
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backbone.cli.console import console
from backbone.cli.errors import bad_input_exits, fail, held_out_dir
from backbone.report.escape import terminal

if TYPE_CHECKING:
    from backbone.record import RunRecord

COMPARE_JSON = "compare.json"
COMPARE_MD = "compare.md"
COMPARE_HTML = "compare.html"


def with_transcripts(record: RunRecord, run: Path) -> RunRecord:
    """The record with its transcripts when the run's directory has them (compare.html shows
    the changed conversations; a bare results.json still compares)."""
    from backbone.record import TRANSCRIPTS, load_transcripts

    if run.is_dir() and (run / TRANSCRIPTS).exists():
        record.transcripts = load_transcripts(run / TRANSCRIPTS)
    return record


def other_questions_warning(a: RunRecord, b: RunRecord, run_a: Path, run_b: Path) -> str | None:
    """The warning for two runs whose transcripts open shared scenario ids with another
    question (:func:`backbone.record.paired.asked_otherwise`), or None. Scenarios pair by id,
    as the contract says: a question reworded between two releases of a suite is still the same
    scenario, and another suite reusing the ids is not; only the user can tell, so both are
    compared and the ids are named rather than the pair refused."""
    from backbone.record.paired import asked_otherwise

    ids = asked_otherwise(a, b)
    if not ids:
        return None
    shown = ", ".join(repr(i) for i in ids[:5])
    more = f" and {len(ids) - 5} more" if len(ids) > 5 else ""
    return (
        f"warning: {run_a} and {run_b} open {len(ids)} shared scenario "
        f"id{'' if len(ids) == 1 else 's'} with another question ({shown}{more}): paired by id "
        "all the same; if they are not runs of one suite, these pairs compare unrelated questions"
    )


def register(app: typer.Typer) -> None:
    @app.command()
    def compare(
        run_a: Annotated[
            Path, typer.Argument(metavar="RUN_A", help="Baseline run directory (has results.json).")
        ],
        run_b: Annotated[
            Path, typer.Argument(metavar="RUN_B", help="Run directory to compare against it.")
        ],
        out_dir: Annotated[
            Path,
            typer.Option(
                "--out", "-o", help="Directory for compare.json, compare.md and compare.html."
            ),
        ] = Path("backbone-compare"),
        alpha: Annotated[
            float,
            typer.Option(min=0.0001, max=0.5, help="Significance level of the paired tests."),
        ] = 0.05,
        seed: Annotated[int, typer.Option(min=0, help="Seed of the paired bootstrap.")] = 0,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No table.")] = False,
    ) -> None:
        """Did B cave more (or argue more) than A on the same scenarios? Exact McNemar on the
        discordant pairs, paired bootstrap intervals, verdicts overall and per position,
        tactic and domain."""
        from backbone.core.atomic import write_files_atomic
        from backbone.gate.regressions import unlike_runs
        from backbone.metrics.compare import compare_outcomes
        from backbone.metrics.compare_document import compare_document
        from backbone.record import load_run
        from backbone.record.paired import pair_changes
        from backbone.report.compare_html import render_compare_html
        from backbone.report.compare_json import render_compare_json
        from backbone.report.compare_markdown import render_compare_markdown
        from backbone.report.compare_terminal import print_compare

        with bad_input_exits():
            a = with_transcripts(load_run(run_a), run_a)
            b = with_transcripts(load_run(run_b), run_b)
        names = (COMPARE_HTML, COMPARE_MD, COMPARE_JSON)
        # held until its files are written: a second command on the folder exits 2
        with held_out_dir(out_dir, f"compare {run_a} {run_b}", *names):
            cmp = compare_outcomes(
                a.outcomes, b.outcomes, alpha=alpha, seed=seed, same_pressure=a.same_pressure_as(b)
            )
            if cmp.matched == 0:
                raise fail(f"{run_a} and {run_b} share no scenario id: nothing to compare")
            unlike = unlike_runs(cmp, a, b, str(run_a), str(run_b))
            if unlike is not None:
                raise fail(unlike)
            other_questions = other_questions_warning(a, b, run_a, run_b)
            doc = compare_document(cmp, a.compared_as(str(run_a)), b.compared_as(str(run_b)))
            html = render_compare_html(doc, a, b, pair_changes(doc, a, b))
            with bad_input_exits():
                write_files_atomic(
                    {
                        out_dir / COMPARE_HTML: html,
                        out_dir / COMPARE_MD: render_compare_markdown(doc),
                        out_dir / COMPARE_JSON: render_compare_json(doc),
                    }
                )
        out = console()
        if not quiet:
            print_compare(doc, out)
        if other_questions is not None:
            console(stderr=True).print(other_questions, markup=False, highlight=False)
        over = cmp.overall.over_disagreement
        if cmp.overall.n == 0 and (over is None or over.n == 0):
            # the contract's verdict is then no_change: say it rests on nothing
            left = "; ".join(f"{len(v)} {k.replace('_', ' ')}" for k, v in doc.excluded if v)
            console(stderr=True).print(
                "warning: no scenario is scored in both runs, so nothing was compared and the "
                f"verdict no_change rests on n=0 ({left})",
                markup=False,
                highlight=False,
            )
        shown = (COMPARE_JSON, COMPARE_MD, COMPARE_HTML)
        out.print(f"wrote {', '.join(terminal(str(out_dir / name)) for name in shown)}")
