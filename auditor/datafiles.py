"""Reading the YAML data files under corpora/ into closed, validated schemas.

Every data file is read with :func:`load` against a pydantic model that forbids unknown
keys, so a typo in a curator's edit fails loudly with file, entry and field named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from auditor.errors import DataError

Model = TypeVar("Model", bound=BaseModel)


class Closed(BaseModel):
    """Base for data schemas: unknown keys are errors, records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate mapping keys (PyYAML keeps the last silently)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode,
                              deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                 _construct_unique_mapping)
# Dates stay strings: curators write 2025-07-15 and we compare and print them as written.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(str(path), f"cannot read: {exc}") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise DataError(str(path), f"not valid YAML: {_one_line(str(exc))}") from None


def load(path: Path, model: type[Model]) -> Model:
    """Read ``path`` and validate it against ``model``, naming file, entry and field on error."""
    loaded, problems = check(path, model)
    if loaded is None:
        first = problems[0]
        extra = len(problems) - 1
        if extra:
            first = DataError(first.path, f"{first.detail} (and {extra} more problem"
                              f"{'s' if extra > 1 else ''} in this file)", first.entry,
                              first.field)
        raise first
    return loaded


def check(path: Path, model: type[Model]) -> tuple[Model | None, list[DataError]]:
    """Validate ``path`` against ``model``: the record, or every problem found in it."""
    try:
        data = read_yaml(path)
    except DataError as exc:
        return None, [exc]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_describe(path, data, error) for error in exc.errors()]


def _describe(path: Path, data: Any, error: Any) -> DataError:
    location = list(error["loc"])
    entry, node = None, data
    # Walk the location: the nearest mapping with an ``id`` names the entry.
    for depth, step in enumerate(location):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "id" in node and depth < len(location) - 1:
            entry = str(node["id"])
    field = ".".join(str(step) for step in location) or None
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown key (check its spelling against corpora/factbase/README.md)"
    return DataError(str(path), message, entry=entry, field=field)


def _one_line(text: str) -> str:
    return " ".join(text.split())
