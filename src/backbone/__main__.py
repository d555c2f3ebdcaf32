"""``python -m backbone``: the ``backbone`` command line, as the console script runs it
(:func:`backbone.cli.main`: the same exit codes, a quiet exit 130 on a Ctrl-C while the app
loads, and ``backbone`` as the program's name in its help and usage).

Example:
    $ python -m backbone --help
"""

from __future__ import annotations

from backbone.cli import main

if __name__ == "__main__":
    main()
