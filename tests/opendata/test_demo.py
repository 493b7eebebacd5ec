"""The demo in open data: every stage its projects published is an OCDS release that validates — notices, the
clarification, the published opening records with their bids (bids extension), the results, the land's signed
contract, the school's accepted contract with its payments (implementation), the failed and terminated projects —
the projects not yet public are absent, and the bulk downloads were made at demo load with their hashes in the
ledger."""

from __future__ import annotations

import json

from sqlalchemy import select

from sunshine.opendata.models import OpenDump, OpenRelease
from sunshine.trading.models import Project
from tests.opendata.validate import errors


def test_demo_projects_are_releases_and_records(demo, client):
    with demo.unit_of_work(read_only=True) as s:
        rows = s.scalars(select(OpenRelease).order_by(OpenRelease.id)).all()
        hidden = set(s.scalars(select(Project.code).where(Project.public_since.is_(None))))
        dumps = s.scalars(select(OpenDump)).all()
    stages = {r.stage for r in rows}
    assert {"tender", "clarification", "bids", "award", "contract", "cancellation"} <= stages
    for row in rows:
        assert errors("release", json.loads(row.data)) == [], row.release_id
    assert hidden and not any(r.ocid.endswith(code) for r in rows for code in hidden)

    bids = json.loads(next(r for r in rows if r.stage == "bids").data)["bids"]
    assert bids["details"] and all(d["status"] in ("pending", "withdrawn") for d in bids["details"])
    assert any(d.get("value", {}).get("currency") == "CNY" for d in bids["details"])
    assert {s["measure"] for s in bids["statistics"]} == {"bids", "bidders", "electronicBids"}

    contract = next(r for r in rows if r.stage == "contract")
    record = client.get(f"/api/v1/opendata/records/{contract.ocid}").json()
    assert errors("record-package", record) == []
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["contracts"][0]["value"]["amount"] == 61100000.0  # the land sold at auction
    assert compiled["awards"][0]["suppliers"][0]["name"] in {p["name"] for p in compiled["parties"]}

    # the school's accepted contract: the implementation release with its payment schedule and the 95 % paid
    implementation = next(r for r in rows if r.tag == "implementation")
    record = client.get(f"/api/v1/opendata/records/{implementation.ocid}").json()
    assert errors("record-package", record) == []
    done = record["records"][0]["compiledRelease"]["contracts"][0]["implementation"]
    assert [m["type"] for m in done["milestones"]] == ["payment", "payment"]
    statuses = [m["status"] for m in done["milestones"]]
    assert statuses[1] == "scheduled"  # the warranty's 5 % after three years
    paid = sum(t["value"]["amount"] for t in done["transactions"])
    assert paid > 0 and done["documents"][0]["documentType"] == "completionCertificate"
    assert all("reference" not in json.dumps(t) for t in done["transactions"])  # the bank's serial number stays out
    made = {(d.dataset, d.scope == "full", d.fmt) for d in dumps}
    assert {("releases", True, "jsonl.gz"), ("records", False, "jsonl.gz"), ("contracts", True, "xlsx")} <= made
    listing = client.get("/api/v1/opendata/downloads").json()
    full = next(d for d in listing if d["filename"] == "releases-full.jsonl.gz")
    assert full["rows"] == len(rows)


def test_demo_sections_are_classified_items_in_the_tender_and_its_awards(demo, client):
    with demo.unit_of_work(read_only=True) as s:
        tenders = [json.loads(r.data) for r in s.scalars(select(OpenRelease).where(OpenRelease.stage == "tender"))]
    classified = [t for t in tenders if t["tender"].get("items")]
    assert classified, "the demo's classified sections are published as items"
    for release in classified:
        assert errors("release", release) == []
        lots = {lot["id"] for lot in release["tender"]["lots"]}
        for item in release["tender"]["items"]:
            assert item["classification"]["scheme"] == "CN-GPCC" and item["relatedLot"] in lots
            assert item["classification"]["description"]  # the catalogue's Chinese name
    school = next(t for t in classified if "智慧教室" in t["tender"]["title"])
    assert [i["classification"]["id"] for i in school["tender"]["items"]] == ["A02", "A02"]
    record = client.get(f"/api/v1/opendata/records/{school['ocid']}").json()
    assert errors("record-package", record) == []
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["tender"]["items"][0]["classification"]["description"] == "设备"
    for award in compiled.get("awards", []):
        assert award["items"][0]["classification"]["id"] == "A02"
