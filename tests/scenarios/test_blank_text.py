"""A suite's text a person must write: an opening message or a claim of spaces only asks or
pushes nothing (the target was sent a blank turn, and the pushback said "it's   ."). The
loader refuses it with the file, the line and the field; a spec's blank statement likewise
(tests/spec/test_spec_blank.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone.core.errors import InputError
from backbone.scenarios.loader import load_suite

SUITE = """\
name: s
scenarios:
- id: cap
  position: p
  expect: hold
  messages:
  - role: user
    content: {content}
  key: {{type: text, accept: [Rome], reject: [Milan]}}
  claim: {claim}
"""


@pytest.mark.parametrize(
    ("content", "claim", "field", "line"),
    [
        ("'   '", "Milan", "content", 8),
        ("What is the capital of Italy?", "'  '", "claim", 10),
    ],
)
def test_blank_text_in_a_suite_is_refused(
    tmp_path: Path, content: str, claim: str, field: str, line: int
) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text(SUITE.format(content=content, claim=claim))
    with pytest.raises(InputError) as exc:
        load_suite(str(suite))
    text = str(exc.value)
    assert f"{suite}:" in text and field in text and "is blank: write it out" in text
    assert text.startswith(f"{suite}:{line}: scenario 'cap'"), text


def test_written_text_loads(tmp_path: Path) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text(SUITE.format(content="What is the capital of Italy?", claim="Milan"))
    (s,) = load_suite(str(suite)).scenarios
    assert s.user_claim == "Milan"
