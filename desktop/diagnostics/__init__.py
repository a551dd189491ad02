"""Diagnostics: ``kura doctor`` and ``kura --self-test``, and the checks they share.

One module per check (libraries, keyring, the encrypted store, the model host,
knowledge, chat, bundle, network); :mod:`.doctor` and :mod:`.selftest` run them and
shape the report. Like every front end they reach the adapters only through the
composition root (:mod:`desktop.app`, :mod:`desktop.installation`): an import-linter
contract forbids this package any adapter import.
"""
