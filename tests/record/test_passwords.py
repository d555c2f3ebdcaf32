"""A ``--base-url`` carrying ``user:password@`` is used, and never written: results.json
(target identity, options), report.html and the terminal's cost note show ``user:***@``.
Before, the password was written whole in both files and printed."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.loopback import LoopbackServer, backbone_exe, cli_env, planted_bot, write_suite


def test_a_password_in_the_target_base_url_is_not_written(tmp_path: Path) -> None:
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        url = server.openai_base_url.replace("http://", "http://alice:s3cret-pw@")
        proc = subprocess.run(
            [backbone_exe(), "run", "--target", "openai:m", "--base-url", url,
             "--suite", "suite.yaml", "--out", "out", "--no-cache", "--quiet"],
            cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert server.total > 0  # the server was called through the URL as given
    assert proc.returncode == 0, proc.stderr
    written = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()}
    assert set(written) == {"results.json", "transcripts.jsonl", "report.html"}
    for name, text in {**written, "terminal": proc.stdout + proc.stderr}.items():
        assert "s3cret-pw" not in text, name
    assert "alice:***@127.0.0.1" in written["results.json"]
    assert "no price for openai:m at 127.0.0.1:" in proc.stdout + proc.stderr
