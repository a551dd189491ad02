"""Moved: the shipped verifier is :mod:`desktop.verifier.bundle_verify`.

Only the two names ``desktop.ui`` still imports from here remain, until the UI imports
them from ``desktop.verifier``; nothing else may use this module.
"""

from desktop.verifier.bundle_verify import key_fingerprint, parse_allowed_signers

__all__ = ["key_fingerprint", "parse_allowed_signers"]
