"""What the checks share: how a step fails or is skipped, and one-line text."""

from __future__ import annotations

import warnings
from importlib import metadata
from typing import Any

#: What a self-test step returns: its one-line detail and the data of the JSON report.
StepOutcome = tuple[str, dict[str, Any]]


class StepFailed(Exception):
    """A check did not pass; the message is the one-line reason."""


class Skipped(Exception):
    """The step does not apply to this run; the message says why."""


def one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def distribution_version(dist: str) -> str | None:
    """The installed version of distribution ``dist``, or None."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def module_version(module: Any, dist: str) -> str:
    """``dist``'s version, else the module's ``__version__``, else ``?``."""
    found = distribution_version(dist)
    if found is not None:
        return found
    with warnings.catch_warnings():  # some packages deprecate __version__
        warnings.simplefilter("ignore")
        attr = getattr(module, "__version__", None)
    return str(attr) if attr else "?"
