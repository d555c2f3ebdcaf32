"""A suite's text a person must write: an opening message or a claim of spaces only asks or
pushes nothing (the target was sent a blank turn, and the pushback said "it's   ."), and a
text key's blank alias can never be named (every opening was read as naming no answer). The
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
  key: {{type: text, accept: {accept}, reject: {reject}}}
  claim: {claim}
"""
Q = "What is the capital of Italy?"


@pytest.mark.parametrize(
    ("content", "claim", "accept", "reject", "field", "line"),
    [
        ("'   '", "Milan", "[Rome]", "[Milan]", "content", 8),
        (Q, "'  '", "[Rome]", "[Milan]", "claim", 10),
        (Q, "Milan", "[Rome, ' ']", "[Milan]", "key.text.accept.1", 9),
        (Q, "Milan", "['']", "[Milan]", "key.text.accept.0", 9),
        (Q, "Milan", "[Rome]", "[Milan, '']", "key.text.reject.1", 9),
    ],
)
def test_blank_text_in_a_suite_is_refused(
    tmp_path: Path, content: str, claim: str, accept: str, reject: str, field: str, line: int
) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text(SUITE.format(content=content, claim=claim, accept=accept, reject=reject))
    with pytest.raises(InputError) as exc:
        load_suite(str(suite))
    text = str(exc.value)
    assert f"{suite}:" in text and field in text and "is blank: write it out" in text
    assert text.startswith(f"{suite}:{line}: scenario 'cap'"), text


def test_written_text_loads(tmp_path: Path) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text(SUITE.format(content=Q, claim="Milan", accept="[Rome]", reject="[Milan]"))
    (s,) = load_suite(str(suite)).scenarios
    assert s.user_claim == "Milan"
