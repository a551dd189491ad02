"""Japanese addresses, as one span from the prefecture (or the city) to the block number:
東京都千代田区丸の内1-2-3, 名古屋市中村区名駅四丁目7番1号."""

from __future__ import annotations

from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer

from desktop.core.pii import PiiType
from desktop.pii.numbers import LANG

_PREFECTURES = (
    "北海道|青森県|岩手県|宮城県|秋田県|山形県|福島県|茨城県|栃木県|群馬県|埼玉県|千葉県|東京都|"
    "神奈川県|新潟県|富山県|石川県|福井県|山梨県|長野県|岐阜県|静岡県|愛知県|三重県|滋賀県|京都府|"
    "大阪府|兵庫県|奈良県|和歌山県|鳥取県|島根県|岡山県|広島県|山口県|徳島県|香川県|愛媛県|高知県|"
    "福岡県|佐賀県|長崎県|熊本県|大分県|宮崎県|鹿児島県|沖縄県"
)
# A place name's characters: kanji, katakana, and hiragana but the particles that join a
# sentence (東京都では…, 大阪府で2-3人 is no address; 丸の内, みなとみらい are).
_NAME = r"(?:[一-龥々ヶケヵァ-ヶー]|(?![はがをでにへもや])[ぁ-ん])"
_MUNICIPALITY = rf"(?:{_NAME}{{1,8}}?[市区町村郡])"
_DIGIT = r"[0-9０-９一二三四五六七八九十]"
# The block number: 4-7-1, 4丁目7番1号, 4丁目7-1, 12番地, with an optional 号室 etc.
_SEP = r"(?:丁目|番地|番|号|条|線|[-－‐ー−の])"
_BLOCK = rf"{_DIGIT}+{_SEP}(?:{_NAME}{{0,3}}?{_DIGIT}+{_SEP}?)*"
_TOWN = rf"{_NAME}{{0,10}}?"


class JapaneseAddressRecognizer(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entity=PiiType.ADDRESS.value,
            patterns=[
                Pattern(
                    "jp_address_prefecture",
                    rf"(?:{_PREFECTURES})\s?{_MUNICIPALITY}{{0,3}}{_TOWN}{_BLOCK}",
                    0.85,
                ),
                # The lookahead only says what the pattern implies (a 市区町村郡 within 8
                # characters) so that the engine skips the starts that cannot match
                # quickly: half the recognizer's time on Japanese prose.
                Pattern(
                    "jp_address_city",
                    rf"(?=.{{1,8}}?[市区町村郡]){_MUNICIPALITY}{{1,3}}{_TOWN}{_BLOCK}",
                    0.6,
                ),
            ],
            supported_language=LANG,
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None, regex_flags: Any = None
    ) -> list[Any]:
        found = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for r in found:  # a trailing separator belongs to the next thing, not the address
            while r.end > r.start and text[r.end - 1] in "-－‐ー−の":
                r.end -= 1
        return found
