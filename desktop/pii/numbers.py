"""Recognizers for the numbers and codes: each one validated (check digits, Luhn,
``phonenumbers``, ``ipaddress``), so a number that fails its check is never reported."""

from __future__ import annotations

import re
from typing import Any

import regex
from presidio_analyzer import Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IpRecognizer,
    PhoneRecognizer,
)
from stdnum.jp import cn as corporate_number
from stdnum.jp import in_ as individual_number
from tldextract import TLDExtract

from desktop.core.pii import PiiType

LANG = "ja"  # one pipeline (GiNZA) reads Japanese and English text alike
#: Words shortly before a number that say it is some other kind of number (an order, a
#: ticket, an account): a 12- or 13-digit id passes a check digit one time in ten.
_OTHER_NUMBER = re.compile(
    r"(注文|受注|発注|伝票|受付|問い?合わせ|管理|会員|顧客|口座|請求書|見積|製品|型番|シリアル|"
    r"追跡|品番|order|invoice|ticket|tracking|account|serial|ref(?:erence)?|sku|id\b)",
    re.IGNORECASE,
)
#: A number starts and ends where no digit group joins it (so 12 of a card's 16 digits
#: are not a My Number).
_START = r"(?<![\d-])(?<!\d[ -])"
_END = r"(?![\d-])(?![ -]\d)"
_CONTEXT_WINDOW = 12  # characters before a match that its context words are looked for in


def words_before(text: str, start: int, window: int = _CONTEXT_WINDOW) -> str:
    return text[max(0, start - window) : start]


class _DigitsRecognizer(PatternRecognizer):
    """A run of digits (spaces or hyphens between groups allowed) kept when it passes
    ``valid`` and no words shortly before it name another kind of number."""

    def __init__(self, entity: PiiType, regex: str, score: float, context: list[str]) -> None:
        super().__init__(
            supported_entity=entity.value,
            patterns=[Pattern(entity.value.lower(), regex, score)],
            context=context,
            supported_language=LANG,
        )

    def valid(self, digits: str) -> bool:
        raise NotImplementedError

    def validate_result(self, pattern_text: str) -> bool:
        return self.valid(re.sub(r"[\s-]", "", pattern_text))

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None, regex_flags: Any = None
    ) -> list[Any]:
        found = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in found if not _OTHER_NUMBER.search(words_before(text, r.start))]


class MyNumberRecognizer(_DigitsRecognizer):
    """マイナンバー (個人番号): 12 digits, the last a check digit."""

    def __init__(self) -> None:
        super().__init__(
            PiiType.MY_NUMBER,
            rf"{_START}\d{{4}}[ -]?\d{{4}}[ -]?\d{{4}}{_END}",
            0.6,
            ["マイナンバー", "個人番号", "my number", "individual number"],
        )

    def valid(self, digits: str) -> bool:
        return bool(individual_number.is_valid(digits))


class CorporateNumberRecognizer(_DigitsRecognizer):
    """法人番号: 13 digits, the first a check digit."""

    def __init__(self) -> None:
        super().__init__(
            PiiType.CORPORATE_NUMBER,
            rf"{_START}(?:\d{{13}}|\d-?\d{{4}}-?\d{{4}}-?\d{{4}}){_END}",
            0.6,
            ["法人番号", "corporate number"],
        )

    def valid(self, digits: str) -> bool:
        return bool(corporate_number.is_valid(digits))


class PostalCodeRecognizer(PatternRecognizer):
    """〒123-4567 on its own; a bare 123-4567 only with a postal word shortly before it
    (郵便番号, ZIP, …) or an address right after it."""

    _BARE_CONTEXT = re.compile(r"(郵便|〒|postal|zip|post\s*code|住所|所在地|送付先|宛先)", re.I)
    _ADDRESS_AFTER = re.compile(r"\s*(北海道|東京都|京都府|大阪府|\S{2,3}県)")

    def __init__(self) -> None:
        super().__init__(
            supported_entity=PiiType.POSTAL_CODE.value,
            patterns=[
                Pattern("postal_mark", r"〒\s?\d{3}[-－]?\d{4}(?!\d)", 0.9),
                Pattern("postal_bare", r"(?<![\d-])\d{3}-\d{4}(?![\d-])", 0.3),
            ],
            supported_language=LANG,
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None, regex_flags: Any = None
    ) -> list[Any]:
        kept = []
        for r in super().analyze(text, entities, nlp_artifacts, regex_flags):
            if text[r.start] != "〒":
                before = words_before(text, r.start, 16)
                if not (
                    self._BARE_CONTEXT.search(before) or self._ADDRESS_AFTER.match(text, r.end)
                ):
                    continue
                r.score = 0.8
            kept.append(r)
        return kept


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer with a top-level-domain check that uses the public
    suffix list shipped inside ``tldextract``: it never fetches the list nor writes a
    cache file."""

    EXTRACT = TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)

    def validate_result(self, pattern_text: str) -> bool:
        return bool(self.EXTRACT(pattern_text).fqdn)


class ValidPhoneRecognizer(PhoneRecognizer):
    """Presidio's recognizer on ``phonenumbers`` (Japanese landline, mobile, +81 and
    international forms): it keeps only numbers valid in their numbering plan, so such a
    finding needs no context word."""

    SCORE = 0.7
    #: Each region is one more scan of the text; "+" numbers of any country parse in
    #: each, so the others are here for their national forms only.
    REGIONS = ("JP", "US", "GB")
    _EDGE = "+0123456789０１２３４５６７８９＋"
    #: A number written without "+" or a leading 0 (a US-style 415-555-2671, or an id
    #: like 240517-0093 that happens to fit a plan) counts only after a phone word.
    _PHONE_WORDS = re.compile(r"(電話|携帯|連絡|tel|phone|call|mobile|cell|fax)", re.I)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        """``phonenumbers`` counts brackets as part of a number ("（090-…"): a span
        starts at its "+" or first digit and ends at its last digit."""
        found = super().analyze(text, entities, nlp_artifacts)
        for r in found:
            while r.start < r.end and text[r.start] not in self._EDGE:
                r.start += 1
            while r.end > r.start and not text[r.end - 1].isdigit():
                r.end -= 1
        return [
            r
            for r in found
            if r.end > r.start
            and (
                text[r.start] in "+＋0０"
                or self._PHONE_WORDS.search(words_before(text, r.start, 20))
            )
        ]


#: Presidio's patterns use ``\b`` and ``\w``; in Unicode mode a kana or kanji is a word
#: character, so "は10.0.0.1で" would have no boundary and "はa@b.jpまで" would swallow
#: Japanese into the address. ASCII mode makes them mean what they mean in English text.
ASCII_FLAGS = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE | regex.ASCII


def number_recognizers() -> list[Any]:
    recognizers: list[Any] = [
        MyNumberRecognizer(),
        CorporateNumberRecognizer(),
        CreditCardRecognizer(supported_language=LANG),
        PostalCodeRecognizer(),
        OfflineEmailRecognizer(supported_language=LANG),
        IpRecognizer(supported_language=LANG),
        ValidPhoneRecognizer(
            supported_language=LANG, supported_regions=ValidPhoneRecognizer.REGIONS
        ),
    ]
    for recognizer in recognizers:
        recognizer.global_regex_flags = ASCII_FLAGS
    return recognizers
