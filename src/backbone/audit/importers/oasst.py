"""OpenAssistant (OASST1/OASST2) message trees as a backbone feedback log.

Input: one conversation tree per line, as the release's ``*.trees.jsonl`` (each line
``{"message_tree_id", "tree_state", "prompt", "origin"}`` with the root message in ``prompt``)
or the bare root message a line (``*_message.jsonl``): a prompter message whose ``replies``
nest alternately assistant and prompter messages;
each message has ``message_id``, ``text``, ``role`` (``prompter``/``assistant``) and
``emojis`` (vote counts such as ``{"+1": 3, "-1": 1}``, or null).

Output: one feedback event per assistant reply (the contract's columns):

* ``id`` = the reply's ``message_id``; ``prompt`` = the text of the prompter message it answers;
  ``response`` = its text; ``timestamp`` = ``created_date`` and ``user_id`` = ``user_id`` when
  the dump has them, else null;
* ``rating``: ``up`` when the reply has more ``+1`` than ``-1`` votes, ``down`` when more
  ``-1``; a **tie** (equal, non-zero) and **no votes** give an empty rating, which the audit
  counts as unrated and does not judge (the vote counts are kept, so a team can choose
  otherwise);
* other columns: ``thumbs_up``, ``thumbs_down``, ``red_flag`` (counts), ``tree_id`` (the root
  message), ``parent_id``, ``depth`` (assistant turns before this one), ``rank``,
  ``synthetic``, ``model_name``, ``lang``, ``review_result`` and ``context`` (the earlier turns
  as ``[{"role", "content"}]``).

Deleted messages (``deleted: true``) and their subtrees are skipped.

Example:
    >>> events = import_oasst("oasst_en_100_message.jsonl").events  # doctest: +SKIP
    >>> events[0]["rating"]  # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backbone.core.atomic import write_text_atomic
from backbone.core.compressed import open_bytes
from backbone.core.errors import InputError, Problem
from backbone.core.json_text import DuplicateKey, unique_keys
from backbone.core.user_file import refuse_device

ROLES = {"prompter": "user", "assistant": "assistant"}


@dataclass
class OasstImport:
    """The flattened events and what happened to every assistant reply."""

    events: list[dict[str, Any]]
    trees: int
    counts: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        c = self.counts
        return (
            f"{len(self.events)} events from {self.trees} trees: {c['up']} up, {c['down']} down, "
            f"{c['tie']} ties and {c['no_votes']} without votes (unrated)"
            + (f", {c['deleted']} deleted replies skipped" if c["deleted"] else "")
        )


VOTE_KEYS = ("+1", "-1", "red_flag")
"""The ``emojis`` counts the import reads (each a whole number of votes when present)."""


def vote_count_problem(value: Any) -> str | None:
    """Why ``value`` is no vote count (a whole number, 0 or more; null is 0), else None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a whole number of votes, got {json.dumps(value)[:40]}"
    if not math.isfinite(value) or value < 0 or value != int(value):
        return f"must be a whole number of votes, got {value!r}"
    return None


def rating_from_emojis(emojis: Any) -> tuple[str | None, str, int, int]:
    """(rating, why, +1 count, -1 count) from an OASST ``emojis`` object (its counts checked
    first by :func:`vote_count_problem`)."""
    votes = emojis if isinstance(emojis, dict) else {}
    up, down = int(votes.get("+1") or 0), int(votes.get("-1") or 0)
    if up > down:
        return "up", "up", up, down
    if down > up:
        return "down", "down", up, down
    return None, ("tie" if up else "no_votes"), up, down


def _walk(
    message: dict[str, Any], context: list[dict[str, str]], depth: int
) -> Iterator[tuple[dict[str, Any], list[dict[str, str]], int]]:
    yield message, context, depth
    turn = {"role": ROLES.get(str(message.get("role")), "user"), "content": message["text"]}
    next_depth = depth + (message.get("role") == "assistant")
    for reply in message.get("replies") or []:
        if isinstance(reply, dict):
            yield from _walk(reply, [*context, turn], next_depth)


def _check(message: Any, where: str, problems: list[Problem], file: str, line: int) -> bool:
    if not isinstance(message, dict):
        problems.append(Problem(file, line, f"{where}: expected a message object"))
        return False
    ok = True
    for key in ("message_id", "text", "role"):
        if not isinstance(message.get(key), str):
            problems.append(Problem(file, line, f"{where}: '{key}' must be a string"))
            ok = False
    if isinstance(message.get("role"), str) and message["role"] not in ROLES:
        problems.append(
            Problem(
                file,
                line,
                f"{where}: role must be prompter or assistant, got {message.get('role')!r}",
            )
        )
        ok = False
    # a parent_id that is no id was a TypeError (a list or an object cannot be looked up);
    # "deleted": "false" was truthy and dropped the reply as deleted without a word
    if message.get("parent_id") is not None and not isinstance(message["parent_id"], str):
        problems.append(Problem(file, line, f"{where}: 'parent_id' must be a string or null"))
        ok = False
    if message.get("deleted") not in (None, True, False):  # 0 and 1 read as false and true
        problems.append(
            Problem(
                file,
                line,
                f"{where}: 'deleted' must be true, false or null, "
                f"got {json.dumps(message['deleted'])[:40]}",
            )
        )
        ok = False
    emojis = message.get("emojis")
    if emojis is not None and not isinstance(emojis, dict):
        problems.append(Problem(file, line, f"{where}: 'emojis' must be an object"))
        ok = False
    votes = emojis if isinstance(emojis, dict) else {}
    for key in VOTE_KEYS:
        why = vote_count_problem(votes.get(key))
        if why is not None:
            problems.append(Problem(file, line, f"{where}: emojis '{key}' {why}"))
            ok = False
    replies = message.get("replies")
    if replies is not None and not isinstance(replies, list):
        problems.append(Problem(file, line, f"{where}: 'replies' must be a list"))
        ok = False
    for i, reply in enumerate(replies or []):
        ok = _check(reply, f"{where}.replies[{i}]", problems, file, line) and ok
    return ok


def _read_trees(p: Path, problems: list[Problem]) -> list[tuple[int, dict[str, Any]]]:
    """Each line's message tree with its line number (a ``.gz`` file gunzipped); a line that
    is not UTF-8 or not JSON, or a tree that is malformed, is a problem instead."""
    file = str(p)
    trees: list[tuple[int, dict[str, Any]]] = []
    with open_bytes(p) as f:
        if f.read(4) == b"PAR1":  # as Hugging Face ships oasst1: not 50 lines of 'not UTF-8'
            why = (
                "a Parquet file (as Hugging Face ships the flat messages): this reads the "
                "message-trees JSONL, one tree a line (OpenAssistant's *.trees.jsonl.gz)"
            )
            problems.append(Problem(file, None, why))
            return trees
    with open_bytes(p) as f:
        for number, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                problems.append(Problem(file, number, f"not UTF-8 text ({exc.reason})"))
                continue
            if not line.strip():
                continue
            try:
                root = json.loads(line, object_pairs_hook=unique_keys)
            except DuplicateKey as exc:
                problems.append(Problem(file, number, str(exc)))
                continue
            except ValueError as exc:
                problems.append(Problem(file, number, f"not valid JSON: {exc}"))
                continue
            except RecursionError:  # the decoder's own limit (about 500 turns deep)
                problems.append(Problem(file, number, "nested too deeply to read as JSON"))
                continue
            try:  # an escape such as \ud800 alone decodes, but no UTF-8 file can hold it
                json.dumps(root, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError as exc:
                bad = exc.object[exc.start : exc.end].encode("unicode_escape").decode()
                problems.append(
                    Problem(file, number, f"not valid Unicode: a lone surrogate escape ({bad})")
                )
                continue
            where = "message"
            if isinstance(root, dict) and "message_tree_id" in root and "message_id" not in root:
                # the release's *.trees.jsonl wraps each tree: {"message_tree_id", "tree_state",
                # "prompt": the root message, "origin"}; it was refused as a message without
                # message_id, text and role (the bare-root form is the *_message.jsonl sample)
                if root.get("prompt") is None:
                    continue  # a tree without its prompt holds no reply to rate
                root, where = root["prompt"], "prompt"
            if _check(root, where, problems, file, number):
                trees.append((number, root))
    return trees


MAX_LISTED = 50
"""Problems listed one by one; the rest are counted (a file of bad lines is one mistake)."""


def _listed(problems: list[Problem], file: str) -> InputError:
    """The first :data:`MAX_LISTED` problems, and how many more there are."""
    shown = problems[:MAX_LISTED]
    if len(problems) > MAX_LISTED:
        shown.append(Problem(file, None, f"... and {len(problems) - MAX_LISTED} more problems"))
    return InputError(shown)


def import_oasst(path: str | Path) -> OasstImport:
    """Flatten every tree in ``path`` into feedback events (see the module docstring)."""
    p = Path(path)
    file = str(p)
    if p.is_dir():
        raise InputError.single(file, None, "is a directory: give the message-trees JSONL file")
    refuse_device(p)  # a pipe or a device was "no such file"
    if not p.is_file():
        raise InputError.single(file, None, "no such file")
    problems: list[Problem] = []
    try:
        trees = _read_trees(p, problems)
    except (OSError, EOFError) as exc:  # a .gz that is not gzip, or cut short
        raise InputError.single(file, None, f"cannot read the file: {exc}") from None
    if problems:
        raise _listed(problems, file)
    if not trees:
        raise InputError.single(file, None, "no message trees")
    events: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    seen: dict[str, int] = {}
    for number, root in trees:
        tree_id = root["message_id"]
        skipped: set[str] = set()
        for message, context, depth in _walk(root, [], 0):
            parent = message.get("parent_id")
            if message.get("deleted") or parent in skipped:
                skipped.add(message["message_id"])
                if message["role"] == "assistant":
                    counts["deleted"] += 1
                continue
            if message["role"] != "assistant":
                continue
            if not context and isinstance(parent, str):  # its parent is on another line
                raise InputError.single(
                    file,
                    number,
                    f"assistant message {message['message_id']} stands alone with parent_id "
                    f"{parent}: this reads one message tree a line (OpenAssistant's "
                    "*.trees.jsonl), not the flat *.messages.jsonl",
                )
            if not context or context[-1]["role"] != "user":
                problems.append(
                    Problem(
                        file,
                        number,
                        f"assistant message {message['message_id']} does not "
                        "answer a prompter message",
                    )
                )
                continue
            if message["message_id"] in seen:
                problems.append(
                    Problem(
                        file,
                        number,
                        f"message id {message['message_id']} also on line "
                        f"{seen[message['message_id']]}",
                    )
                )
                continue
            seen[message["message_id"]] = number
            rating, why, up, down = rating_from_emojis(message.get("emojis"))
            counts[why] += 1
            raw_emojis = message.get("emojis")
            emojis: dict[str, Any] = raw_emojis if isinstance(raw_emojis, dict) else {}
            events.append(
                {
                    "id": message["message_id"],
                    "timestamp": message.get("created_date"),
                    "user_id": message.get("user_id"),
                    "prompt": context[-1]["content"],
                    "response": message["text"],
                    "rating": rating,
                    "thumbs_up": up,
                    "thumbs_down": down,
                    "red_flag": int(emojis.get("red_flag") or 0),
                    "tree_id": tree_id,
                    "parent_id": parent,
                    "depth": depth,
                    "rank": message.get("rank"),
                    "synthetic": message.get("synthetic"),
                    "model_name": message.get("model_name"),
                    "lang": message.get("lang"),
                    "review_result": message.get("review_result"),
                    "context": context[:-1],
                }
            )
    if problems:
        raise _listed(problems, file)
    if not events:  # an empty log would only be refused by the audit it was made for
        deleted = f" ({counts['deleted']} deleted replies skipped)" if counts["deleted"] else ""
        why = f"no assistant reply to rate in the {len(trees)} message trees{deleted}"
        raise InputError.single(file, None, why + ": no feedback event to write")
    return OasstImport(events=events, trees=len(trees), counts=counts)


def _json_line(event: dict[str, Any]) -> str:
    """One event as a line of strict JSON: a kept value the dump gives as NaN or Infinity
    (``"rank": NaN``, which ``json.loads`` reads) becomes null, as a missing value. ``NaN``
    in the log made lines no strict JSON reader takes. The C encoder and decoder do the work:
    a kept value nested hundreds deep passes (a Python walk over it ran out of stack)."""
    try:
        return json.dumps(event, ensure_ascii=False, allow_nan=False)
    except ValueError:  # a non-finite float somewhere: read it back with those as null
        loose = json.dumps(event, ensure_ascii=False)
        strict = json.loads(loose, parse_constant=lambda _: None)
        return json.dumps(strict, ensure_ascii=False, allow_nan=False)


def write_events(events: list[dict[str, Any]], out: Path) -> None:
    """Write events as a JSONL feedback log (whole or not at all), each a strict JSON line."""
    write_text_atomic(out, "".join(_json_line(e) + "\n" for e in events))
