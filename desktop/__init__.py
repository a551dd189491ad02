"""Kura: encrypted, offline chat apps and knowledge bases."""

__version__ = "0.1.0"
