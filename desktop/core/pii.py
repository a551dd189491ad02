"""Personal data: the types Kura detects and the value a detector reports.

The detector itself (Presidio and GiNZA in the model host) is an adapter behind the
``PiiDetector`` port (``desktop.core.ports.pii``); masking and pseudonymising are core
logic over these values.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PiiType(StrEnum):
    """The entity types, named as in the evaluation contract (`kura pii detect`)."""

    PERSON = "PERSON"
    PHONE_NUMBER = "PHONE_NUMBER"
    EMAIL_ADDRESS = "EMAIL_ADDRESS"
    MY_NUMBER = "MY_NUMBER"
    CORPORATE_NUMBER = "CORPORATE_NUMBER"
    CREDIT_CARD = "CREDIT_CARD"
    POSTAL_CODE = "POSTAL_CODE"
    ADDRESS = "ADDRESS"
    IP_ADDRESS = "IP_ADDRESS"
    #: A workspace-defined term (an Owner-maintained list of names, code names, ids).
    CUSTOM = "CUSTOM"


@dataclass(frozen=True, slots=True)
class PiiEntity:
    """One detected value: ``text == source[start:end]`` (offsets in ``str`` characters)."""

    type: PiiType
    start: int
    end: int
    text: str
    score: float
