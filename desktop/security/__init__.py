"""Security adapters: OS keyring key store, key slots, recovery keys, password hashing,
the network guard (and, alongside, the audit chain, signing and bundle export).

Modules import ``desktop.core`` and nothing else from ``desktop``; heavy libraries
(keyring, cryptography, argon2) are imported lazily inside the functions that use them.
Import what you need from its module, e.g. ``from desktop.security.keyslots import
WorkspaceKeys``.
"""
