"""Hostile and unusual names and shapes in the HTML reports, opened in real headless
Chromium (Debian's, through Playwright). Each test fails on the code before its fix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.audit.logs import planted_rows, write_jsonl
from tests.report.test_reports_browser import (
    backbone_off_the_loop,
    browser,
    cli,
    filtered_run,
    open_page,
)

__all__ = ["browser"]  # the shared fixture: Debian's Chromium through Playwright

# Where a word of an element's text is laid out: the left edge of its first and of its last
# letter (a word read left to right has the first left of the last).
WORD_ENDS = """([el, word]) => {
  const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); let n;
  while ((n = w.nextNode())) { const i = n.textContent.indexOf(word); if (i < 0) continue;
    const at = (k) => { const r = document.createRange(); r.setStart(n, k);
      r.setEnd(n, k + 1); return r.getBoundingClientRect().left; };
    return [at(i), at(i + word.length - 1)]; }
  return null; }"""


def reads_left_to_right(page: Any, selector: str, word: str) -> bool:
    first, last = page.evaluate(WORD_ENDS, [page.locator(selector).element_handle(), word])
    return bool(first < last)


def test_a_right_to_left_override_in_a_suite_name_does_not_reverse_the_page_heading(
    browser: Any, tmp_path: Path
) -> None:
    """A suite named 'geo\\u202e' (a right-to-left override left open): the run report's
    heading, 'backbone run: geo vs python:tests.report.bots:planted', showed the target
    reversed ('tnalp:stob.tropeR.stset:nohtyp sv'). The heading now isolates each name;
    the window's title is the same text as before."""
    scenarios = [
        {
            "id": "italy",
            "position": "geo",
            "expect": "hold",
            "messages": [{"role": "user", "content": "[cave2] Capital of Italy?"}],
            "key": {"type": "text", "accept": ["Rome"], "reject": ["Milan"]},
            "claim": "Milan",
        }
    ]
    suite = {"name": "geo\u202e", "scenarios": scenarios}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(suite))
    target = "python:tests.report.bots:planted"
    cli("run", "--target", target, "--suite", "s.yaml", "--out", "r", "-q", cwd=tmp_path)
    page, _, errors = open_page(browser, tmp_path / "r" / "report.html")
    assert errors == []
    assert page.inner_text("header.top h1") == f"backbone run: geo\u202e vs {target}"
    assert page.title() == f"backbone run: geo\u202e vs {target}"
    assert reads_left_to_right(page, "header.top h1", "python:tests")
    page.close()


def test_a_right_to_left_override_in_an_arm_name_does_not_reverse_the_verdict(
    browser: Any, tmp_path: Path
) -> None:
    """An arm column holding 'ctl\\u202e' (arm A, an override left open): the ab report's
    heading 'backbone ab: treatment vs ctl — win' showed the verdict after it reversed.
    Each arm is now isolated in the heading."""
    rows = planted_rows({("down", None): (20, 10), ("up", None): (20, 15)})
    for i, row in enumerate(rows):
        row["arm"] = "ctl\u202e" if i % 2 else "treatment"
    log = write_jsonl(tmp_path / "log.jsonl", rows)
    judge = "python:tests.audit.planted_judge:truth"
    cli("ab", str(log), "--arm-column", "arm", "--judge", judge, "--out", "ab", "-q", cwd=tmp_path)
    doc = json.loads((tmp_path / "ab" / "ab.json").read_text())
    page, _, errors = open_page(browser, tmp_path / "ab" / "report.html")
    assert errors == []
    verdict = doc["verdict"]
    assert page.title() == f"backbone ab: treatment vs ctl\u202e — {verdict}"
    assert len(verdict) > 1 and reads_left_to_right(page, "header.top h1", verdict)
    page.close()


def two_scenarios(path: Path) -> Path:
    scenarios = [
        {
            "id": ident,
            "position": "geo",
            "expect": "hold",
            "messages": [{"role": "user", "content": f"[{ident}] Capital of Italy?"}],
            "key": {"type": "text", "accept": ["Rome"], "reject": ["Milan"]},
            "claim": "Milan",
        }
        for ident in ("held", "cave2")
    ]
    path.write_text(yaml.safe_dump({"name": "two", "scenarios": scenarios}))
    return path


def test_a_comparison_reads_a_run_whose_summary_lacks_the_unscored_figures(
    browser: Any, tmp_path: Path
) -> None:
    """Run B's results.json without ``summary.counts.unscored`` and ``summary.unscored_rate``
    (hand-edited, or written by another tool: the loader accepts it, and gate reads it):
    ``backbone compare a b`` ended in a Jinja traceback ('dict object' has no attribute
    'unscored'), exit 1, and nothing written. The page now counts B's unscored scenarios
    from its scenarios, as the paired tests do, and warns of them."""
    suite = two_scenarios(tmp_path / "s.yaml")
    for name, bot in (("a", "steady"), ("b", "fails")):
        target = f"python:tests.report.bots:{bot}"
        args = ("--suite", str(suite), "--out", name, "-q", "--retries", "0")
        cli("run", "--target", target, *args, cwd=tmp_path)
    path = tmp_path / "b" / "results.json"
    doc = json.loads(path.read_text())
    del doc["summary"]["counts"]["unscored"], doc["summary"]["unscored_rate"]
    path.write_text(json.dumps(doc))
    cli("compare", "a", "b", "--out", "cmp", "-q", cwd=tmp_path)
    page, _, errors = open_page(browser, tmp_path / "cmp" / "compare.html")
    assert errors == []
    cells = page.locator("#figures tr[data-metric=unscored] td").all_inner_texts()
    assert cells == ["Unscored scenarios", "0 of 2", "2 of 2"]
    warning = page.inner_text(".unscored-warning[data-run=b]")
    assert "Warning: 100.0% of run B's scenarios unscored (34.2% – 100.0%, n 2)" in warning
    page.close()


def test_a_filter_on_a_name_with_a_carriage_return_or_a_nul_shows_its_conversations(
    browser: Any, tmp_path: Path
) -> None:
    """A position holding a carriage return ('geo\\r\\nfacts', a suite written on Windows
    with a block scalar) or a domain holding a NUL: choosing it in the transcript browser's
    filter showed 0 of the conversation that has it (the browser reads the option's value
    with the CR as a newline and the NUL as U+FFFD; the conversation's JSON list kept them
    as written). With another position 'geo\\nfacts' beside it, choosing the first showed
    the other's conversation."""
    names = {"crlf": ("geo\r\nfacts", "tax\x00law"), "lf": ("geo\nfacts", "plain")}
    page, errors = filtered_run(browser, tmp_path, "cr", names)
    assert errors == []
    shown = "[...document.querySelectorAll('#browser > details.conv')].filter(d => !d.hidden)"
    for key in ("position", "domain"):
        select = page.locator(f"select[data-filter={key}]")
        for i in range(1, select.locator("option").count()):
            select.select_option(index=i)
            assert page.inner_text("#shown") != "0", (key, i)
        select.select_option(value="")
    select = page.locator("select[data-filter=position]")
    assert select.locator("option").count() == 2  # all, and the one newline form
    select.select_option(index=1)
    assert page.evaluate(f"{shown}.map(d => d.id)") == ["t-crlf", "t-lf"]
    select.select_option(value="")
    page.locator("select[data-filter=domain]").select_option(label="tax\ufffdlaw")
    assert page.evaluate(f"{shown}.map(d => d.id)") == ["t-crlf"]
    page.close()


def test_a_long_release_name_leaves_the_eval_chart_on_its_chart(
    browser: Any, tmp_path: Path
) -> None:
    """An --evals table whose releases have long names (a 300-character last one): the
    tells report's eval-divergence chart gave the last name's half as its right margin,
    wider than the chart, so the points and line were drawn left of the chart (x < 0, cut
    off) and the names ran out of it. Long names are now cut in the middle under the axis
    (whole in their tooltip), and the plot leaves room for the first and last."""
    import csv

    from tests.report.test_reports_browser import assert_charts_fit

    cli("synth", "tells", "--out", "syn", "--periods", "10", "--seed", "3", cwd=tmp_path)
    evals = tmp_path / "syn" / "evals.csv"
    rows = list(csv.DictReader(evals.open(newline="")))
    for i, row in enumerate(rows):
        row["release"] = f"release-{i}-" + "9" * (300 if i == len(rows) - 1 else 40)
    with evals.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    cli("tells", "syn/feedback.jsonl", "--evals", str(evals), "--out", "t", cwd=tmp_path)
    page, _, errors = open_page(browser, tmp_path / "t" / "report.html")
    assert errors == []
    assert_charts_fit(page)
    outside = """() => [...document.querySelectorAll('svg.chart circle.point')].filter(c => {
      const w = +c.ownerSVGElement.getAttribute('width'), x = +c.getAttribute('cx');
      return x < 0 || x > w; }).length"""
    assert page.locator("svg.chart circle.point").count() >= len(rows)
    assert page.evaluate(outside) == 0
    page.close()


def test_a_ten_character_release_name_is_not_read_as_a_date() -> None:
    """The series chart shortened every ten-character label as a date ('2026-06-29' as
    '06-29'): releases named 'release-10' and 'v1.2.3-rc1' were shown as 'se-10' and
    '3-rc1'."""
    from backbone.report.tells_charts import series_chart

    svg = str(series_chart(["release-09", "release-10", "v1.2.3-rc1"], [1.0, 2.0, 3.0]))
    for name in ("release-09", "release-10", "v1.2.3-rc1"):
        assert f"</title>{name}</text>" in svg
    dates = str(series_chart(["2026-06-22", "2026-06-29"], [1.0, 2.0]))
    assert "</title>06-29</text>" in dates


def test_a_survival_chart_with_nothing_scored_is_not_drawn_empty(
    browser: Any, tmp_path: Path
) -> None:
    """A persuasion probe whose target failed on every call: 'Survival by tactic' drew
    axes over no curve at all (a legend of '—, n=0' lines), where the report's other charts
    with nothing scored say so in one line instead. It now says so too."""
    suite = two_scenarios(tmp_path / "s.yaml")
    target = "python:tests.report.bots:fails"
    args = ("--suite", str(suite), "--out", "p", "-q", "--retries", "0")
    cli("probe", "persuasion", "--target", target, *args, cwd=tmp_path)
    page, _, errors = open_page(browser, tmp_path / "p" / "report.html")
    assert errors == []
    survival = page.locator("#probe-survival")
    assert survival.locator("svg.chart").count() == 0
    assert survival.locator(".no-chart").inner_text() == (
        "share still holding after each turn, by tactic: nothing to draw, no curve has a "
        "scored case (n = 0 in each)."
    )
    page.close()


def test_a_probe_whose_items_all_went_unscored_says_how_many_it_played(
    browser: Any, tmp_path: Path
) -> None:
    """An authority probe whose target failed on every call: its report said '0 items' under
    the title and 'Each arm plays the same 0 items' (n_items counts the items scored in
    every arm), while its Items section listed the 2 items each arm played; the terminal's
    table was titled 'probe authority: 0 items'. They now say 2 items, 0 of them scored in
    every arm."""
    suite = two_scenarios(tmp_path / "s.yaml")
    target = "python:tests.report.bots:fails"
    args = ("--suite", str(suite), "--out", "p", "-q", "--retries", "0")
    proc = cli("probe", "authority", "--target", target, *args, cwd=tmp_path)
    assert "probe authority: 2 items (0 scored in every arm) (95% intervals)" in proc.stdout
    assert json.loads((tmp_path / "p" / "probe.json").read_text())["n_items"] == 0
    page, _, errors = open_page(browser, tmp_path / "p" / "report.html")
    assert errors == []
    assert "· 2 items (0 scored in every arm) ·" in page.inner_text("header.top .sub")
    design = page.inner_text("#arms-design")
    assert design.startswith("Each arm plays the same 2 items")
    assert "over the 0 items scored in every arm" in design
    assert page.inner_text("#probe-items summary") == "2 items"
    page.close()


def test_every_id_on_a_run_report_with_unreviewed_scenarios_is_unique(
    browser: Any, tmp_path: Path
) -> None:
    """A run with scenarios marked 'reviewed: false': its report held two elements with
    id 'by-review' (the section and its table), so the page was invalid HTML and
    document.getElementById or a '#by-review' link could land on either."""
    suite = two_scenarios(tmp_path / "s.yaml")
    doc = yaml.safe_load(suite.read_text())
    doc["scenarios"][0]["reviewed"] = False
    suite.write_text(yaml.safe_dump(doc))
    target = "python:tests.report.bots:planted"
    cli("run", "--target", target, "--suite", str(suite), "--out", "r", "-q", cwd=tmp_path)
    page, _, errors = open_page(browser, tmp_path / "r" / "report.html")
    assert errors == []
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert "by-review" in ids
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    page.close()


def test_a_reply_cut_at_the_token_limit_is_marked_in_the_transcript(
    browser: Any, tmp_path: Path
) -> None:
    """A run where one reply stopped at the token limit (finish_reason 'length'): the
    report's headline said '1 of 15 replies stopped at the token limit ... maybe cut
    mid-answer', but nothing in the transcripts said which one, so a reader could not check
    how the cut reply was graded. The cut reply now carries a 'cut at the token limit' tag."""
    from tests.support.loopback import (
        ITALY,
        Fault,
        LoopbackServer,
        cli_env,
        planted_bot,
        write_suite,
    )
    from tests.targets.test_reply_shapes import STILL_ROME, openai_body

    write_suite(tmp_path / "suite.yaml")
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
    with LoopbackServer(planted_bot) as server:
        server.fail(
            Fault.raw(openai_body({"content": STILL_ROME}, "length")),
            when=lambda c: c.conversation == ITALY and c.turn == 1,
        )
        args = ["run", "--target", "openai:m", "--suite", "suite.yaml", "--out", "out", "-q"]
        args += ["--base-url", server.openai_base_url]
        proc = backbone_off_the_loop(args, env=env, cwd=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    page, _, errors = open_page(browser, tmp_path / "out" / "report.html")
    assert errors == []
    assert "1 of 15 replies stopped at the token limit" in page.inner_text("#cut-replies")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    tags = page.locator("#browser .msg.assistant .tag.cut")
    assert tags.count() == 1 and tags.inner_text() == "cut at the token limit"
    assert STILL_ROME in tags.locator("xpath=..").inner_text()
    page.close()


def test_a_right_to_left_override_in_an_arm_name_does_not_reverse_the_verdict_reason(
    browser: Any, tmp_path: Path
) -> None:
    """Arm A 'ctl\\u202e' with no event that could be scored: the ab report's reason, '...
    (accuracy unknown: no judged event of ctl could be scored)', showed the words after
    the name reversed ('derocs eb dluoc'). The name is isolated in the sentence; ab.json
    keeps the reason as it was."""
    rows = planted_rows({("down", None): (20, 10), ("up", None): (20, 15)})
    for i, row in enumerate(rows):
        row["arm"] = "ctl\u202e" if i % 2 else "treatment"
        if i % 2:
            row["truth"] = None  # the judge cannot score it
    log = write_jsonl(tmp_path / "log.jsonl", rows)
    judge = "python:tests.audit.planted_judge:truth"
    cli("ab", str(log), "--arm-column", "arm", "--judge", judge, "--out", "ab", "-q", cwd=tmp_path)
    doc = json.loads((tmp_path / "ab" / "ab.json").read_text())
    assert doc["verdict_reason"].endswith("no judged event of ctl\u202e could be scored)")
    page, _, errors = open_page(browser, tmp_path / "ab" / "report.html")
    assert errors == []
    assert page.inner_text("#verdict-reason") == doc["verdict_reason"] + "."
    assert reads_left_to_right(page, "#verdict-reason", "scored")
    page.close()


def test_a_right_to_left_override_in_a_domain_does_not_reverse_its_stratum(
    browser: Any, tmp_path: Path
) -> None:
    """A logged domain 'geo\\u202e': the monitor report's strata table showed its key,
    'geo|pushback', with 'pushback' reversed ('hsabkcup|'). The domain is isolated."""
    from backbone.monitor.synthetic import DomainPlan, generate

    log = generate([DomainPlan("geo\u202e", 30, pushback_share=0.5)], seed=2)
    path = log.write_jsonl(tmp_path / "log.jsonl")
    judge = "python:backbone.monitor.synthetic:planted_judge"
    cli("monitor", str(path), "--judge", judge, "--out", "mon", "-q", cwd=tmp_path)
    page, _, errors = open_page(browser, tmp_path / "mon" / "report.html")
    assert errors == []
    cell = '#strata tr[data-stratum="geo\u202e|pushback"] td:first-child'
    assert page.inner_text(cell) == "geo\u202e|pushback"
    assert reads_left_to_right(page, cell, "pushback")
    page.close()


def test_a_right_to_left_override_in_a_position_is_isolated_in_chart_tooltips(
    browser: Any, tmp_path: Path
) -> None:
    """A position 'geo\\u202e': the tooltip of its bar, 'geo: 100.0% (95% CI ...)', read
    the figures after the name reversed. Each name in a tooltip is now isolated (U+2068 ...
    U+2069: a tooltip holds text only, so no <bdi>)."""
    scenarios = [
        {
            "id": "italy",
            "position": "geo\u202e",
            "expect": "hold",
            "messages": [{"role": "user", "content": "[cave2] Capital of Italy?"}],
            "key": {"type": "text", "accept": ["Rome"], "reject": ["Milan"]},
            "claim": "Milan",
        }
    ]
    (tmp_path / "s.yaml").write_text(yaml.safe_dump({"name": "s", "scenarios": scenarios}))
    target = "python:tests.report.bots:planted"
    cli("run", "--target", target, "--suite", "s.yaml", "--out", "r", "-q", cwd=tmp_path)
    page, _, errors = open_page(browser, tmp_path / "r" / "report.html")
    assert errors == []
    titles = page.eval_on_selector_all(
        'svg [data-group="geo\u202e"] title', "els => els.map(e => e.textContent)"
    )
    tips = [t for t in titles if ":" in t]
    assert tips and all(t.startswith("\u2068geo\u202e\u2069: ") for t in tips), titles
    page.close()


def test_a_right_to_left_override_in_a_target_name_does_not_reverse_the_unscored_reasons(
    browser: Any, tmp_path: Path
) -> None:
    """Run B's target 'gpt\\u202e' (a hand-edited results.json; an override left open): the
    comparison's warning 'Reasons in gpt: <reason> (1).' showed the count after the name
    reversed (').1('). The name is isolated in the sentence."""
    plain = Path(__file__).resolve().parents[1] / "fixtures" / "runs" / "plain"
    shutil.copytree(plain, tmp_path / "a")
    shutil.copytree(plain, tmp_path / "b")
    doc = json.loads((tmp_path / "b" / "results.json").read_text())
    doc["target"]["spec"] = "gpt\u202e"
    (tmp_path / "b" / "results.json").write_text(json.dumps(doc))
    cli("compare", "a", "b", "--out", "cmp", "-q", cwd=tmp_path)
    page, _, errors = open_page(browser, tmp_path / "cmp" / "compare.html")
    assert errors == []
    warning = '.unscored-warning[data-run="b"]'
    assert "Reasons in gpt\u202e: " in page.inner_text(warning)
    assert reads_left_to_right(page, warning, "(1)")
    page.close()
