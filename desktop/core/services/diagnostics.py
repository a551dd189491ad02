"""System checks of an open workspace, for ``kura doctor`` and ``kura --self-test``.

No user acts here: the doctor runs before anyone signs in, and the self-test checks the
throwaway workspace it made. Every method reads facts (never a secret) and changes
nothing, so none goes through the permission primitive; each is listed, with that
reason, in the test that holds every other service method to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from desktop.core.audit import ChainReport
from desktop.core.keyring_items import all_items
from desktop.core.ports import Store
from desktop.core.services.base import no_actor


class CheckableStore(Store, Protocol):
    def verify_audit(self) -> ChainReport: ...


class DiagnosticsService:
    """``expected_recipe`` maps each asserted pragma to the value it must read back."""

    def __init__(self, store: CheckableStore, expected_recipe: Mapping[str, str]) -> None:
        self._store = store
        self._expected = dict(expected_recipe)

    @no_actor("a system check: kura doctor runs before any sign-in")
    def recipe(self) -> dict[str, str]:
        """The connection settings and versions as the database reads them back now."""
        return self._store.recipe()

    @no_actor("a system check: kura doctor runs before any sign-in")
    def recipe_problems(self, found: Mapping[str, str] | None = None) -> list[str]:
        """Each asserted setting that does not read back as expected, and a driver that
        is not SQLCipher 4; empty when the recipe is in force."""
        found = self.recipe() if found is None else found
        wrong = [
            f"{name}={found.get(name)!r} (expected {value!r})"
            for name, value in self._expected.items()
            if str(found.get(name, "")).lower() != value
        ]
        if not str(found.get("cipher_version", "")).startswith("4."):
            wrong.append(f"cipher_version={found.get('cipher_version')!r} (SQLCipher 4 needed)")
        return wrong

    @no_actor("a system check: kura doctor runs before any sign-in")
    def integrity_problems(self) -> list[str]:
        """SQLCipher's and SQLite's integrity checks; empty when the file is sound."""
        return self._store.integrity_check()

    @no_actor("a system check: kura doctor runs before any sign-in")
    def audit_chain(self) -> ChainReport:
        """Re-derive every hash of the audit chain."""
        return self._store.verify_audit()

    @no_actor("names only, for the self-test's cleanup")
    def keyring_items(self) -> list[str]:
        """Every OS keyring item this workspace uses: its slot items and the seed of
        each signing key (names only, for a cleanup that must leave none behind)."""
        with self._store.transaction() as tx:
            workspace_id = tx.settings.get("workspace_id") or ""
            key_ids = [int(k["id"]) for k in tx.review.signing_keys()]
            refs = [
                m.endpoint.key_ref for m in tx.models.list() if m.endpoint and m.endpoint.key_ref
            ]
        return all_items(workspace_id, key_ids, refs)
