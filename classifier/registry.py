"""Where models live: models/<version>/, and models/DEFAULT naming the one commands use."""

from __future__ import annotations

from pathlib import Path

from classifier.config import MODELS_DIR
from classifier.errors import ClassifierError
from classifier.model import Model, load_model

DEFAULT_FILE = "DEFAULT"


def resolve(model: str | None, models_dir: Path = MODELS_DIR) -> Path:
    """A model folder from a path, a version name, or (None) the default version."""
    if model:
        path = Path(model)
        if path.is_dir():
            return path
        if (models_dir / model).is_dir():
            return models_dir / model
        raise ClassifierError(
            f"no model {model!r}: give a model folder or a version in {models_dir}"
        )
    marker = models_dir / DEFAULT_FILE
    if not marker.exists():
        raise ClassifierError(f"no default model ({marker} is missing); run `framegap train`")
    return models_dir / marker.read_text().strip()


def load(model: str | None, models_dir: Path = MODELS_DIR) -> Model:
    """Load a model by path, version or default."""
    return load_model(resolve(model, models_dir))


def set_default(folder: Path, models_dir: Path = MODELS_DIR) -> None:
    """Make a trained model the default."""
    (models_dir / DEFAULT_FILE).write_text(folder.name + "\n")
