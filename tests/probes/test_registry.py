"""Kinds by name: an unknown name, and a known kind whose module is not in this build, are
input errors (exit 2 at the command line), never an ImportError traceback."""

from __future__ import annotations

import pytest

from backbone.core.errors import InputError
from backbone.probes import registry
from backbone.probes.base import ProbeKind


def test_kinds_load_lazily_and_are_probe_kinds() -> None:
    for name in ("authority", "persuasion"):
        kind = registry.probe_kind(name)
        assert isinstance(kind, ProbeKind) and kind.name == name


def test_unknown_and_unavailable_kinds_are_input_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="unknown probe kind 'flattery'"):
        registry.probe_kind("flattery")
    monkeypatch.setitem(registry.KINDS, "ghost", "backbone.probes.ghost:GHOST")
    with pytest.raises(InputError, match="probe kind 'ghost' is not available"):
        registry.probe_kind("ghost")
