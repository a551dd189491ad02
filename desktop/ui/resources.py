"""Where the icons and translations are: ``resources/`` beside the package in a
checkout, or inside the PyInstaller bundle when frozen."""

from __future__ import annotations

import importlib.resources
import sys
from pathlib import Path


def resource_root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    package = Path(str(importlib.resources.files("desktop")))
    return package.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)
