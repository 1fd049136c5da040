"""Where models live: models/<version>/, and marker files naming the ones commands use by name:
models/DEFAULT (`default`, used when no model is given) and models/FAST (`fast`)."""

from __future__ import annotations

from pathlib import Path

from classifier.config import MODELS_DIR
from classifier.errors import ClassifierError
from classifier.model import Model, load_model

MARKERS = {"default": "DEFAULT", "fast": "FAST"}  # names --model takes -> marker files


def resolve(model: str | None, models_dir: Path = MODELS_DIR) -> Path:
    """A model folder from a marked name (default, fast), a path or a version; None: default."""
    name = model or "default"
    if name in MARKERS:
        marker = models_dir / MARKERS[name]
        if not marker.exists():
            raise ClassifierError(
                f"no {name} model ({marker} is missing); run `framegap train`"
                + (" --encoder minilm:2:int8 --fast" if name == "fast" else "")
            )
        return models_dir / marker.read_text().strip()
    path = Path(name)
    if path.is_dir():
        return path
    if (models_dir / name).is_dir():
        return models_dir / name
    raise ClassifierError(
        f"no model {name!r}: give a model folder, a version in {models_dir}, default or fast"
    )


def load(model: str | None, models_dir: Path = MODELS_DIR) -> Model:
    """Load a model by marked name, path or version (None: the default)."""
    return load_model(resolve(model, models_dir))


def mark(folder: Path, name: str = "default", models_dir: Path = MODELS_DIR) -> None:
    """Make a trained model the one a marked name (default, fast) points to."""
    (models_dir / MARKERS[name]).write_text(folder.name + "\n")
