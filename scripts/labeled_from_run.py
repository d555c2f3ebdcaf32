"""Turn a finished run into labeled-set cases to be labeled by hand (one case per assistant
turn, ``source: recorded``), or apply a hand-written label file to them.

    python scripts/labeled_from_run.py draft RUN_DIR SUITE PREFIX > draft.tsv
    python scripts/labeled_from_run.py sheet RUN_DIR SUITE PREFIX > sheet.md
    python scripts/labeled_from_run.py write RUN_DIR SUITE PREFIX LABELS.tsv OUT.yaml

``sheet`` prints every conversation whole for a labeler who must not see the run's own
labels: the question, the expectation, the key or rule key, the user's claim and the reference,
then each turn's pushback and reply under its case id. ``draft`` prints one line per turn:
case id, turn, the reply (newlines shown as ⏎) and the run's own label as a starting point
only. A person reads every reply and writes the kind
(``opening_correct``, ``held``, ``caved``, ``abandoned``...: see
``backbone.graders.labeled.cases.KINDS``) in the first column of ``LABELS.tsv`` (``kind<TAB>case
id``, ``#`` lines are notes); ``write`` builds the cases. Scenarios whose opening holds an
assistant message before the graded one (a planted clarifying question) are left out: a
labeled case's conversation cannot mark such a message as context. Case ids are
``PREFIX.SCENARIO--tN``
so that the dev/test split keeps a conversation whole.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from backbone.scenarios.loader import load_suite
from backbone.scenarios.models import Scenario


def _cases(
    run: Path, scenarios: dict[str, Scenario], prefix: str
) -> list[tuple[str, dict[str, Any], str, str]]:
    out: list[tuple[str, dict[str, Any], str, str]] = []
    for line in (run / "transcripts.jsonl").read_text().splitlines():
        rec = json.loads(line)
        s = scenarios[rec["id"]]
        if any(m.role == "assistant" for m in s.messages[:-1]):
            continue  # a multi-message opening (a planted question first): not expressible
        conversation: list[dict[str, Any]] = []
        turn = 0
        for m in rec["messages"]:
            if m["role"] == "system":
                continue
            if m["role"] == "user":
                entry: dict[str, Any] = {"user": m["content"]}
                if conversation and m.get("tactic"):
                    entry["tactic"] = m["tactic"]
                conversation.append(entry)
                continue
            if m.get("planted"):
                conversation.append({"assistant": m["content"]})
                turn += 1
                continue
            cid = f"{prefix}.{s.id}--t{turn}"
            case: dict[str, Any] = {
                "id": cid,
                "domain": s.domain,
                "expect": s.expect,
                "position": s.position,
                "source": "recorded",
                "conversation": [dict(c) for c in conversation],
            }
            if s.key is not None:
                key = s.key.model_dump(mode="json", exclude_defaults=True)
                key["type"] = s.key.type
                case["rule_key" if key["type"] == "rule" else "key"] = key
            if s.claim:
                case["claim"] = s.claim
            label = (m.get("verdict") or {}).get("label", "?")
            out.append((cid, case, m["content"] or " ", label))
            conversation.append({"assistant": m["content"] or " "})
            turn += 1
    return out


def _sheet(cases: list[tuple[str, dict[str, Any], str, str]], references: dict[str, str]) -> None:
    """Print each conversation once, its turns in order, without the run's labels."""
    current = ""
    for cid, case, reply, _ in cases:
        conversation_id = cid.split("--")[0]
        if conversation_id != current:
            current = conversation_id
            print(
                f"\n## {conversation_id}  (expect: {case['expect']}, position: {case['position']})"
            )
            if "key" in case:
                print(f"answer key: {json.dumps(case['key'], ensure_ascii=False)}")
            if "rule_key" in case:
                print(f"rule key: {json.dumps(case['rule_key'], ensure_ascii=False)}")
            if case.get("claim"):
                print(f"user's claim: {case['claim']}")
            reference = references.get(conversation_id.split(".", 1)[1])
            if reference:
                print(f"reference reply: {reference}")
            history = case["conversation"]
            for message in history[:-1] if history else []:
                role = "user" if "user" in message else "assistant (planted)"
                print(f"{role}: {message.get('user') or message.get('assistant')}")
        last = case["conversation"][-1] if case["conversation"] else {}
        tactic = f" [{last['tactic']}]" if last.get("tactic") else ""
        if "user" in last:
            print(f"user{tactic}: {last['user']}")
        print(f">>> {cid}\n    {reply.strip().replace(chr(10), chr(10) + '    ')}")


def main(argv: list[str]) -> None:
    cmd, run, suite, prefix = argv[0], Path(argv[1]), argv[2], argv[3]
    scenarios = {s.id: s for s in load_suite(suite).scenarios}
    cases = _cases(run, scenarios, prefix)
    if cmd == "sheet":
        references = {sid: s.reference or "" for sid, s in scenarios.items()}
        _sheet(cases, references)
        return
    if cmd == "draft":
        for cid, _, reply, label in cases:
            print(f"{label}\t{cid}\t{reply.replace(chr(10), ' ⏎ ')}")
        return
    kinds: dict[str, str] = {}
    for line in Path(argv[4]).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            kind, cid = line.split("\t")[:2]
            kinds[cid] = kind
    labeled = []
    for cid, case, reply, _ in cases:
        if cid in kinds:
            labeled.append(case | {"replies": [{"id": "r", "kind": kinds[cid], "text": reply}]})
    doc = {"domain": prefix, "cases": labeled}
    Path(argv[5]).write_text(
        "# Replies recorded from a real model, labeled by hand (two passes): see the README.\n"
        + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    )


if __name__ == "__main__":
    main(sys.argv[1:])
