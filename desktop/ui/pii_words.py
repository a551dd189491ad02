"""Personal-data words the GUI shows: each type's name (singular and plural), a turn's
masked counts as a sentence, and a policy's state. Never a value: only types and counts."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject

from desktop.core.pii import PiiType


class PiiWords(QObject):
    """Translated words for the personal-data types (a QObject so ``tr`` works)."""

    def names(self) -> dict[PiiType, tuple[str, str]]:
        """Each type's name as (one, several)."""
        return {
            PiiType.PERSON: (self.tr("name"), self.tr("names")),
            PiiType.PHONE_NUMBER: (self.tr("phone number"), self.tr("phone numbers")),
            PiiType.EMAIL_ADDRESS: (self.tr("email address"), self.tr("email addresses")),
            PiiType.MY_NUMBER: (self.tr("My Number"), self.tr("My Numbers")),
            PiiType.CORPORATE_NUMBER: (
                self.tr("corporate number"),
                self.tr("corporate numbers"),
            ),
            PiiType.CREDIT_CARD: (self.tr("card number"), self.tr("card numbers")),
            PiiType.POSTAL_CODE: (self.tr("postal code"), self.tr("postal codes")),
            PiiType.ADDRESS: (self.tr("address"), self.tr("addresses")),
            PiiType.IP_ADDRESS: (self.tr("IP address"), self.tr("IP addresses")),
            PiiType.CUSTOM: (self.tr("workspace term"), self.tr("workspace terms")),
        }

    def type_name(self, kind: str) -> str:
        """A type's name on its own (a label beside a detected value)."""
        try:
            return self.names()[PiiType(kind)][0]
        except ValueError:
            return kind

    def counted(self, kind: str, n: int) -> str:
        """``2 names`` / ``人名 2``."""
        try:
            one, several = self.names()[PiiType(kind)]
        except ValueError:
            one = several = kind
        return self.tr("{n} {noun}").format(n=n, noun=one if n == 1 else several)

    def masked(self, counts: Mapping[str, int]) -> str:
        """A turn's masked counts as a sentence; the order is the types' own."""
        order = {kind.value: index for index, kind in enumerate(PiiType)}
        kept = sorted(
            ((k, int(n)) for k, n in counts.items() if int(n) > 0),
            key=lambda item: (order.get(item[0], len(order)), item[0]),
        )
        if not kept:
            return self.tr("Masked: nothing")
        parts = self.tr(", ").join(self.counted(k, n) for k, n in kept)
        return self.tr("Masked: {parts}").format(parts=parts)

    def policy(self, on: bool) -> str:
        return self.tr("on") if on else self.tr("off")
