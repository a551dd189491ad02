"""Adapters for internal OpenAI-compatible inference servers (``/v1/chat/completions``
with server-sent events, ``/v1/embeddings``), over the standard library's
``http.client`` and ``ssl``.

Why the standard library: Kura must connect to the exact (ip, port) it pinned at
registration while TLS checks the certificate against the host name or a pinned
SHA-256, and no name may be looked up on the way. ``http.client`` lets one ``connect``
override do all three in a few lines (``HTTPConnection`` never resolves a name when
``connect`` is ours), it handles chunked transfer encoding for the event stream, and it
adds no dependency to a package that ships to air-gapped machines.
"""
