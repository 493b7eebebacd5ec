"""The OCDS vocabulary as this platform uses it: the ocid of a project (the registered prefix and the
统一交易标识码), party identifiers, values, the mapping of our methods and transaction types to the OCDS
codelists, the extensions a package declares, and the canonical JSON every release is stored and hashed in."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sunshine.config import get_settings

VERSION = "1.1"
CURRENCY = "CNY"
LANGUAGE = "zh"
# The OCDS bids extension (statistics and, after the opening, the bids themselves), at the commit the
# schema copies in this package were taken from.
BIDS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/"
    "d62ff4b0ba393d823ca8113a9039b12edf7acb8f/extension.json"
)
EXTENSION_PATH = "/api/v1/opendata/extension/extension.json"  # our own extension (schema in this package)
# Organisations are identified by the 统一社会信用代码 in the org-id.guide list of the State Administration for
# Market Regulation (国家市场监督管理总局). 待确认: the list code is taken from org-id.guide; check it there
# before registering the publication.
ORG_SCHEME = "CN-SAMR"

# Our methods → OCDS procurementMethod (open / selective / limited / direct)
METHODS: dict[str, str] = {
    "open_tender": "open",
    "tender": "open",
    "listing": "open",
    "auction": "open",
    "competitive_bidding": "open",
    "small_works_draw": "open",
    "invited_tender": "selective",
    "competitive_negotiation": "selective",
    "competitive_consultation": "selective",
    "enquiry": "selective",
    "single_source": "limited",
}
# Our transaction types → OCDS mainProcurementCategory; land, mining rights, property and emission rights are
# not procurement: they carry no category (the extension names the 交易类型).
CATEGORIES: dict[str, str] = {"engineering": "works", "gov_procurement": "goods", "soe_procurement": "goods"}
BUYER_ROLES: dict[str, str] = {
    "engineering": "buyer",
    "gov_procurement": "buyer",
    "soe_procurement": "buyer",
}
# Transfers (land, mining rights, state and rural property, emission rights) sell rather than buy: the 转让方 takes
# the role "seller", a code added to the open partyRole codelist (docs/opendata.md); the 竞得人/受让方 is the
# award's supplier, as OCDS names whoever an award goes to.
SELLER_ROLE = "seller"


def prefix() -> str:
    return get_settings().ocds_prefix


def ocid_of(project_code: str) -> str:
    """The project's open contracting id: the registered prefix and the 统一交易标识码."""
    return f"{prefix()}-{project_code}"


def site() -> str:
    return get_settings().public_url.rstrip("/")


def iso(value: datetime) -> str:
    """RFC 3339 in UTC, to the second (as OCDS dates are usually given)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def money(amount: Decimal | str | float | None) -> dict[str, Any] | None:
    if amount is None:
        return None
    return {"amount": float(Decimal(str(amount))), "currency": CURRENCY}


def party_id(credit_code: str) -> str:
    return f"{ORG_SCHEME}-{credit_code}"


def party(org: Any, roles: list[str]) -> dict[str, Any]:
    """An organisation as an OCDS party: its 统一社会信用代码 as identifier, its region as address."""
    return {
        "id": party_id(org.credit_code),
        "name": org.name,
        "identifier": {"scheme": ORG_SCHEME, "id": org.credit_code, "legalName": org.name},
        "address": {"region": org.region_code, "countryName": "中国"},
        "roles": roles,
    }


def ref(org: Any) -> dict[str, str]:
    return {"id": party_id(org.credit_code), "name": org.name}


def dumps(doc: dict[str, Any]) -> str:
    """The one serialisation of a release or record: sorted keys, UTF-8 text, no spaces."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def publisher() -> dict[str, str]:
    settings = get_settings()
    return {"name": settings.centre_name, "uri": site()}


def extensions() -> list[str]:
    return [BIDS_EXTENSION, f"{site()}{EXTENSION_PATH}"]


def package_meta(uri: str, published: datetime) -> dict[str, Any]:
    """The fields every release or record package carries besides its contents."""
    return {
        "uri": uri,
        "version": VERSION,
        "publishedDate": iso(published),
        "publisher": publisher(),
        "license": get_settings().opendata_licence,
        "publicationPolicy": f"{site()}/opendata",
        "extensions": extensions(),
    }
