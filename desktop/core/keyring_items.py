"""The names of the OS keyring items a workspace uses: the one place that spells them.

A workspace keeps two kinds of secret in the keyring: the wrapping key of its keyring
slot (two names that alternate, so a rotation never overwrites the item in use) and the
seed of each audit signing key. The key slots, the log service, the self-test's cleanup
and the tests all take the names from here.
"""

from __future__ import annotations

from collections.abc import Iterable


def workspace_key_items(workspace_id: str) -> tuple[str, str]:
    """The two keyring items a workspace's keyring slots may use (they alternate)."""
    return f"workspace:{workspace_id}", f"workspace:{workspace_id}:2"


def signing_key_item(workspace_id: str, key_id: int) -> str:
    """The keyring item holding the seed of audit signing key ``key_id``."""
    return f"workspace:{workspace_id}:signing:{key_id}"


def endpoint_key_item(workspace_id: str, key_ref: str) -> str:
    """The keyring item holding the API key of a remote model (``key_ref`` is random)."""
    return f"workspace:{workspace_id}:endpoint:{key_ref}"


def exchange_key_item(workspace_id: str) -> str:
    """The keyring item holding the age X25519 identity knowledge-base packages are
    encrypted to (made on first use)."""
    return f"workspace:{workspace_id}:exchange"


def all_items(
    workspace_id: str, signing_key_ids: Iterable[int], endpoint_key_refs: Iterable[str] = ()
) -> list[str]:
    """Every keyring item of a workspace whose signing keys are ``signing_key_ids`` and
    whose remote models' API keys are ``endpoint_key_refs``."""
    return [
        *workspace_key_items(workspace_id),
        *(signing_key_item(workspace_id, key_id) for key_id in signing_key_ids),
        *(endpoint_key_item(workspace_id, ref) for ref in endpoint_key_refs),
        exchange_key_item(workspace_id),
    ]
