"""Every docstring example in backbone runs and prints what it shows. Docstrings carry a short
example each; one that has drifted from the code misleads whoever reads it (six had: a
quantile, an error message, a cut, a rate, a pattern and a missing import)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import backbone

MODULES = sorted(
    [
        "backbone",  # the package's own docstring: the example users read first
        *(
            m.name
            for m in pkgutil.walk_packages(backbone.__path__, "backbone.")
            if not m.name.endswith("__main__")
        ),
    ]
)


def test_every_module_is_found() -> None:
    assert len(MODULES) > 200 and "backbone.graders.answer_reading" in MODULES
    assert "backbone" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, report=False, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
