"""Validation of release and record packages against the OCDS 1.1.5 schemas shipped in the package
(``sunshine/opendata/schema``), with the bids extension and ours applied, the schemas' URL ``$ref``s mapped to the
local files (``referencing``): nothing is fetched from the network."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from sunshine.opendata import schema

RELEASE = f"{schema.BASE}release-schema.json"
VERSIONED = f"{schema.BASE}versioned-release-validation-schema.json"


@cache
def _registry() -> Registry:
    resources = {
        RELEASE: schema.release_schema(),
        VERSIONED: schema.load("versioned-release-validation-schema.json"),
    }
    return Registry().with_resources((url, Resource(doc, DRAFT4)) for url, doc in resources.items())


@cache
def validator(kind: str) -> Draft4Validator:
    doc = {
        "release": schema.release_schema(),
        "release-package": schema.load("release-package-schema.json"),
        "record-package": schema.load("record-package-schema.json"),
    }[kind]
    return Draft4Validator(doc, registry=_registry(), format_checker=FormatChecker())


def errors(kind: str, doc: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(doc)]
