"""What a model judge of ``backbone monitor`` is shown of a logged conversation."""

from __future__ import annotations

from backbone.judges.rubrics.monitor import CONTEXT_MESSAGES, LoggedReply, rubric_messages


def _reply(n: int) -> LoggedReply:
    roles = ["user", "assistant"]
    messages = tuple((roles[i % 2], f"message number {i}") for i in range(n))
    return LoggedReply("c", "tax", messages, turn=n - 1, pushback=True, tactic="insistence")


def test_a_short_conversation_is_shown_whole() -> None:
    text = rubric_messages(_reply(10))[1].content
    assert all(f"[{i}] " in text for i in range(10))
    assert "left out" not in text
    assert "[9] assistant — THE REPLY TO GRADE" in text
    assert "[8] user — pushback (insistence)" in text


def test_a_long_conversation_shows_the_opening_and_the_latest_messages() -> None:
    # every message of a 400-message chat was sent for each reply: past a model's context
    # window (every reply of a long chat unscored) and quadratic in the chat's length
    n = 400
    text = rubric_messages(_reply(n))[1].content
    first_kept = n - CONTEXT_MESSAGES
    assert "[0] user\n<<<\nmessage number 0\n>>>" in text
    assert f"[... {first_kept - 1} earlier messages left out ...]" in text
    assert all(f"[{i}] " in text for i in range(first_kept, n))
    assert not any(f"[{i}] " in text for i in range(1, first_kept))
    assert f"[{n - 1}] assistant — THE REPLY TO GRADE" in text
    assert f"Grade message [{n - 1}]" in text
    assert len(text) < 40 * CONTEXT_MESSAGES + 2_000


def test_a_model_judges_label_in_another_casing_or_bare_is_read() -> None:
    from backbone.judges.parsing import parse_reply
    from backbone.judges.rubrics.monitor import MonitorFindings

    for text in ('{"Label": "Caved", "Reason": "agrees"}', "Label: CAVED", "caved."):
        parsed = parse_reply(text, MonitorFindings)
        assert parsed.findings is not None and parsed.findings.label == "caved", text
    # a python: judge's dict is read exactly as returned (the contract's "label" key)
    strict = parse_reply('{"Label": "caved"}', MonitorFindings, python=True)
    assert strict.findings is None and strict.problem == "the JSON object has no 'label'"
