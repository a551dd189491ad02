"""One reader per file format; :mod:`desktop.retrieval.parsers` picks by extension."""
