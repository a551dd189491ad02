"""Workspace security policies: on/off switches the Owner sets, stored in ``settings``.

- ``require_totp_for_admins``: an Owner or Admin without a confirmed TOTP may sign in,
  but every action except enrolling one is refused until they have one.
- ``role_approval``: a role raised by an Admin stays pending until the Owner approves.
- ``strict_unlock``: only a user's password opens the workspace (no keyring slot). Not a
  setting in the database: the unlock mode lives in ``keyslots.json``, authenticated by
  the database key, because it must be known before the database can be opened
  (:class:`~desktop.core.services.policies.PolicyService` switches it).
"""

from __future__ import annotations

import enum

from desktop.core.errors import InputError
from desktop.core.ports import SettingsRepository


class Policy(enum.StrEnum):
    REQUIRE_TOTP_FOR_ADMINS = "require_totp_for_admins"
    ROLE_APPROVAL = "role_approval"
    STRICT_UNLOCK = "strict_unlock"


DESCRIPTIONS = {
    Policy.REQUIRE_TOTP_FOR_ADMINS: "Owner and Admins must sign in with a one-time code",
    Policy.ROLE_APPROVAL: "a role raised by an Admin waits for the Owner's approval",
    Policy.STRICT_UNLOCK: "only a user's own password opens the workspace (no keyring key)",
}
_PREFIX = "policy."


def policy_on(settings: SettingsRepository, policy: Policy) -> bool:
    return settings.get(_PREFIX + policy.value) == "on"


def set_policy(settings: SettingsRepository, policy: Policy, on: bool) -> None:
    settings.set(_PREFIX + policy.value, "on" if on else "off")


def parse_policy(name: str) -> Policy:
    try:
        return Policy(name.strip().replace("-", "_").lower())
    except ValueError:
        known = ", ".join(p.value.replace("_", "-") for p in Policy)
        raise InputError("workspace.unknown_policy", name=name, known=known) from None
