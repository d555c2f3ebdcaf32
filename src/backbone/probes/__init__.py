"""Probes: analyses of *why* a product caves (PRODUCT.md part 10). One module per kind
(``authority``, ``persuasion``, ``cues``, ``confidence``, ``bombing``), each a
:class:`~backbone.probes.base.ProbeKind`; :mod:`backbone.probes.registry` lists them."""
