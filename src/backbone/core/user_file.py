"""Reading a file the user named: a pipe or a device is refused before it is read (reading
``/dev/zero`` or a FIFO nobody writes never ends), and every failure is an :class:`InputError`
naming the file.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "prices.yaml"
    >>> _ = p.write_text("a: 1\\n")
    >>> read_text(p)
    'a: 1\\n'
    >>> try:
    ...     read_text(pathlib.Path("/dev/zero"))
    ... except InputError as exc:
    ...     print(exc)
    /dev/zero: not a regular file (a pipe or a device?)
"""

from __future__ import annotations

import os
from pathlib import Path

from backbone.core.errors import InputError

NOT_REGULAR = "not a regular file (a pipe or a device?)"


def is_device(path: Path) -> bool:
    """Whether ``path`` exists but is neither a regular file nor a folder (a pipe, a socket, a
    device, or a link to one)."""
    try:
        return path.exists() and not path.is_file() and not path.is_dir()
    except OSError:
        return False


def refuse_device(path: Path) -> None:
    """Raise :class:`InputError` when ``path`` is a pipe or a device (see :func:`is_device`)."""
    if is_device(path):
        raise InputError.single(str(path), None, NOT_REGULAR)


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file or folder (through a link or ``./`` too); a
    path that does not exist yet is compared by where it would be.

    >>> same_file(Path("/tmp/../tmp/x.json"), Path("/tmp/x.json"))
    True
    """
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # a loop of links, a name too long
        return False


def refuse_unreadable(path: Path) -> None:
    """Raise :class:`InputError` when ``path`` is missing, a folder, or not a regular file."""
    file = str(path)
    try:
        is_file = path.is_file()  # follows a symlink: a link to /dev/zero is a device too
        exists = is_file or path.exists()
    except OSError as exc:  # a name too long, a loop of links...
        raise InputError.single(file, None, f"cannot read: {exc.strerror or exc}") from None
    if not exists:
        gone = f"a link to {os.readlink(path)}, which does not exist" if path.is_symlink() else ""
        raise InputError.single(file, None, gone or "no such file")
    if path.is_dir():
        raise InputError.single(file, None, "is a folder, not a file")
    if not is_file:
        raise InputError.single(file, None, NOT_REGULAR)


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The text of a regular file, or :class:`InputError` saying why it cannot be read."""
    refuse_unreadable(path)
    file = str(path)
    try:
        return path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        data, at = exc.object, exc.start
        if data.startswith(b"\x1f\x8b"):  # "byte 0x8b at column 2" says little of a .gz
            raise InputError.single(file, None, "gzip-compressed, not text: gunzip it") from None
        line = data.count(b"\n", 0, at) + 1
        column = at - (data.rfind(b"\n", 0, at) + 1) + 1
        raise InputError.single(
            file,
            line,
            f"not UTF-8 text ({exc.reason}): byte 0x{data[at]:02x} at column {column}",
        ) from None
    except OSError as exc:  # permission denied, removed since, ...
        raise InputError.single(file, None, f"cannot read: {exc.strerror or exc}") from None
