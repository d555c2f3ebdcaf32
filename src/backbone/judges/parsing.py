"""Reading a judge's answer: tolerant JSON extraction, then strict validation by a rubric's model.

Real models wrap JSON in prose or code fences, think aloud first (``<think>...</think>``),
leave trailing commas, write Python literals (``True``, ``None``), curly quotes, raw line
breaks inside a string, or drop the braces. The reader finds every JSON object in the text,
repairs what can be repaired without guessing, and validates each with the rubric's pydantic
findings model (which normalises synonyms). What it cannot read it reports as a problem with
its kind (the judge gets one repair turn); a reply with no JSON that reads as a refusal is
reported as refused. This is the one reader of judge replies: every rubric's replies go
through :func:`parse_reply`.

Example:
    >>> from pydantic import BaseModel
    >>> class Verdict(BaseModel):
    ...     ok: bool
    >>> parse_reply('Sure! ```json\\n{"ok": True,}\\n```', Verdict).findings
    Verdict(ok=True)
    >>> parse_reply("I'm sorry, but I can't help with that.", Verdict).refused
    True
    >>> parse_reply('{"ok": "maybe"}', Verdict).problem
    'ok: Input should be a valid boolean, unable to interpret input'
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError, ValidationInfo

F = TypeVar("F", bound=BaseModel)

ProblemKind = Literal["empty", "no_object", "cut", "missing", "invalid", "rejected", "refused"]
"""Why a reply gave no findings: empty; no JSON object; an answer cut off part-way (the
reply ends inside an unfinished JSON object or an unclosed thinking block: the token limit);
an object without a required field; a field that does not validate; findings the rubric
rejects for this item; a refusal."""

PYTHON = "python"
"""The validation-context key set when the reply came from a ``python:`` judge (a rubric's
model may then be strict: a function can return exact types, a model cannot)."""

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_NULL = {"null", "none", "n/a", "na", ""}
REFUSAL = re.compile(
    r"\b(?:i(?:'m| am) (?:sorry|afraid)[^.]{0,40}(?:can(?:no|')t|unable|not able)"
    r"|i (?:can(?:no|')t|won't|will not|am unable to|'m unable to|am not able to) "
    r"(?:help(?! but\b)(?! noticing\b)|assist|comply|do that|grade|evaluate|judge|provide"
    r"|continue|engage)"
    r"|as an ai[^.]{0,60}(?:can(?:no|')t|unable|not able))",
    re.I,
)
"""The one refusal detector: a judge reply without JSON that matches it was a refusal ("I
can't help but notice...", "I cannot help noticing..." are judging, not refusing)."""
_THINK = re.compile(r"<think(?:ing)?>.*?</think(?:ing)?>", re.I | re.S)
_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.S)


def to_bool(
    v: Any,
    *,
    nullable: bool,
    true: Iterable[str] = (),
    false: Iterable[str] = (),
) -> bool | None:
    """A bool-like value as a bool: ``"yes"``, ``1``, ``"False"``... (``true``/``false`` add
    words a rubric reads as such, e.g. ``"incorrect"``). Raises ``ValueError`` otherwise.

    Example:
        >>> to_bool("Yes", nullable=False), to_bool("n/a", nullable=True)
        (True, None)
    """
    if isinstance(v, bool):
        return v
    if v is None:
        if nullable:
            return None
        raise ValueError("must be true or false, not null")
    if isinstance(v, int | float) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        s = v.strip().lower()
        if s in _TRUE or s in true:
            return True
        if s in _FALSE or s in false:
            return False
        if s in _NULL and nullable:
            return None
    raise ValueError(f"must be true or false, got {v!r}")


def from_python(info: ValidationInfo) -> bool:
    """Whether a model is validating what a ``python:`` judge returned (see :data:`PYTHON`)."""
    return isinstance(info.context, Mapping) and bool(info.context.get(PYTHON))


_BARE_LABEL = re.compile(
    r"(?:(?:label|verdict|answer)\s*[:=]\s*)?[\"'\u00ab\u201e\u201c\u300c*]*"
    r"([a-z_]+)[\"'\u00bb\u201c\u201d\u300d*]*[.!]?",
    re.I,
)


def label_object(data: Any, info: ValidationInfo, *, field: str = "label") -> Any:
    """A model's answer in the shape of a findings object with a ``field`` label: an
    object's keys lower-cased (``"Label"``), ``field`` read from ``"verdict"`` when it is
    missing, and a bare label (``held.``, ``Verdict: HELD``, ``\u00abheld\u00bb``) as
    ``{field: label}``. A ``python:`` judge's answer is left exactly as it returned it.

    Example:
        >>> from pydantic import BaseModel, model_validator
        >>> class F(BaseModel):
        ...     label: str
        ...     @model_validator(mode="before")
        ...     @classmethod
        ...     def _shape(cls, data, info):
        ...         return label_object(data, info)
        >>> F.model_validate({"Label": "held"}).label, F.model_validate("Verdict: HELD").label
        ('held', 'HELD')
    """
    if from_python(info):
        return data
    if isinstance(data, Mapping):
        lowered = {str(k).strip().lower(): v for k, v in data.items()}
        if field not in lowered and "verdict" in lowered:
            lowered[field] = lowered["verdict"]
        return lowered
    if isinstance(data, str):
        bare = _BARE_LABEL.fullmatch(data.strip())
        if bare is not None:
            return {field: bare.group(1)}
    return data


@dataclass(frozen=True)
class Parsed(Generic[F]):
    """What the reader made of a judge's text: findings, or the problem and its kind.

    ``errors`` holds ``(field, message)`` pairs when a field did not validate.
    """

    findings: F | None
    problem: str | None = None
    kind: ProblemKind | None = None
    errors: tuple[tuple[str, str], ...] = ()

    @property
    def refused(self) -> bool:
        return self.kind == "refused"


_OBJECT_START = re.compile(r"\{\s*(?:[\"'\u201c\u2018]|[A-Za-z_]\w*\s*:|\Z)")
"""How a JSON object (or a Python dict literal) starts: a quoted key, a bare ``key:``, or
nothing more (the reply ended right there). A ``{`` in prose ("the reply wrote { in its
code", ``:-{``) does not."""


def _balanced_objects(text: str) -> list[str]:
    """Every top-level ``{...}`` span, matching braces outside strings; after a stray ``{``
    that never closes (a brace in prose), the spans after it too."""
    out, open_at = _scan_objects(text)
    if open_at is not None:  # once: a scan per stray brace would take quadratic time
        out += [o for o in _scan_objects(text[open_at + 1 :])[0] if o not in out]
    return out


def _ends_unfinished(text: str) -> bool:
    """Whether the text ends inside an object that started like JSON (after a stray ``{``
    in prose, the objects after it are looked at: it is no sign of a cut)."""
    open_at = _scan_objects(text)[1]
    if open_at is not None and _OBJECT_START.match(text, open_at) is None:
        rest = text[open_at + 1 :]
        return (nested := _scan_objects(rest)[1]) is not None and bool(
            _OBJECT_START.match(rest, nested)
        )
    return open_at is not None


def _scan_objects(text: str) -> tuple[list[str], int | None]:
    """Every top-level ``{...}`` span, and where the unfinished one the text ends inside
    starts (None when it ends outside any)."""
    out: list[str] = []
    depth = 0
    start = -1
    in_str: str | None = None
    escaped = False
    for i, ch in enumerate(text):
        if in_str is not None:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == in_str:
                in_str = None
            continue
        if ch == '"' and depth > 0:
            in_str = ch
        elif ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                out.append(text[start : i + 1])
    return out, start if depth > 0 else None


def _repairs(raw: str) -> list[str]:
    """The candidate itself, then conservative repairs of common slips."""
    fixed = (
        raw.replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u201e", '"')  # German and Polish opening quotes, guillemets, CJK brackets
        .replace("\u00ab", '"')
        .replace("\u00bb", '"')
        .replace("\u300c", '"')
        .replace("\u300d", '"')
        .replace("\u2018", "'")
        .replace("\u2019", "'")
    )
    fixed = re.sub(r",\s*([}\]])", r"\1", fixed)  # trailing commas
    fixed = re.sub(r"(?<![\w\"])True(?![\w\"])", "true", fixed)
    fixed = re.sub(r"(?<![\w\"])False(?![\w\"])", "false", fixed)
    fixed = re.sub(r"(?<![\w\"])None(?![\w\"])", "null", fixed)
    quoted_keys = re.sub(r"([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:", r'\1"\2":', fixed)
    single = re.sub(r"'([^'\n]*)'", r'"\1"', quoted_keys) if '"' not in quoted_keys else None
    return [c for c in (raw, fixed, quoted_keys, single) if c is not None]


def _load(candidate: str) -> dict[str, Any] | None:
    for attempt in _repairs(candidate):
        try:
            # strict=False: a raw line break or tab inside a string (a reason written over
            # two lines, as models often do) is read as written, not as no object
            data = json.loads(attempt, strict=False)
        except (ValueError, RecursionError):  # nested past the parser: no object
            continue
        if isinstance(data, dict):
            return data
    try:  # a Python dict literal ({'label': 'held', 'hedging': False})
        literal = ast.literal_eval(candidate)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return literal if isinstance(literal, dict) else None


def _explain(exc: ValidationError) -> tuple[tuple[str, str], ...]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        out.append((loc, str(err["msg"]).removeprefix("Value error, ")))
    return tuple(out)


_OPEN_THINK = re.compile(r"<think(?:ing)?>", re.I)
_CLOSE_THINK = re.compile(r"</think(?:ing)?>", re.I)


def _body(text: str) -> str:
    """The answer part of a reply: closed thinking blocks removed; after a lone closing tag
    (a chat template that opened the block itself) the text after it; an unclosed block (the
    reply ended while thinking: the token limit) left out, drafts and all."""
    body = _THINK.sub("", text)
    closes = list(_CLOSE_THINK.finditer(body))
    if closes:
        body = body[closes[-1].end() :]
    opened = _OPEN_THINK.search(body)
    if opened is not None:
        body = body[: opened.start()]
    return body


def _cut(text: str) -> str | None:
    """Why the reply's answer was cut off part-way (None when it was not): it ends inside
    its thinking, or inside an unfinished JSON object. Earlier complete objects are then
    drafts or examples, never the answer."""
    rest = _THINK.sub("", text)
    closes = list(_CLOSE_THINK.finditer(rest))
    if closes:
        rest = rest[closes[-1].end() :]
    if _OPEN_THINK.search(rest) is not None:
        return "the reply ended inside a thinking block (cut at the token limit?)"
    if _ends_unfinished(rest):
        return "the reply ends inside an unfinished JSON object (cut at the token limit?)"
    return None


_OPENS_WITH_OBJECT = re.compile(r"\s*(?:```[\w-]*\s*)?\{")


def _answer_whole(text: str) -> bool:
    """Whether a reply stopped at the token limit still holds its whole answer: its answer
    part opens with an object (an explanation after it was cut), or ends with a closed one."""
    body = _body(text)
    return bool(_OPENS_WITH_OBJECT.match(body)) or body.rstrip().rstrip("`").rstrip().endswith("}")


def required_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields a findings object must name (``label``, ``correct``...)."""
    return tuple(name for name, f in model.model_fields.items() if f.is_required())


def _located(text: str, offset: int = 0) -> list[tuple[int, str]]:
    """Every top-level ``{...}`` span of ``text`` with where it starts (plus ``offset``)."""
    out: list[tuple[int, str]] = []
    at = 0
    for obj in _balanced_objects(text):
        at = text.index(obj, at)
        out.append((offset + at, obj))
        at += len(obj)
    return out


def extract_objects(text: str, keys: Iterable[str] = ("label",)) -> list[dict[str, Any]]:
    """Every JSON object the text holds (inside code fences or not), in the order the text
    holds them, repaired where possible.

    A wrapper such as ``{"verdict": {...}}`` is opened when the inner object names one of
    ``keys`` and the wrapper does not.

    Example:
        >>> text = 'e.g. {"label": "a"}, so: ```json {"label": "b"} ```'
        >>> [o["label"] for o in extract_objects(text)]
        ['a', 'b']
    """
    keys = tuple(keys)
    body = _body(text)
    located = [pair for m in _FENCE.finditer(body) for pair in _located(m.group(1), m.start(1))]
    # in text order: the fenced objects used to come first, so an example in the prose
    # before a fenced answer was read as the last object, and won
    candidates = list(dict.fromkeys(c for _, c in sorted([*located, *_located(body)])))
    out: list[dict[str, Any]] = []
    for c in candidates:
        data = _load(c)
        if data is not None:
            if not any(k in data for k in keys):
                inner = [
                    v for v in data.values() if isinstance(v, dict) and any(k in v for k in keys)
                ]
                if len(inner) == 1:
                    data = inner[0]
            out.append(data)
    return out


def _bare_values(text: str) -> list[Any]:
    """What a reply without an object may still say: a ``key: value`` list without braces,
    then the whole reply as one value (``True.``, ``"correct"``)."""
    body = _body(text).strip()
    out: list[Any] = []
    wrapped = _load("{" + body + "}")
    if wrapped is not None:
        out.append(wrapped)
    word = body.rstrip(".!").strip()
    for attempt in _repairs(word):
        try:
            out.append(json.loads(attempt))
            break
        except (ValueError, RecursionError):
            continue
    else:
        out.append(word)
    return out


def parse_reply(
    text: str,
    model: type[F],
    *,
    check: Callable[[F], str | None] | None = None,
    python: bool = False,
    stopped: bool = False,
) -> Parsed[F]:
    """Read a judge's reply into ``model``'s findings.

    Of several JSON objects, the last one that validates (and that ``check`` does not
    reject, e.g. a label not allowed on this turn) wins: models sometimes show an example or
    a draft first. ``python`` marks a ``python:`` judge's answer (see :data:`PYTHON`).
    ``stopped`` says the provider stopped the reply at the token limit: unless its answer
    opens with an object (the answer first, an explanation cut after it) or it ends with a
    closed one (the answer, whole), what it holds is a draft or an example, and it is
    ``cut``.

    Example:
        >>> from pydantic import BaseModel
        >>> class V(BaseModel):
        ...     label: str
        >>> parse_reply('If it caved: {"label": "caved"}. It did not, so', V, stopped=True).kind
        'cut'
    """
    if not text.strip():
        return Parsed(None, "empty reply", "empty")
    cut = _cut(text)
    if cut is None and stopped and not _answer_whole(text):
        cut = "the reply stopped at the token limit before its answer ended (max_tokens)"
    if cut is not None:
        return Parsed(None, cut, "cut")
    context = {PYTHON: python}

    def validate(data: Any) -> F:
        return model.model_validate(data, context=context)

    objects = extract_objects(text, required_fields(model))
    if not objects:
        for value in _bare_values(text):
            try:
                findings = validate(value)
            except ValidationError:
                continue
            if check is None or check(findings) is None:
                return Parsed(findings)
        if REFUSAL.search(text):
            return Parsed(None, f"refused: {text.strip()[:120]!r}", "refused")
        return Parsed(None, f"no JSON object in the reply: {text.strip()[:80]!r}", "no_object")
    last: Parsed[F] = Parsed(None, "no JSON object in the reply", "no_object")
    for data in reversed(objects):
        try:
            findings = validate(data)
        except ValidationError as exc:
            errors = _explain(exc)
            missing = [e["loc"][0] for e in exc.errors() if e["type"] == "missing" and e["loc"]]
            if missing:
                last = Parsed(None, f"the JSON object has no {missing[0]!r}", "missing", errors)
            else:
                problem = "; ".join(f"{loc}: {msg}" if loc else msg for loc, msg in errors)
                last = Parsed(None, problem, "invalid", errors)
            continue
        rejected = check(findings) if check is not None else None
        if rejected is not None:
            last = Parsed(None, rejected, "rejected")
            continue
        return Parsed(findings)
    return last
