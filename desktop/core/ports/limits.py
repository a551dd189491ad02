"""The usage-limits repository (tables ``usage_limits``; consumption from ``turns``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from desktop.core.limits import Consumed, LimitKind, LimitScope, UsageLimits, Windows


class LimitRepository(Protocol):
    def put(
        self,
        scope: LimitScope,
        subject_id: int,
        values: Mapping[LimitKind, int],
        *,
        now: str,
        by: str,
    ) -> None:
        """Replace the limits of one user, app or model with ``values`` (the kinds
        absent are not set); an empty ``values`` removes its row."""
        ...

    def get(self, scope: LimitScope, subject_id: int) -> UsageLimits | None: ...

    def every(self) -> list[UsageLimits]:
        """Every user's, app's and model's limits: users, then apps, then models, by name."""
        ...

    def applicable(self, user_id: int, app_id: int, model_id: int) -> list[UsageLimits]:
        """The limits of this user, this app and this model (those that have any)."""
        ...

    def consumed(self, scope: LimitScope, subject_id: int, windows: Windows) -> Consumed:
        """What a user's or an app's conversations used in each of ``windows``, read in
        one pass over their turns since ``windows.since``."""
        ...
