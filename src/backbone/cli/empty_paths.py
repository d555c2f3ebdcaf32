"""An empty path on the command line is refused before a command runs.

``Path("")`` is the current folder, so ``--out ''`` (a variable that expanded to nothing) wrote
a command's files into whatever folder the user stood in, and ``--spec ''`` read that folder
and said it "is a folder, not a positions spec". Every option or argument a command declares
as a ``Path`` is checked here, once, for all commands: an empty value is exit 2 naming it.

Example:
    >>> import typer
    >>> from pathlib import Path
    >>> app = typer.Typer()
    >>> @app.command()
    ... def write(out: Path = typer.Option(..., "--out"), note: str = typer.Option("", "--note")):
    ...     pass
    >>> root = typer.main.get_command(app)
    >>> empty_path(root, ["--out", "", "--note", ""])
    '--out'
    >>> empty_path(root, ["--out=x", "--note", ""]) is None
    True
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any


def _is_path(annotation: Any) -> bool:
    """Whether a parameter's annotation is ``Path`` (bare, optional or inside ``Annotated``)."""
    if annotation is Path:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_path(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_path(a) for a in typing.get_args(annotation))
    return False


def _command(root: Any, argv: list[str]) -> tuple[Any, list[str]]:
    """The click command ``argv`` names (through the groups from ``root``) and the tokens
    after its name."""
    command = root
    rest = list(argv)
    while hasattr(command, "commands"):  # a group: its first bare token names the next level
        names = [i for i, tok in enumerate(rest) if not tok.startswith("-")]
        if not names or rest[names[0]] not in command.commands:
            return None, []
        command = command.commands[rest[names[0]]]
        rest = rest[names[0] + 1 :]
    return command, rest


def empty_path(root: Any, argv: list[str]) -> str | None:
    """The first option (``--out``) or argument (``RUN``) of type ``Path`` given an empty value
    in ``argv`` to the click command ``root`` (an app's, as it runs: ``app.command()``), or
    ``None``."""
    command, rest = _command(root, argv)
    if command is None or command.callback is None:
        return None
    try:
        hints = typing.get_type_hints(command.callback, include_extras=True)
    except (NameError, TypeError):  # an annotation that does not resolve: nothing to check
        return None
    paths = {p.name for p in command.params if _is_path(hints.get(p.name or ""))}
    options = {opt: p for p in command.params if p.param_type_name == "option" for opt in p.opts}
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    position = 0
    i = 0
    while i < len(rest):
        token = rest[i]
        name, eq, value = token.partition("=")
        if token.startswith("-") and name in options:
            param = options[name]
            flag = getattr(param, "is_flag", False) or getattr(param, "count", False)
            given: str | None = value
            if not flag and not eq:  # "--out VALUE": the value is the next token
                given = rest[i + 1] if i + 1 < len(rest) else None
                i += 1
            if not flag and given == "" and param.name in paths:
                return name
        elif not token.startswith("-") or token == "-":
            param = arguments[min(position, len(arguments) - 1)] if arguments else None
            if token == "" and param is not None and param.name in paths:
                return (param.name or "argument").upper()
            position += 1
        i += 1
    return None


__all__ = ["empty_path"]
