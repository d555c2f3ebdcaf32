"""The ``backbone`` command line: argv, exit codes and the terminal (see ``app``).

A regular package (not a namespace one) so that import-linter sees it: nothing else of
backbone may import it (``[tool.importlinter]`` in ``pyproject.toml``).

Example:
    $ backbone --help
"""
