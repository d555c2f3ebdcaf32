"""The base layer: what every part of backbone passes around, importing nothing else of it.

- ``errors``: :class:`InputError` and :class:`Problem` (bad input, with file and line);
- ``atomic``: writing a file whole or not at all;
- ``yaml_lines``: YAML with the line number of every node, for errors;
- ``formatting``: how a share is written for people;
- ``text``: strings that can always be encoded (lone surrogates replaced);
- ``patterns``: users' regexes, on a linear-time engine (RE2);
- the value types: ``transcript`` (a played conversation), ``verdict`` (a grader's label on
  one assistant turn), ``outcome`` (how a scenario ended), ``rate`` (a value, its interval, n).
"""
