"""The audit bundle verifier that Kura ships to auditors, inside every bundle.

``bundle_verify.py`` is copied byte for byte into each bundle as ``verify_bundle.py``
and run there with a stock ``python3``: it imports the standard library only and
nothing from ``desktop`` (an import-linter contract holds this). It is the one owner of
the audit chain's hash functions; ``desktop.core.audit`` imports them from here.
"""
