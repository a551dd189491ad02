"""Personal-data detection: Presidio's analyzer with recognizers of Kura's own, GiNZA
(spaCy + SudachiPy) for Japanese names, ``phonenumbers`` for telephone numbers and
``python-stdnum`` for the Japanese check digits.

An adapter behind :class:`desktop.core.ports.pii.PiiDetector`; imported only inside the
model host (``pii.detect``), never in Kura's own process (an import contract says so).
"""

import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager


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


@contextmanager
def _without(names: tuple[str, ...]) -> Iterator[None]:
    """While the block runs, importing one of ``names`` raises ImportError (Python's
    ``sys.modules[name] = None``), unless the process has already imported it; after
    it, they import as usual."""
    blocked = [name for name in names if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


#: Torch and Transformers, which detection never uses: Presidio's device detection
#: imports torch when its package is imported, its Transformers engine imports
#: Transformers (and so torch), and spaCy's thinc imports torch to offer its torch
#: layers. Each treats an ImportError as "not installed", which is what the detector
#: needs; imported anyway they cost the model host seconds of start and hundreds of MiB.
_UNUSED = ("torch", "transformers")


def _import_presidio_without_torch() -> None:
    with _without(_UNUSED):
        import presidio_analyzer  # noqa: F401
        import spacy  # noqa: F401
        import thinc.api  # noqa: F401


_import_urllib3_without_probe()
_import_presidio_without_torch()
