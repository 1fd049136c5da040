"""Finding a model by marked name (default, fast), version or folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.errors import ClassifierError
from classifier.registry import mark, resolve


def test_marked_names_versions_and_folders(tmp_path: Path) -> None:
    models = tmp_path / "models"
    for version in ("fg-a", "fg-b"):
        (models / version).mkdir(parents=True)
    with pytest.raises(ClassifierError, match="no default model .*run `framegap train`$"):
        resolve(None, models)
    with pytest.raises(ClassifierError, match="no fast model .*--encoder minilm:2:int8 --fast"):
        resolve("fast", models)
    mark(models / "fg-a", models_dir=models)
    mark(models / "fg-b", "fast", models)
    assert resolve(None, models) == resolve("default", models) == models / "fg-a"
    assert resolve("fast", models) == models / "fg-b"
    assert resolve("fg-b", models) == models / "fg-b"
    assert resolve(str(models / "fg-a"), models) == models / "fg-a"
    with pytest.raises(ClassifierError, match="no model 'fg-c'.*default or fast"):
        resolve("fg-c", models)


def test_the_committed_markers_name_committed_models() -> None:
    """models/DEFAULT and models/FAST point at model folders in the repository."""
    for name in ("default", "fast"):
        assert (resolve(name) / "heads.npz").is_file()
