"""The one place that resolves where corpora/ and models/ live.

Order: the ``AUDITOR_DATA_DIR`` environment variable (a folder holding ``corpora/`` and
``models/``), then the copy packed into the wheel (``auditor/_data``), then the source
checkout the package was installed from in editable mode.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

from auditor.errors import DataError

ENV_VAR = "AUDITOR_DATA_DIR"


@cache
def data_root() -> Path:
    override = os.environ.get(ENV_VAR)
    if override:
        root = Path(override)
        if not (root / "corpora").is_dir():
            raise DataError(override, f"{ENV_VAR} must name a folder that holds corpora/")
        return root
    packed = Path(str(resources.files("auditor"))) / "_data"
    if (packed / "corpora").is_dir():
        return packed
    # Editable install: the package sits in the checkout, beside corpora/ and pyproject.toml.
    checkout = Path(str(resources.files("auditor"))).parent
    if (checkout / "corpora").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    raise DataError("corpora/", f"no corpora found; reinstall the package or set {ENV_VAR}")


def corpora_dir(*parts: str) -> Path:
    return data_root().joinpath("corpora", *parts)


def models_dir(*parts: str) -> Path:
    return data_root().joinpath("models", *parts)
