"""Signs that a page is not an article: a video player, a paywall, an index of other stories."""

from __future__ import annotations

import re

from crawler.extraction.body import Block
from crawler.extraction.meta import ARTICLE_TYPES, INDEX_TYPES, Page
from crawler.extraction.text import norm_text, text_size

_PAYWALL = re.compile(
    r"subscribe (now |today )?to (continue|read|keep)|to continue reading|already a (subscriber"
    r"|member)|subscribers? only|for (paying )?subscribers|(sign|log) ?in to (continue|read|keep)"
    r"|create a free account|this (article|story|content) is (only )?(available|reserved) (to|for)"
    r"|premium (article|content|story)|unlock (this|the full)|start your (free )?trial|订阅后"
    r"|付费(阅读|内容|文章|用户)|登录后(阅读|查看|继续)|会员专享|開通會員|訂閱後|付費(閱讀|內容|文章)",
    re.I,
)
_PAYWALL_MARK = re.compile(r"wall|barrier|gate|subscri|premium|piano|locked|meter", re.I)
_PLAYER = re.compile(
    r"youtube\.com|youtu\.be|vimeo\.com|dailymotion|brightcove|jwplayer|jwplatform"
    r"|player|/video",
    re.I,
)
INDEX_LINKS = 15  # a page with this many headline links and little running text is an index
INDEX_RUNNING_WORDS = 100  # "little": fewer words in paragraphs of 20+ words and table rows


def has_player(page: Page) -> bool:
    """Whether the page embeds a video: a <video> element or a known player's frame."""
    if page.tree.find(".//video") is not None:
        return True
    return any(
        _PLAYER.search(el.get("src") or el.get("data-src") or "")
        for tag in ("iframe", "embed", "object")
        for el in page.tree.iter(tag)
    )


def paywalled(page: Page, text: str) -> bool:
    """Whether the body text or the page asks the reader to subscribe or log in."""
    return bool(_PAYWALL.search(text)) or _paywall_prompt(page)


def _paywall_prompt(page: Page) -> bool:
    if any(str(obj.get("isAccessibleForFree")).lower() == "false" for obj in page.ld):
        return True
    for el in page.tree.iter("div", "section", "aside", "p"):
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if _PAYWALL_MARK.search(marks) and _PAYWALL.search(el.text_content()[:2000]):
            return True
    return False


def looks_like_index(
    page: Page, blocks: list[Block], scale: int, kinds: set[str], anchors: set[str]
) -> bool:
    """Many links to other stories and little running text: a section or search page."""
    if kinds & INDEX_TYPES and not kinds & ARTICLE_TYPES:
        return True
    if page.meta.get("og:type", "").lower() == "article" or kinds & ARTICLE_TYPES:
        return False  # a page that says it is an article is taken at its word (a short list)
    cards = _card_texts(page)
    in_cards = sum(
        any(norm in card for card in cards) for norm in map(norm_text, (b.text for b in blocks))
    )
    if in_cards >= 3 and 2 * in_cards >= len(blocks):
        return True  # the body is story summaries, each in a card with its headline link
    sizes = ((text_size(b.text), b.kind == "row") for b in blocks)  # table rows are content too
    running = sum(n for n, row in sizes if row or n >= 20 * scale)
    return len(anchors) >= INDEX_LINKS and running < INDEX_RUNNING_WORDS * scale


# a story card: a small block (at most two paragraphs) led by a linked headline
_CARDS = (
    "//*[self::li or self::div or self::article][count(.//p) <= 2]"
    "[*[self::h2 or self::h3 or self::h4][.//a[@href]] or a[@href][.//h2 or .//h3 or .//h4]]"
)


def _card_texts(page: Page) -> list[str]:
    """Normalised texts of the page's story cards."""
    return [norm_text(card.text_content()) for card in page.tree.xpath(_CARDS)]
