"""Times as the window shows them: stored in UTC, shown in the computer's own time zone
with the zone's name, so ``09:00`` is never ambiguous."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def local_time(ts: str, zone: tzinfo | None = None) -> str:
    """``2026-01-02T03:04:05.000000Z`` (UTC) as ``2026-01-02 12:04 JST`` in ``zone``
    (the system's local zone when None). Text that is not a time comes back as it is."""
    if not ts:
        return ""
    try:
        moment = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return ts
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    shown = moment.astimezone(zone)
    return f"{shown:%Y-%m-%d %H:%M} {shown.tzname() or ''}".rstrip()
