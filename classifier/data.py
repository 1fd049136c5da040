"""The team's labelled data: loading, checking, the fixed split by document, passages.

Split: each source document goes to train, dev or test by a hash of its `doc` id (70/15/15),
so the split never changes when data is added elsewhere and no document straddles splits.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from classifier.errors import ClassifierError
from db.codebook import FRAMES, TONES

LANGS = ("en", "zh", "zh-Hant")
SPLITS = ("train", "dev", "test")
_KEYS = {"id", "doc", "lang", "register", "title", "text", "relevant", "tone", "frames"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")


@dataclass(frozen=True)
class Example:
    """One labelled text: a passage, or a whole article (`kind`)."""

    id: str
    doc: str
    lang: str
    register: str
    title: str
    text: str
    relevant: bool
    tone: str | None
    frames: tuple[str, ...]
    kind: str  # "passage" or "article"

    @property
    def split(self) -> str:
        """train / dev / test, fixed by the document id."""
        return split_of(self.doc)

    @property
    def language_group(self) -> str:
        """'en' or 'zh' (traditional and simplified together), as evaluation reports them."""
        return "zh" if self.lang.startswith("zh") else "en"


def split_of(doc: str) -> str:
    """The split a document belongs to."""
    bucket = int(hashlib.sha256(doc.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if bucket < 70 else "dev" if bucket < 85 else "test"


def load_examples(data_dir: Path) -> list[Example]:
    """Every passage and article under `data_dir`, checked; raises ClassifierError on a bad line."""
    files = sorted((data_dir / "passages").glob("*.jsonl")) + sorted(
        (data_dir / "articles").glob("*.jsonl")
    )
    if not files:
        raise ClassifierError(f"no labelled data under {data_dir}; expected passages/*.jsonl")
    examples, seen = [], set()
    for path in files:
        kind = "article" if path.parent.name == "articles" else "passage"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                example = _example(f"{path}:{number}", line, kind)
                if example.id in seen:
                    raise ClassifierError(f"{path}:{number}: duplicate id {example.id}")
                seen.add(example.id)
                examples.append(example)
    return examples


def _example(where: str, line: str, kind: str) -> Example:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ClassifierError(f"{where}: not JSON ({exc.msg})") from None
    if not isinstance(row, dict) or set(row) != _KEYS:
        raise ClassifierError(f"{where}: keys must be exactly {sorted(_KEYS)}")
    if row["lang"] not in LANGS:
        raise ClassifierError(f"{where}: lang {row['lang']!r} is not one of {LANGS}")
    relevant, tone, frames = bool(row["relevant"]), row["tone"], tuple(row["frames"])
    if relevant and tone not in TONES:
        raise ClassifierError(f"{where}: a relevant text needs a tone in {TONES}")
    if not relevant and (tone is not None or frames):
        raise ClassifierError(f"{where}: a text that is not relevant has tone null, frames []")
    if not set(frames) <= set(FRAMES):
        raise ClassifierError(f"{where}: unknown frame(s) {sorted(set(frames) - set(FRAMES))}")
    return Example(
        id=row["id"],
        doc=row["doc"],
        lang=row["lang"],
        register=row["register"],
        title=row["title"],
        text=row["text"],
        relevant=relevant,
        tone=tone,
        frames=frames,
        kind=kind,
    )


def fingerprint(data_dir: Path) -> str:
    """SHA-256 over the data files' names and contents, in order."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.rglob("*.jsonl")):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def words(text: str) -> int:
    """Length in words; a Chinese character counts as a word."""
    return len(_CJK.findall(text)) + len(re.findall(r"[A-Za-z0-9]+", _CJK.sub(" ", text)))


def split_passages(title: str, text: str, max_words: int) -> list[str]:
    """An article as passages: the title, then paragraphs, long ones cut at sentence ends and
    short neighbours joined, so each passage is a sentence to a paragraph."""
    passages = [title.strip()] if title.strip() else []
    pending = ""
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        for piece in _cut(paragraph, max_words):
            joined = f"{pending} {piece}".strip() if pending else piece
            if words(joined) < max_words // 4:
                pending = joined
                continue
            passages.append(joined)
            pending = ""
    if pending:  # a short tail joins the passage before it (not the title)
        if len(passages) > (1 if title.strip() else 0):
            passages[-1] = f"{passages[-1]} {pending}"
        else:
            passages.append(pending)
    return passages


def _cut(paragraph: str, max_words: int) -> Iterable[str]:
    if words(paragraph) <= max_words:
        yield paragraph
        return
    chunk = ""
    for sentence in _SENTENCE_END.split(paragraph):
        if chunk and words(chunk + sentence) > max_words:
            yield chunk.strip()
            chunk = ""
        chunk += sentence if _CJK.search(sentence[:1] or "a") else f" {sentence}"
    if chunk.strip():
        yield chunk.strip()
