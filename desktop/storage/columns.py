"""Helpers shared by the repositories: JSON columns and unique-name violations."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from desktop.core.audit import canonical_json
from desktop.core.errors import AlreadyExists, DatabaseCorrupt
from desktop.storage.dbapi import violates_constraint


def to_json(value: Any) -> str:
    """The canonical JSON text stored in a ``TEXT`` column."""
    return canonical_json(value).decode("utf-8")


def json_object(text: Any, where: str) -> dict[str, Any]:
    """Decode a JSON-object column; DatabaseCorrupt names ``where`` when it is not one."""
    try:
        value = json.loads(str(text))
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise DatabaseCorrupt("storage.not_a_json_object", where=where)
    return value


@contextmanager
def unique_name(taken: Callable[[], bool], error: AlreadyExists) -> Iterator[None]:
    """Turn a constraint violation inside the block into ``error``.

    The driver's code says only that *a* constraint failed (``sqlcipher3`` gives no
    extended code), so ``taken()`` is asked whether the name is really in use; any
    other violation propagates unchanged.
    """
    try:
        yield
    except Exception as exc:
        if not violates_constraint(exc) or not taken():
            raise
        raise error from exc
