"""Personal-data detection (``desktop.pii``, run in the model host)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from desktop.core.pii import PiiEntity
from desktop.core.tasks import CancelToken


class PiiDetector(Protocol):
    def detect(
        self, texts: Sequence[str], cancel: CancelToken | None = None
    ) -> list[list[PiiEntity]]:
        """The personal data in each text, sorted by start, never overlapping; numbers
        that fail their check digit are not reported. Many texts in one call, so a turn's
        message and its passages cost one round trip to the model host."""
        ...
