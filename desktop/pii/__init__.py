"""Personal-data detection: Presidio's analyzer with recognizers of Kura's own, GiNZA
(spaCy + SudachiPy) for Japanese names, ``phonenumbers`` for telephone numbers and
``python-stdnum`` for the Japanese check digits.

An adapter behind :class:`desktop.core.ports.pii.PiiDetector`; imported only inside the
model host (``pii.detect``), never in Kura's own process (an import contract says so).
"""
