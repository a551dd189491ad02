"""Password strength with zxcvbn's bundled frequency lists, the ``PasswordStrength`` port's
adapter.

zxcvbn estimates how many guesses an attacker who knows common passwords, words, names,
keyboard patterns, dates and the user's own name would need, entirely offline. A password
scoring below 3 of 4 (under about 10^10 guesses) is refused with a reason taken from
zxcvbn's feedback: the catalogue code of a phrase Kura words in English and Japanese
(zxcvbn's own warnings are English only, and a finite set; an unknown one reads as
"easy to guess").

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

REASON_COMMON = "accounts.weak.common"
REASON_NAME = "accounts.weak.name"
REASON_GUESSABLE = "accounts.weak.guessable"
REASON_EMPTY = "accounts.weak.empty"

#: zxcvbn's warnings (its feedback.py) -> the catalogue's words for them.
WARNINGS: dict[str, str] = {
    "Straight rows of keys are easy to guess.": "accounts.weak.keyboard_row",
    "Short keyboard patterns are easy to guess.": "accounts.weak.keyboard_pattern",
    'Repeats like "aaa" are easy to guess.': "accounts.weak.repeats",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': (
        "accounts.weak.repeated_words"
    ),
    'Sequences like "abc" or "6543" are easy to guess.': "accounts.weak.sequence",
    "Recent years are easy to guess.": "accounts.weak.recent_year",
    "Dates are often easy to guess.": "accounts.weak.date",
    "This is a top-10 common password.": "accounts.weak.top10",
    "This is a top-100 common password.": "accounts.weak.top100",
    "This is a very common password.": "accounts.weak.very_common",
    "This is similar to a commonly used password.": "accounts.weak.similar_common",
    "A word by itself is easy to guess.": "accounts.weak.single_word",
    "Names and surnames by themselves are easy to guess.": "accounts.weak.names",
    "Common names and surnames are easy to guess.": "accounts.weak.common_names",
}

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
        """None when the password is strong enough; otherwise the catalogue code of the
        reason, e.g. ``accounts.weak.common`` ("it is one of the most common passwords")."""
        return self.assess(password, user_inputs)[1]

    def assess(self, password: str, user_inputs: Sequence[str]) -> tuple[int, str | None]:
        """zxcvbn's score (0-4, for a strength meter) and :meth:`weakness`'s verdict."""
        text = unicodedata.normalize("NFKC", password)
        if not text:
            return 0, REASON_EMPTY  # zxcvbn itself fails on an empty string
        sample = text[:ESTIMATE_CHARS]
        estimate = self._impl()
        with _LOCK:
            result = estimate(sample, user_inputs=_user_words(user_inputs), **self._extra)
        score = int(result["score"])
        if score >= MIN_SCORE:
            return score, None
        if len(text) <= ESTIMATE_CHARS and _is_common(text, result.get("sequence", ())):
            return score, REASON_COMMON
        warning = str(result.get("feedback", {}).get("warning") or "").strip()
        if warning:
            return score, WARNINGS.get(warning, REASON_GUESSABLE)
        if any(m.get("dictionary_name") == "user_inputs" for m in result.get("sequence", ())):
            return score, REASON_NAME
        return score, REASON_GUESSABLE
