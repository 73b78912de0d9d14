"""On-disk model format: a skops zip written canonically so identical models give identical bytes.

skops names array files and records object identities by `id()` (memory addresses) and stamps
zip entries with the current time; both vary between runs. The canonical form renumbers those
identities in schema order, renames the member files to match and writes a fixed timestamp.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import skops.io

MODEL_FILE = "model.skops"
MANIFEST_FILE = "manifest.json"
SUMS_FILE = "SHA256SUMS"
FORMAT_NAME = "sinpluma-linguistics-model/1"

# The only types a model file may contain; anything else is refused before deserialising.
TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.str",
        "builtins.tuple",
        "numpy.float64",
        "numpy.ndarray",
        "sklearn.feature_extraction.text.HashingVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.pipeline.Pipeline",
    }
)

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Attributes that only cache process-specific values (an `id()`); sklearn recomputes them.
_PROCESS_CACHES = ("_stop_words_id",)


def dump_canonical(estimator: Any) -> bytes:
    """Serialise a fitted estimator to skops bytes that depend only on the estimator's state."""
    for part in _estimator_parts(estimator):
        for attribute in _PROCESS_CACHES:
            vars(part).pop(attribute, None)
    raw = skops.io.dumps(estimator)
    return canonicalize(raw)


def canonicalize(raw: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(raw)) as source:
        schema = json.loads(source.read("schema.json"))
        members = {name: source.read(name) for name in source.namelist() if name != "schema.json"}
    ids: dict[int, int] = {}
    files: dict[str, str] = {}
    _renumber(schema, ids, files)
    unreferenced = set(members) - set(files)
    if unreferenced:
        raise ValueError(f"skops file has members the schema does not use: {sorted(unreferenced)}")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        _write_member(target, "schema.json", json.dumps(schema, indent=1).encode())
        for old_name, new_name in sorted(files.items(), key=lambda item: item[1]):
            _write_member(target, new_name, members[old_name])
    return out.getvalue()


def schema_types(model_bytes: bytes) -> set[str]:
    """Every `module.Class` a skops file declares, read from its schema without loading anything."""
    with zipfile.ZipFile(io.BytesIO(model_bytes)) as archive:
        schema = json.loads(archive.read("schema.json"))
    return {f"{node['__module__']}.{node['__class__']}" for node in _nodes(schema)}


def _renumber(node: Any, ids: dict[int, int], files: dict[str, str]) -> None:
    if isinstance(node, list):
        for item in node:
            _renumber(item, ids, files)
        return
    if not isinstance(node, dict):
        return
    if "__id__" in node:
        node["__id__"] = ids.setdefault(node["__id__"], len(ids) + 1)
    if "__loader__" in node and isinstance(node.get("file"), str):
        old = node["file"]
        suffix = old.rsplit(".", 1)[-1]
        node["file"] = files.setdefault(old, f"{len(files) + 1:06d}.{suffix}")
    for value in node.values():
        _renumber(value, ids, files)


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _nodes(item)
    elif isinstance(node, dict):
        if "__class__" in node and "__module__" in node:
            yield node
        for value in node.values():
            yield from _nodes(value)


def _estimator_parts(estimator: Any) -> list[Any]:
    steps = getattr(estimator, "steps", None)
    return [estimator] + ([step for _, step in steps] if steps else [])


def _write_member(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    archive.writestr(info, data, compresslevel=6)
