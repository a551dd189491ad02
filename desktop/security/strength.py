"""Password strength with zxcvbn's bundled frequency lists, the ``PasswordStrength`` port's
adapter.

zxcvbn estimates how many guesses an attacker who knows common passwords, words, names,
keyboard patterns, dates and the user's own name would need, entirely offline. A password
scoring below 3 of 4 (under about 10^10 guesses) is refused with a one-line reason taken
from zxcvbn's feedback.

Only the estimate looks at a shortened, normalised copy: the first 100 characters after
NFKC (zxcvbn slows down sharply on long inputs, and NFKC makes ``ｐａｓｓｗｏｒｄ`` typed in
full-width mode count as the common password it is). The password itself is never
truncated or changed.
"""

from __future__ import annotations

import inspect
import re
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

#: zxcvbn's score (0-4) a password needs to be accepted.
MIN_SCORE = 3
#: Characters the estimator sees; the first 100 already decide the score in practice.
ESTIMATE_CHARS = 100

REASON_COMMON = "it is one of the most common passwords"
REASON_NAME = "it is built from the user name or display name"
REASON_GUESSABLE = "it is easy to guess"
REASON_EMPTY = "it is empty"

#: zxcvbn keeps the user inputs in a module-level dictionary it replaces on every call,
#: so two estimates must not run at the same time.
_LOCK = threading.Lock()
_SEPARATORS = re.compile(r"[\W_]+")


def _user_words(user_inputs: Sequence[str]) -> list[str]:
    """The user inputs, each also split at separators and joined without them.

    ``Tanaka Hiroshi`` gives ``tanaka hiroshi``, ``tanaka``, ``hiroshi`` and
    ``tanakahiroshi``, so ``TanakaHiroshi1`` counts as built from the name.
    """
    words: list[str] = []
    for value in user_inputs:
        text = unicodedata.normalize("NFKC", value).casefold().strip()
        if not text:
            continue
        parts = [part for part in _SEPARATORS.split(text) if part]
        for word in (text, *parts, "".join(parts)):
            if len(word) >= 3 and word not in words:
                words.append(word)
    return words


def _sentence(message: str) -> str:
    """``This is a very common password.`` -> ``this is a very common password``."""
    message = message.strip().rstrip(".").strip()
    return message[:1].lower() + message[1:]


def _is_common(text: str, sequence: Sequence[Mapping[str, Any]]) -> bool:
    """True when the whole of ``text`` is one entry of zxcvbn's common-passwords list."""
    if len(sequence) != 1:
        return False
    match = sequence[0]
    return (
        match.get("pattern") == "dictionary"
        and match.get("dictionary_name") == "passwords"
        and not match.get("l33t")
        and not match.get("reversed")
        and match.get("token") == text
        and match.get("matched_word") == text.casefold()
    )


class ZxcvbnStrength:
    """Refuses passwords zxcvbn scores below :data:`MIN_SCORE`."""

    def __init__(self) -> None:
        self._estimate: Callable[..., dict[str, Any]] | None = None
        self._extra: dict[str, Any] = {}

    def _impl(self) -> Callable[..., dict[str, Any]]:
        if self._estimate is None:
            from zxcvbn import zxcvbn

            # zxcvbn 4.5 refuses inputs over ``max_length`` (72 by default); 4.4 has no limit.
            if "max_length" in inspect.signature(zxcvbn).parameters:
                self._extra = {"max_length": ESTIMATE_CHARS}
            self._estimate = zxcvbn
        return self._estimate

    def weakness(self, password: str, user_inputs: Sequence[str]) -> str | None:
        """None when the password is strong enough; otherwise a short, lower-case reason
        without a final period, e.g. "it is one of the most common passwords"."""
        text = unicodedata.normalize("NFKC", password)
        if not text:
            return REASON_EMPTY  # zxcvbn itself fails on an empty string
        sample = text[:ESTIMATE_CHARS]
        estimate = self._impl()
        with _LOCK:
            result = estimate(sample, user_inputs=_user_words(user_inputs), **self._extra)
        if result["score"] >= MIN_SCORE:
            return None
        if len(text) <= ESTIMATE_CHARS and _is_common(text, result.get("sequence", ())):
            return REASON_COMMON
        warning = _sentence(str(result.get("feedback", {}).get("warning") or ""))
        if warning:
            return warning
        if any(m.get("dictionary_name") == "user_inputs" for m in result.get("sequence", ())):
            return REASON_NAME
        return REASON_GUESSABLE
