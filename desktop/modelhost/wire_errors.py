"""How an error crosses the model host's wire: its class, catalogue code and
parameters, so the words are looked up in Kura's process, in its user's language.

The child encodes (:func:`encode_error`); Kura's process decodes (:func:`decode_error`)
into the same class with the same code and parameters. ``Term`` parameters travel as
``{"term": code}`` and errors inside errors as ``{"error": ...}``; user data as it is.
"""

from __future__ import annotations

from typing import Any

from desktop.core.errors import (
    AppError,
    Cancelled,
    ContextOverflow,
    EmbeddingFailed,
    GenerationFailed,
    InputError,
    ModelLoadFailed,
    ModelNotFound,
    ModelProcessStopped,
    RerankFailed,
    TemplateError,
)
from desktop.core.messages import Term
from desktop.core.messages.catalogue import CATALOGUE

#: Errors the host may send back by name; anything else arrives as GenerationFailed.
_ERRORS: dict[str, type[AppError]] = {
    cls.__name__: cls
    for cls in (
        Cancelled,
        ContextOverflow,
        EmbeddingFailed,
        GenerationFailed,
        InputError,
        ModelLoadFailed,
        ModelNotFound,
        ModelProcessStopped,
        RerankFailed,
        TemplateError,
    )
}
#: Keyword arguments of the error classes, never parameters of a message.
_RESERVED = frozenset({"details", "help_topic", "signal_name"})
#: How deep errors inside errors are rebuilt (deeper ones arrive as their text).
_MAX_NESTING = 4


def encode_error(exc: AppError) -> dict[str, Any]:
    """An error as it crosses the wire: its class, code and parameters (the words are
    looked up in Kura's process, in its user's language), the English message for logs."""
    return {
        "type": type(exc).__name__,
        "code": exc.code,
        "params": {key: _param(value) for key, value in exc.params.items()},
        "message": exc.message,
        "details": exc.details[:4000],
        "signal_name": getattr(exc, "signal_name", None),
        "help_topic": exc.help_topic,
    }


def _param(value: Any) -> Any:
    """A parameter as JSON: a Term as {"term": code}, an error as {"error": ...} (both
    rebuilt on Kura's side, so they render in its language), user data as it is."""
    if isinstance(value, Term):
        return {"term": value.code}
    if isinstance(value, AppError):
        return {"error": encode_error(value)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def decode_error(error: dict[str, Any], depth: int = 0) -> AppError:
    """The error the host sent (:func:`encode_error`), as the host raised it: same class,
    code and parameters, so it renders in this process's language. A code this Kura
    does not know arrives as "the model process failed", its message in the details."""
    cls = _ERRORS.get(str(error.get("type")), GenerationFailed)
    code, params = error.get("code"), error.get("params")
    details = str(error.get("details") or "")
    if not isinstance(code, str) or code not in CATALOGUE or not isinstance(params, dict):
        details = f"{error.get('message')!s}\n{details}".strip()
        code, params = "models.host_failed", {}
    values = {
        key: _unparam(value, depth)
        for key, value in params.items()
        if isinstance(key, str) and key.isidentifier() and key not in _RESERVED
    }
    kwargs: dict[str, Any] = {}
    if cls is not Cancelled:  # Cancelled takes its code and parameters only
        kwargs["details"] = details
        topic = error.get("help_topic")
        kwargs["help_topic"] = topic if isinstance(topic, str) else None
    if issubclass(cls, ModelProcessStopped):
        signal_name = error.get("signal_name")
        kwargs["signal_name"] = signal_name if isinstance(signal_name, str) else None
    return cls(code, **kwargs, **values)


def _unparam(value: Any, depth: int) -> Any:
    """A parameter off the wire (:func:`_param`): Terms and errors rebuilt, so they
    render in this process's language too."""
    if isinstance(value, dict):
        term, nested = value.get("term"), value.get("error")
        if isinstance(term, str) and term in CATALOGUE:
            return Term(term)
        if isinstance(nested, dict) and depth < _MAX_NESTING:
            return decode_error(nested, depth + 1)
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
