"""The OCDS 1.1.5 schemas shipped in ``opendata/schema`` (byte-identical copies, Apache-2.0) and the release
schema as this publication uses it: the official schema with the bids extension and our own extension applied as
JSON Merge Patches (RFC 7386), which is also what the merge rules of the compiled release are read from."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import ocdsmerge

FOLDER = Path(__file__).with_name("schema")
BASE = "https://standard.open-contracting.org/schema/1__1__5/"


def load(name: str) -> dict[str, Any]:
    return json.loads((FOLDER / name).read_text(encoding="utf-8"))


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: ``patch`` applied to ``target`` (a new object; null removes a member)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


@cache
def release_schema() -> dict[str, Any]:
    """release-schema.json with the bids extension and the publicResourceTrading extension."""
    schema = load("release-schema.json")
    for patch in ("bids/release-schema.json", "sunshine/release-schema.json"):
        schema = merge_patch(schema, load(patch))
    return schema


@cache
def merger() -> ocdsmerge.Merger:
    """The compiled-release merger with the merge rules of the extended schema (no network)."""
    return ocdsmerge.Merger(release_schema())
