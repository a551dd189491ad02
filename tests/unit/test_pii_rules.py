"""The personal-data recognizers one by one, without the named-entity model: check
digits, Luhn, phone plans, postal codes and Japanese addresses, and the near-misses
(order numbers, dates, prices, failed check digits) that must not be reported. Names,
numbers and wordings are this test's own, not the dev set's."""

from __future__ import annotations

from importlib.util import find_spec

import pytest

if find_spec("presidio_analyzer") is None:  # found, not imported: desktop.pii imports it
    pytest.skip("presidio-analyzer is not installed", allow_module_level=True)

from stdnum.jp import cn, in_

from desktop.core.pii import PiiEntity, PiiType
from desktop.pii.detector import resolve
from desktop.pii.numbers import number_recognizers
from desktop.pii.people import dictionary_people, latin_people
from desktop.pii.places import JapaneseAddressRecognizer

MY_NUMBER = "52836194071" + in_.calc_check_digit("52836194071")
CORPORATE = cn.calc_check_digit("806124379051") + "806124379051"


def _wrong_check(number: str, position: int) -> str:
    digit = (int(number[position]) + 1) % 10
    return number[:position] + str(digit) + number[position + 1 :]


def found(text: str) -> list[tuple[str, str]]:
    results = []
    for recognizer in (*number_recognizers(), JapaneseAddressRecognizer()):
        for r in recognizer.analyze(text, recognizer.supported_entities, None):
            if r.score >= 0.5:
                results.append(PiiEntity(PiiType(r.entity_type), r.start, r.end, "", r.score))
    return [(e.type.value, text[e.start : e.end]) for e in resolve(results)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"個人番号：{MY_NUMBER}", [("MY_NUMBER", MY_NUMBER)]),
        (
            f"My number {MY_NUMBER[:4]} {MY_NUMBER[4:8]} {MY_NUMBER[8:]} on file",
            [("MY_NUMBER", f"{MY_NUMBER[:4]} {MY_NUMBER[4:8]} {MY_NUMBER[8:]}")],
        ),
        (f"取引先（法人番号{CORPORATE}）", [("CORPORATE_NUMBER", CORPORATE)]),
        ("お支払いはカード5555555555554444で", [("CREDIT_CARD", "5555555555554444")]),
        ("card: 4111 1111 1111 1111.", [("CREDIT_CARD", "4111 1111 1111 1111")]),
        ("電話は03-3581-4321まで", [("PHONE_NUMBER", "03-3581-4321")]),
        ("携帯（080-2468-1357）", [("PHONE_NUMBER", "080-2468-1357")]),
        ("call +81 90-8765-4321 today", [("PHONE_NUMBER", "+81 90-8765-4321")]),
        ("US office: +1 212-555-0199", [("PHONE_NUMBER", "+1 212-555-0199")]),
        ("フリーダイヤル0120-444-555へ", [("PHONE_NUMBER", "0120-444-555")]),
        ("連絡はhanako.y@mail.example.netまで", [("EMAIL_ADDRESS", "hanako.y@mail.example.net")]),
        ("接続元は192.168.10.201でした", [("IP_ADDRESS", "192.168.10.201")]),
        ("host 2001:db8::8a2e:370:7334 failed", [("IP_ADDRESS", "2001:db8::8a2e:370:7334")]),
        ("〒060-0001 札幌", [("POSTAL_CODE", "〒060-0001")]),
        ("郵便番号 530-0001 です", [("POSTAL_CODE", "530-0001")]),
        (
            "送り先 980-0021 宮城県仙台市青葉区中央3-2-1",
            [("POSTAL_CODE", "980-0021"), ("ADDRESS", "宮城県仙台市青葉区中央3-2-1")],
        ),
        ("本社は大阪市北区梅田三丁目1番3号にあります", [("ADDRESS", "大阪市北区梅田三丁目1番3号")]),
        (
            "北海道札幌市中央区北1条西2丁目1番地",
            [("ADDRESS", "北海道札幌市中央区北1条西2丁目1番地")],
        ),
        ("横浜市西区みなとみらい2-3-1の会場", [("ADDRESS", "横浜市西区みなとみらい2-3-1")]),
    ],
)
def test_pii_rule_finds_the_value_as_one_span(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        f"マイナンバー {_wrong_check(MY_NUMBER, 11)} は誤り",  # check digit fails
        f"法人番号 {_wrong_check(CORPORATE, 0)}",  # check digit fails
        "カード 4111-1111-1111-1112 は無効",  # Luhn fails
        f"注文番号 {MY_NUMBER} を発送しました",  # a valid check digit, but an order number
        f"order id {CORPORATE} shipped",
        "会議は2025-04-01に延期",  # a date
        "価格は¥1,280,000（税込）",  # a price
        "内線 1234-5678 へ",  # too short for any plan
        "伝票 240517-0093 を同封",  # fits a plan, but no leading 0, "+" or phone word
        "バージョン 3.12.4 を入れた",  # a version, not an IP address
        "整理券 530-0001 番をお持ちください",  # NNN-NNNN without postal context
        "東京都では2-3人が対象です",  # a prefecture, then a sentence
        "大阪府の人口は880万人",
        "売上は前年比12.5%増",
    ],
)
def test_pii_rule_ignores_near_miss(text: str) -> None:
    assert found(text) == []


def test_pii_overlap_keeps_the_more_specific_type() -> None:
    phone = PiiEntity(PiiType.PHONE_NUMBER, 0, 12, "", 0.7)
    number = PiiEntity(PiiType.MY_NUMBER, 0, 12, "", 0.6)
    person = PiiEntity(PiiType.PERSON, 20, 23, "", 0.85)
    address = PiiEntity(PiiType.ADDRESS, 14, 30, "", 0.6)
    assert resolve([phone, person, number, address]) == [number, address]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Please ask Margaret Holloway for the file.", ["Margaret Holloway"]),
        ("Signed: Dr. Kenji Watanabe", ["Kenji Watanabe"]),
        ("cc Thomas J. Reed and Anna Lindqvist", ["Thomas J. Reed", "Anna Lindqvist"]),
        ("The New York office opens on Monday.", []),
        ("Project Phoenix kicked off in April.", []),
    ],
)
def test_pii_latin_names(text: str, names: list[str]) -> None:
    assert [text[s:e] for s, e, _ in latin_people(text)] == names


class _Token:
    def __init__(self, text: str, tag: str, idx: int) -> None:
        self.text, self.tag_, self.idx = text, tag, idx


def _tokens(*parts: tuple[str, str]) -> list[_Token]:
    out, idx = [], 0
    for text, tag in parts:
        out.append(_Token(text, tag, idx))
        idx += len(text)
    return out


SURNAME, GIVEN, NAME = "名詞-固有名詞-人名-姓", "名詞-固有名詞-人名-名", "名詞-固有名詞-人名-一般"
SUFFIX, NOUN, PARTICLE = "接尾辞-名詞的-一般", "名詞-普通名詞-一般", "助詞-格助詞"


@pytest.mark.parametrize(
    ("parts", "spans"),
    [
        ([("岡田", SURNAME), ("直樹", GIVEN), ("が", PARTICLE)], [(0, 4, 0.85)]),
        ([("部長", NOUN), ("の", PARTICLE), ("岡田", SURNAME), ("様", SUFFIX)], [(3, 5, 0.7)]),
        ([("ケイト", NAME), ("・", "補助記号-一般"), ("ミラー", NAME)], [(0, 7, 0.6)]),
        ([("岡田", SURNAME), ("の", PARTICLE), ("意見", NOUN)], []),  # a surname alone
        ([("Smith", NAME), ("さん", SUFFIX)], []),  # Latin script: the name lists' part
    ],
)
def test_pii_dictionary_names_from_sudachi_tags(
    parts: list[tuple[str, str]], spans: list[tuple[int, int, float]]
) -> None:
    assert dictionary_people(_tokens(*parts)) == spans
