"""A log saved as UTF-16 (Excel's "Unicode text", PowerShell's default) is named once as
UTF-16, not line by line as "not valid JSON" or as a CSV of one garbled column."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from backbone.audit.feedback_log import open_log
from backbone.core.errors import InputError
from backbone.monitor.conversations import open_conversations

ROWS = [{"id": str(i), "prompt": "p", "response": "r", "rating": "up"} for i in range(3)]
UTF16 = "the file is UTF-16 text: save it as UTF-8 (JSONL and CSV are read so)"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_jsonl_log_is_named_once(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding=encoding)
    with pytest.raises(InputError) as exc:
        open_log(path)
    assert [(p.file, p.line, p.message) for p in exc.value.problems] == [(str(path), None, UTF16)]


def test_a_utf16_csv_or_gzipped_log_is_named_too(tmp_path: Path) -> None:
    csv = tmp_path / "log.csv"
    csv.write_text("id,prompt,response,rating\n1,p,r,up\n", encoding="utf-16")
    with pytest.raises(InputError, match="UTF-16"):
        open_log(csv)
    packed = tmp_path / "chats.jsonl.gz"
    convo = {"id": "a", "messages": [{"role": "user", "content": "q"}]}
    packed.write_bytes(gzip.compress((json.dumps(convo) + "\n").encode("utf-16-le")))
    with pytest.raises(InputError, match="UTF-16"):
        open_conversations(packed)


def test_utf8_with_a_byte_order_mark_and_short_files_still_read(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8-sig")
    with open_log(path) as log:
        assert log.info.rows == 3
    tiny = tmp_path / "tiny.jsonl"
    tiny.write_text("{}")  # under four bytes of head: no UTF-16 guess, the reader's own error
    with pytest.raises(InputError) as exc:
        open_log(tiny)
    assert "UTF-16" not in str(exc.value.problems)
