"""Small text helpers shared by the extraction stages."""

from __future__ import annotations

import html
import re
from typing import Any

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def clean_text(value: Any) -> str:
    """A string with HTML entities decoded and whitespace collapsed; "" for anything else."""
    return " ".join(html.unescape(value).split()) if isinstance(value, str) else ""


def norm_text(text: str) -> str:
    """Lower-case words without punctuation, for comparing lines."""
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def text_size(text: str) -> int:
    """Rough length in words, counting CJK characters as words."""
    return len(text.split()) + len(CJK.findall(text))
