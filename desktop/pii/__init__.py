"""Personal-data detection: Presidio's analyzer with recognizers of Kura's own, GiNZA
(spaCy + SudachiPy) for Japanese names, ``phonenumbers`` for telephone numbers and
``python-stdnum`` for the Japanese check digits.

An adapter behind :class:`desktop.core.ports.pii.PiiDetector`; imported only inside the
model host (``pii.detect``), never in Kura's own process (an import contract says so).
"""

import socket
import sys


def _import_urllib3_without_probe() -> None:
    """Presidio imports tldextract, which imports requests and so urllib3, whose import
    binds a socket to ``::1`` to learn whether IPv6 works. Kura never uses the network
    (its guard refuses and records that bind), so urllib3 is imported with IPv6 off."""
    if "urllib3" in sys.modules:
        return
    saved = socket.has_ipv6
    socket.has_ipv6 = False
    try:
        import urllib3.util.connection  # noqa: F401
    finally:
        socket.has_ipv6 = saved


_import_urllib3_without_probe()
