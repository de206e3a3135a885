"""Saving and loading trained models safely.

Models are skops files: loading one never unpickles, and only the types on our allowlist are
built from it, so a tampered or foreign file is refused instead of running its code. Each file
is listed in ``models/manifest.json`` with its SHA-256 and the library versions it was built
with; a missing, altered or version-mismatched file is a :class:`ModelError` naming the file
and the command that rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
import platform
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

import skops.io as sio

from auditor.errors import ModelError

MANIFEST = "manifest.json"
REBUILD = "auditor train --data ../shared/datasets"
# Libraries whose version changes what a saved model means (major.minor must match):
# scikit-learn's estimators may change attributes between minor releases. numpy arrays are
# stored in the stable .npy format, so numpy and scipy are recorded but not enforced.
_PINNED = ("scikit-learn",)
# Everything a saved model may contain beyond the types skops trusts by default.
_ALLOWED_TYPES = frozenset({
    "builtins.dict", "builtins.list", "builtins.tuple", "builtins.str", "builtins.float",
    "builtins.int", "builtins.bool", "builtins.NoneType",
    "numpy.dtype", "numpy.float64", "numpy.int64", "numpy.ndarray", "numpy.str_",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.feature_extraction.text.HashingVectorizer",
    "sklearn.pipeline.Pipeline",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.preprocessing._data.StandardScaler",
})


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in (*_PINNED, "numpy", "scipy", "skops", "spacy"):
        versions[name] = metadata.version(name)
    return versions


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(parts: dict[str, Any], path: Path) -> str:
    """Write ``parts`` (a dict of scikit-learn objects and plain values); return its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    untrusted = set(sio.get_untrusted_types(data=sio.dumps(parts))) - _ALLOWED_TYPES
    if untrusted:  # a bug in training code, caught before it ships
        raise ModelError(f"{path}: refusing to save types outside the allowlist: "
                         f"{sorted(untrusted)}")
    sio.dump(parts, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    return sha256_of(path)


def load_model(path: Path) -> dict[str, Any]:
    """Load a model listed in the manifest beside it, after checking hash and versions."""
    entry = _manifest_entry(path)
    if sha256_of(path) != entry.get("sha256"):
        raise ModelError(f"{path}: the file differs from the one recorded in {MANIFEST} "
                         f"(altered or half-written); rebuild it with `{REBUILD}`")
    _check_versions(path, entry.get("versions", {}))
    untrusted = set(sio.get_untrusted_types(file=path))
    foreign = untrusted - _ALLOWED_TYPES
    if foreign:
        raise ModelError(f"{path}: holds types outside the allowlist ({', '.join(sorted(foreign))})"
                         f"; refusing to load it. Rebuild it with `{REBUILD}`")
    parts: dict[str, Any] = sio.load(path, trusted=sorted(untrusted))
    return parts


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        return {"models": {}}
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: unreadable manifest ({exc}); rebuild it with "
                         f"`{REBUILD}`") from None
    return manifest


def record(folder: Path, name: str, file: str, sha256: str) -> dict[str, Any]:
    """List a saved model in the folder's manifest (with this machine's library versions)."""
    manifest = read_manifest(folder)
    manifest.setdefault("models", {})[name] = {"file": file, "sha256": sha256,
                                               "versions": library_versions()}
    write_manifest(folder, manifest)
    return manifest


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _manifest_entry(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ModelError(f"{path}: model file not found; rebuild it with `{REBUILD}`")
    models = read_manifest(path.parent).get("models", {})
    for entry in models.values():
        if entry.get("file") == path.name:
            return dict(entry)
    raise ModelError(f"{path}: not listed in {path.parent / MANIFEST}; rebuild it with "
                     f"`{REBUILD}`")


def _check_versions(path: Path, built_with: dict[str, str]) -> None:
    installed = library_versions()
    for name in _PINNED:
        built = built_with.get(name, "unknown")
        if _minor(built) != _minor(installed[name]):
            raise ModelError(f"{path}: built with {name} {built}, but {installed[name]} is "
                             f"installed; rebuild it with `{REBUILD}` or install {name} "
                             f"{_minor(built)}.*")


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])
