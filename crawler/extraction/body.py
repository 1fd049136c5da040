"""The article body: trafilatura's paragraphs, twin containers it dropped, JSON-LD articleBody."""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import trafilatura
from lxml.html import HtmlElement

from crawler.extraction.meta import Page, h1_text, in_furniture, ld_value
from crawler.extraction.text import clean_text, norm_text, text_size

LOGGER = logging.getLogger(__name__)

MIN_WORDS = 50  # below this an extracted body is "too short" to be an article (x2 in CJK)
TEASER_WORDS = 30  # a link text this short, repeated as a body line, is a teaser


@dataclass(frozen=True)
class Block:
    """One paragraph-level piece of trafilatura's output."""

    kind: str  # p, head, item, row, quote ...
    text: str
    teaser: bool  # the line is the text of a link on the page, as in "related stories"


_BLOCK_TAGS = {"p", "head", "list", "table", "quote", "div", "code"}


def trafilatura_blocks(page: Page, anchors: set[str]) -> list[Block]:
    """trafilatura's body as blocks, on a copy of the page without nested story cards."""
    try:  # links are left out: include_links=True changes which text trafilatura picks
        doc = trafilatura.bare_extraction(
            _without_cards(page.tree),
            url=page.url or None,
            favor_precision=True,
            include_comments=False,
        )
    except Exception:  # trafilatura on a hostile tree: fall back to no body
        LOGGER.warning("trafilatura failed on %s", page.url, exc_info=True)
        return []
    body = getattr(doc, "body", None)
    if body is None:
        return []
    return [_block(kind, text, anchors) for kind, text in _children(body)]


def _block(kind: str, text: str, anchors: set[str]) -> Block:
    """A block, marked as a teaser when it repeats one of the page's headline links."""
    return Block(kind, text, text_size(text) <= TEASER_WORDS and _is_teaser(text, anchors))


_NESTED_ARTICLES = "//article[ancestor::article]"


def _without_cards(tree: HtmlElement) -> HtmlElement:
    """A copy without the small <article> cards (other stories) nested in the article."""
    if not tree.xpath(_NESTED_ARTICLES):
        return tree
    tree = copy.deepcopy(tree)
    sizes: dict[HtmlElement, int] = {}
    for card in tree.xpath(_NESTED_ARTICLES):
        outer = next(card.iterancestors("article"))
        if outer not in sizes:
            sizes[outer] = len(outer.text_content())
        if card.find(".//h1") is None and len(card.text_content()) < sizes[outer] / 2:
            card.drop_tree()
    return tree


def restore_chunks(page: Page, blocks: list[Block], anchors: set[str]) -> list[Block]:
    """Add paragraphs trafilatura dropped from twins of the body's container.

    Some pages split an article into several sibling containers of the same class (chunks
    between ads); trafilatura tends to keep the first. A twin is restored when it is near the
    body's container, outside page furniture, holds no headline of its own and carries at least
    two real paragraphs. Restored paragraphs take their place in document order.
    """
    main = _body_container(page, blocks)
    if main is None:
        return blocks
    have = {norm_text(block.text) for block in blocks}
    near = set(islice(main.iterancestors(), 4))
    extra: list[HtmlElement] = []
    for twin in page.tree.xpath("//*[@class=$cls]", cls=main.get("class")):
        if twin is main or near.isdisjoint(twin.iterancestors()) or twin.find(".//h1") is not None:
            continue
        new = [p for p in twin.iterchildren("p") if norm_text(p.text_content()) not in have]
        if sum(text_size(p.text_content()) >= 15 for p in new) >= 2 and not in_furniture(twin):
            extra += new
    if not extra:
        return blocks
    LOGGER.debug("restored %d paragraphs from twin containers", len(extra))
    order = {p: i for i, p in enumerate(page.tree.iter("p"))}
    traced = {norm_text(p.text_content()): i for p, i in order.items()}
    placed, last = [], -1
    for block in blocks:  # a block not traced to a <p> stays after the one before it
        last = traced.get(norm_text(block.text), last)
        placed.append((last, block))
    for p in extra:
        if text := " ".join(p.text_content().split()):
            placed.append((order[p], _block("p", text, anchors)))
    return [block for _, block in sorted(placed, key=lambda item: item[0])]


def _body_container(page: Page, blocks: list[Block]) -> HtmlElement | None:
    """The element (with a class) holding the body's two longest paragraphs, if one does."""
    longest = sorted((b.text for b in blocks if b.kind == "p"), key=len, reverse=True)[:2]
    parents = []
    for text in longest:
        found = page.tree.xpath("//p[contains(normalize-space(.), $start)]", start=text[:60])
        parents.append(found[0].getparent() if found else None)
    if len(parents) < 2:
        return None
    main, other = parents
    return main if main is other and main is not None and main.get("class") else None


def _element_blocks(el: Any) -> Iterator[tuple[str, str]]:
    """(kind, text) for each paragraph-level piece of trafilatura's XML, lines split at <lb>."""
    if el.tag == "list":
        for item in el.iterchildren("item"):
            yield from _lines(item, "item")
    elif el.tag == "table":
        for row in el.iter("row"):
            cells = (" ".join("".join(cell.itertext()).split()) for cell in row.iter("cell"))
            text = " | ".join(cell for cell in cells if cell)
            if text:
                yield "row", text
    elif any(child.tag in _BLOCK_TAGS for child in el):
        if el.text and el.text.strip():
            yield el.tag, " ".join(el.text.split())
        yield from _children(el)
    else:
        yield from _lines(el, el.tag)


def _children(el: Any) -> Iterator[tuple[str, str]]:
    for child in el:
        yield from _element_blocks(child)
        if child.tail and child.tail.strip():  # loose text between blocks is a paragraph too
            yield "p", " ".join(child.tail.split())


def _lines(el: Any, kind: str) -> Iterator[tuple[str, str]]:
    for line in "".join(_pieces(el)).split("\0"):
        text = " ".join(line.split())
        if text:
            yield kind, text


def _pieces(el: Any) -> Iterator[str]:
    """The element's text in document order, with NUL where a line break <lb/> stands."""
    yield el.text or ""
    for child in el:
        yield "\0" if child.tag == "lb" else ""
        yield from _pieces(child)
        yield child.tail or ""


def anchor_texts(tree: HtmlElement) -> set[str]:
    """Normalised texts of the page's links that read like headlines (four words or more)."""
    links = tree.xpath("//a[string-length(normalize-space()) > 15][not(starts-with(@href, '#'))]")
    texts = (a.text_content() for a in links)  # in-page links (#...) form tables of contents
    norms = (norm_text(text) for text in texts if not _URL_TEXT.search(text))
    return {norm for norm in norms if norm.count(" ") >= 3}


_URL_TEXT = re.compile(r"://|^\s*www\.|\S@\S")
_LABELS = (re.compile(r"^[^:：|]{1,30}[:：|]\s*"), re.compile(r"\s*\[[^\]]{1,20}\]\W*$"))


def _is_teaser(text: str, anchors: set[str]) -> bool:
    """Whether a line is a link to another page: its text is a link's, bar a short label."""
    variants = (text, *(label.sub("", text) for label in _LABELS))
    return any(norm_text(variant) in anchors for variant in variants)


def ld_body(page: Page, blocks: list[Block]) -> list[Block]:
    """JSON-LD articleBody instead of the extraction when it is much longer and fits the page."""
    body = ld_value(page, "articleBody")
    if not isinstance(body, str):
        return blocks
    body = re.sub(r"(?i)<\s*(br|/p|/div|/h\d|/li|/blockquote)\b[^>]*>", "\n", body)
    lines = [clean_text(line) for line in re.split(r"\n+", re.sub(r"<[^>]+>", " ", body))]
    ld_paragraphs = [line for line in lines if line]
    ld_text, our_text = " ".join(ld_paragraphs), " ".join(block.text for block in blocks)
    if text_size(ld_text) < MIN_WORDS or text_size(our_text) * 2 > text_size(ld_text):
        return blocks
    ours = set(norm_text(our_text).split())
    shared = len(ours & set(norm_text(ld_text).split())) / max(1, len(ours))
    headline = norm_text(clean_text(ld_value(page, "headline")))
    title_el = page.tree.find(".//title")
    shown = " ".join(
        norm_text(t)
        for t in (title_el.text_content() if title_el is not None else "", h1_text(page))
        if t
    )
    # the same story as the page shows: its headline is the page's, or it contains our text
    fits = (
        bool(headline) and headline in shown or text_size(our_text) >= MIN_WORDS and shared >= 0.5
    )
    return [Block("p", text, False) for text in ld_paragraphs] if fits else blocks
