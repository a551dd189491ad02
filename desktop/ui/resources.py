"""Where the icons and translations are, found through importlib.resources.

A build (PyInstaller, or a wheel) carries them as ``desktop/resources``; in a checkout
they are the top-level ``resources/`` folder beside the package (DESIGN.md layout).
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def resource_root() -> Path:
    package = Path(str(importlib.resources.files("desktop")))
    packaged = package / "resources"
    if packaged.is_dir():
        return packaged
    return package.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)
