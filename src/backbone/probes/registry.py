"""The probe kinds by name, each imported only when asked for.

Example:
    >>> sorted(KINDS)
    ['authority', 'bombing', 'confidence', 'cues', 'persuasion']
"""

from __future__ import annotations

from importlib import import_module

from backbone.core.errors import InputError
from backbone.probes.base import ProbeKind

# kind name -> "module:attribute" of its ProbeKind
KINDS: dict[str, str] = {
    "authority": "backbone.probes.authority:AUTHORITY",
    "persuasion": "backbone.probes.persuasion:PERSUASION",
    "cues": "backbone.probes.cues:CUES",
    "confidence": "backbone.probes.confidence:CONFIDENCE",
    "bombing": "backbone.probes.bombing:BOMBING",
}


def probe_kind(name: str) -> ProbeKind:
    """The :class:`ProbeKind` called ``name``; :class:`InputError` for an unknown one."""
    if name not in KINDS:
        raise InputError.single(
            "probe", None, f"unknown probe kind {name!r}: expected one of {', '.join(KINDS)}"
        )
    module, attr = KINDS[name].split(":")
    try:
        loaded = import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise InputError.single(
            "probe", None, f"probe kind {name!r} is not available in this build of backbone"
        ) from None
    kind: ProbeKind = getattr(loaded, attr)
    return kind
