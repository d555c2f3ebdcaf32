"""The library's entry point: spec strings and options in, a run out (``evaluate``, ``rescore``)."""
