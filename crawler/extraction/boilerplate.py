"""Cleaning the body: repeated headlines, boilerplate lines (BOILERPLATE_RULES), trailing heads."""

from __future__ import annotations

import re

from crawler.extraction.body import Block
from crawler.extraction.meta import Page, h1_text
from crawler.extraction.text import norm_text, text_size

BOILERPLATE_WORDS = 40  # lines up to this long are checked against the boilerplate rules

# Lines trafilatura keeps that are not the article: each rule applies to short lines only
# (at most 40 words), and is named so that its effect on the benchmark can be measured.
BOILERPLATE_RULES: dict[str, re.Pattern[str]] = {
    "section label": re.compile(
        r"^(related|read more|read also|also read|more|see more|see also|watch|listen|recommended"
        r"|don'?t miss|trending|most (read|popular)|top stories|you (may|might) also like|tags?"
        r"|further reading|more from [^:]{1,40})\b\s*(articles?|stories|coverage|content|news"
        r"|links?|reading|videos?)?\s*([:：»>|]|\W*$)",
        re.I,
    ),
    "advertisement": re.compile(
        r"^(advertisement|advertising|sponsored( content)?|ad|广告|廣告)$", re.I
    ),
    "newsletter": re.compile(
        r"(sign up|subscribe|inbox|delivered|get)\b.{0,80}\bnewsletter"
        r"|newsletter.{0,80}\b(sign up|subscribe|inbox)|^(subscribe|订阅|訂閱)\b",
        re.I,
    ),
    "promotion": re.compile(
        r"^(?=.*(£|\$|€|\brs\.?|₹|¥)\s?\d)(?=.*(subscri|issues for|use the code"
        r"|promo code|free trial|click here|sign up))",
        re.I,
    ),
    "social": re.compile(
        r"follow (us|him|her|them|@\w+) (on|at) (twitter|facebook|instagram)"
        r"|^(follow|reach|visit|read|see|watch|listen|download|find)\b.{0,150}"
        r"(https?://|www\.)",
        re.I,
    ),
    "share and comments": re.compile(
        r"^(share|share this( article| story)?|share on \w+|tweet|e-?mail|print|comments?"
        r"|\d+ comments?|leave a (comment|reply)|tell us what you think.*"
        r"|join the (conversation|discussion).*)$",
        re.I,
    ),
    "copyright": re.compile(
        r"©|\(c\) \d{4}|copyright \d{4}|all rights reserved|版权所有|版權所有"
        r"|未经授权|未經授權",
        re.I,
    ),
    "cookies": re.compile(
        r"\b(we|site|website|this site) uses? cookies|cookie (policy|settings|preferences|consent)"
        r"|accept (all )?cookies|使用cookie",
        re.I,
    ),
    "credits": re.compile(
        r"^\(?(additional )?(reporting|writing|editing|compiled|edited) by\b"
        r"|contributed (to )?this report\.?\)?$",
        re.I,
    ),
    "timestamp": re.compile(
        # a date-and-time line that is not a sentence (no sentence break, no final full stop)
        r"^(?=.{0,120}$)(?=.*(?<!\d)(19|20)\d\d(?!\d))(?=.*(?<!\d)\d{1,2}[:h]\d\d(?!\d))"
        r"(?!.*(?-i:[a-z]{3}[.!?]\s+[A-Z]))(?!.*\w{3}[.!?][\"”’]?$)"
        r"|^(updated|last updated|published|posted)\b"
        r"[\w ,.:]{0,40}\d{1,2}[:.]\d\d\s*([ap]\.?m\.?)?\s*\w{0,4}\.?$",
        re.I,
    ),
    "chinese furniture": re.compile(
        r"^(相关(阅读|新闻|文章|报道|链接)|相關(閱讀|新聞|文章|報導)|延伸阅读|延伸閱讀|推荐阅读"
        r"|推薦閱讀|热门推荐|更多精彩|猜你喜欢|责任编辑|責任編輯|编辑\s*[:：]|來源\s*[:：]"
        r"|来源\s*[:：]|原标题\s*[:：]|本文来源|扫描二维码|关注我们|分享到|免责声明|免責聲明"
        r"|标签\s*[:：]|標籤\s*[:：]|关键词\s*[:：]|關鍵詞\s*[:：])"
    ),
}


def _is_boilerplate(block: Block) -> bool:
    if block.teaser:
        return True  # the text of a link to another page: a related-story teaser
    return text_size(block.text) <= BOILERPLATE_WORDS and any(
        rule.search(block.text) for rule in BOILERPLATE_RULES.values()
    )


def clean_blocks(blocks: list[Block], page: Page, title: str | None) -> list[Block]:
    """Drop repeated headlines, boilerplate lines and trailing headings."""
    headlines = {norm_text(t) for t in (title, page.meta.get("og:title"), h1_text(page)) if t}
    standfirst = norm_text(page.meta.get("og:description") or page.meta.get("description") or "")
    kept: list[Block] = []
    for block in blocks:
        norm = norm_text(block.text)
        leading = len(kept) < 3 and all(text_size(b.text) < 15 for b in kept)
        if norm in headlines or leading and block.kind == "head" and norm == standfirst:
            continue
        if not _is_boilerplate(block):
            kept.append(block)
    while kept and kept[-1].kind == "head":
        kept.pop()  # a heading with nothing under it introduces something that was dropped
    return kept
