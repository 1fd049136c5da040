"""The page's language (declared, checked against the script of the text) and word counts."""

from __future__ import annotations

import re
from typing import Any

from crawler.extraction.meta import Page, ld_value
from crawler.extraction.text import CJK

_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# frequent characters written differently in traditional and simplified Chinese (same order)
_TRADITIONAL = set(
    "這們個說國來時為會學經對發與關開體現還點過動機長東業產實區將資當場間員問題進應變導"
    "總報電爭鐵銀貿價錢濟稅險證權務歲華灣龍門見議紀書號邊車馬億萬樣認讓頭聽寫買賣從無"
    "氣處際條計標習聯術據辦腦擊亞歐羅蘭線統織網絡傳達運環級組獎勞創設陽陰島廣"
)
_SIMPLIFIED = set(
    "这们个说国来时为会学经对发与关开体现还点过动机长东业产实区将资当场间员问题进应变导"
    "总报电争铁银贸价钱济税险证权务岁华湾龙门见议纪书号边车马亿万样认让头听写买卖从无"
    "气处际条计标习联术据办脑击亚欧罗兰线统织网络传达运环级组奖劳创设阳阴岛广"
)
_CJK_LANGS = {"zh", "zh-Hant", "ja", "ko"}
_ENGLISH = set(
    "the and of to in is that for on with as was by it said at from he she be are has "
    "have an this not but they his her".split()
)


def normalize_language(code: Any) -> str | None:
    """An ISO 639-1 code from a language tag; "zh" for simplified, "zh-Hant" for traditional."""
    if not isinstance(code, str):
        return None
    primary, _, rest = code.strip().replace("_", "-").lower().partition("-")
    if primary in ("zh", "yue", "cmn"):
        return "zh-Hant" if primary == "yue" or re.search(r"hant|tw|hk|mo", rest) else "zh"
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def page_language(page: Page, text: str) -> str | None:
    """The declared language, checked against the script of the text."""
    tags = (
        page.tree.get("lang"),
        page.tree.get("xml:lang"),
        page.meta.get("og:locale"),
        ld_value(page, "inLanguage"),
        page.meta.get("content-language"),
        page.meta.get("language"),
    )
    declared = next((code for tag in tags if (code := normalize_language(tag))), None)
    han, kana = len(CJK.findall(text)), len(_KANA.findall(text))
    hangul, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
    letters = han + kana + hangul + latin
    if letters < 20:
        return declared
    if kana > 0.05 * (han + kana) and han + kana > 0.3 * letters:
        return "ja"
    if hangul > 0.3 * letters:
        return "ko"
    if han > (0.1 if declared in _CJK_LANGS else 0.3) * letters:
        return _chinese_variant(text, declared)
    if declared in _CJK_LANGS or declared is None:
        return "en" if _looks_english(text) else None
    return declared


def _chinese_variant(text: str, declared: str | None) -> str:
    traditional = sum(map(_TRADITIONAL.__contains__, text))
    simplified = sum(map(_SIMPLIFIED.__contains__, text))
    if traditional == simplified:
        return "zh-Hant" if declared == "zh-Hant" else "zh"
    return "zh-Hant" if traditional > simplified else "zh"


def _looks_english(text: str) -> bool:
    words = re.findall(r"[a-z]+", text[:5000].lower())
    return len(words) >= 10 and sum(w in _ENGLISH for w in words) >= 0.12 * len(words)


_TOKEN = re.compile(r"\S*[^\W_]\S*")


COUNTED_IN_CHARACTERS = {"zh", "zh-Hant", "ja"}  # one "word" per CJK character, sizes x2


def count_words(text: str, language: str | None) -> int:
    """Words; for Chinese and Japanese, CJK characters plus latin words."""
    if language in COUNTED_IN_CHARACTERS:
        ideographs = CJK.findall(text) + _KANA.findall(text)
        rest = _KANA.sub(" ", CJK.sub(" ", text))
        return len(ideographs) + len(re.findall(r"[^\W_]+", rest))
    return len(_TOKEN.findall(text))
