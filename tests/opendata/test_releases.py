"""OCDS releases and records of land listings that went through a correction, an auction's result and a signed
contract: each stage a release that validates against the OCDS 1.1.5 schemas (with the bids extension and ours),
the record's compiled release exactly as expected by the official merge rules, nothing before its publication is
public, releases never rewritten, and the tick keeping open data in step."""

from __future__ import annotations

import json

from sqlalchemy import delete, select, update

from sunshine.disclosure.models import Publication
from sunshine.opendata import exports, ocds, reading, service
from sunshine.opendata.models import OpenRecord, OpenRelease
from sunshine.tasks import tick
from sunshine.trading.models import Project
from tests.opendata import synthetic
from tests.opendata.validate import errors

OCID = f"ocds-sunshn-{synthetic.code_of(1)}"
SITE = "http://127.0.0.1:8000"
SELLER = {"id": "CN-SAMR-91350100SYNTHSELL1", "name": "示范市自然资源和规划局"}
AGENCY = {"id": "CN-SAMR-91350100SYNTHAGEN2", "name": "示范产权交易代理有限公司"}
BUYER = {"id": "CN-SAMR-91350100SYNTHBUYR3", "name": "闽江置业有限公司"}


def _party(org: dict, credit: str, roles: list[str]) -> dict:
    return {
        **org,
        "identifier": {"scheme": "CN-SAMR", "id": credit, "legalName": org["name"]},
        "address": {"region": "350100", "countryName": "中国"},
        "roles": roles,
    }


EXPECTED = {
    "ocid": OCID,
    "id": f"{OCID}-2026-04-04T01:01:00Z",
    "date": "2026-04-04T01:01:00Z",
    "tag": ["compiled"],
    "initiationType": "tender",
    "language": "zh",
    "parties": [
        _party(SELLER, "91350100SYNTHSELL1", ["seller"]),
        _party(AGENCY, "91350100SYNTHAGEN2", ["procuringEntity"]),
        _party(BUYER, "91350100SYNTHBUYR3", ["supplier"]),
    ],
    "publicResourceTrading": {
        "transactionCode": synthetic.code_of(1),
        "transactionType": "land",
        "transactionTypeName": "土地使用权",
        "methodName": "挂牌",
        "rulePack": "land.listing",
        "rulePackVersion": "2026.1",
        "regionCode": "350100",
        "projectPage": f"{SITE}/projects/1",
        "ledgerEntry": {"seq": 16, "uri": f"{SITE}/api/v1/ledger/entries/16"},  # the contract's, the latest
    },
    "tender": {
        "id": synthetic.code_of(1),
        "title": "合成地块1号国有建设用地使用权挂牌出让",
        "status": "complete",  # the award decided every lot
        "value": {"amount": 1010000.0, "currency": "CNY"},
        "procurementMethod": "open",
        "procurementMethodDetails": "挂牌",
        "procuringEntity": AGENCY,
        "lots": [{"id": "1", "title": "地块", "value": {"amount": 1010000.0, "currency": "CNY"}, "status": "active"}],
        "tenderPeriod": {"startDate": "2026-03-02T01:01:00Z", "endDate": "2026-03-27T01:01:00Z"},  # moved
        "enquiryPeriod": {"startDate": "2026-03-02T01:01:00Z", "endDate": "2026-03-22T01:01:00Z"},
        "awardPeriod": {"startDate": "2026-03-27T01:01:00Z"},  # the correction's new time
        "documents": [
            {
                "id": "notice-1",
                "documentType": "tenderNotice",
                "title": "合成地块1号挂牌公告",
                "description": "挂牌公告",
                "url": f"{SITE}/notices/1",
                "datePublished": "2026-03-02T01:01:00Z",
                "format": "text/html",
                "language": "zh",
            },
            {
                "id": "notice-2",
                "documentType": "tenderNotice",
                "title": "合成地块1号更正公告",
                "description": "更正公告",
                "url": f"{SITE}/notices/2",
                "datePublished": "2026-03-05T01:01:00Z",
                "format": "text/html",
                "language": "zh",
            },
        ],
        "amendments": [
            {
                "id": "notice-2",
                "date": "2026-03-05T01:01:00Z",
                "rationale": "合成地块1号更正公告",
                "description": "更正公告",
            }
        ],
    },
    "awards": [
        {
            "id": f"{synthetic.code_of(1)}-1",
            "title": "第1标段（包）",
            "description": "网上竞价",
            "status": "active",
            "date": "2026-03-27T03:01:00Z",
            "value": {"amount": 1060000.0, "currency": "CNY"},
            "suppliers": [BUYER],
            "relatedLots": ["1"],
        }
    ],
    "contracts": [
        {
            "id": f"HT-{synthetic.code_of(1)}",
            "awardID": f"{synthetic.code_of(1)}-1",
            "title": "转让合同（地块）",
            "status": "active",
            "value": {"amount": 1060000.0, "currency": "CNY"},
            "dateSigned": "2026-04-04T01:01:00Z",
            "description": "履行期限：签订后30日内交付；付款方式：一次性付清",
            "documents": [
                {
                    "id": "contract-1",
                    "documentType": "contractSigned",
                    "title": "转让合同",
                    "url": f"{SITE}/projects/1",
                    "datePublished": "2026-04-04T01:01:00Z",
                    "language": "zh",
                }
            ],
        }
    ],
}


def _generate(db, n: int = 2) -> None:
    with db.engine.begin() as conn:
        synthetic.generate(conn, n)


def test_compiled_release_after_a_correction_an_award_and_a_contract(db):
    _generate(db)
    with db.unit_of_work() as s:
        added = service.sync(s).release_ids
    assert [r.rsplit("-", 2)[-2:] for r in added[:4]] == [
        ["tender", "notice1"],
        ["amendment", "notice2"],
        ["award", "result"],
        ["contract", "signed"],
    ]
    with db.unit_of_work(read_only=True) as s:
        record, rows = reading.get_record(s, OCID)
    assert [r["tag"] for r in record["releases"]] == [["tender"], ["tenderAmendment"], ["award"], ["contract"]]
    for release in record["releases"]:
        assert errors("release", release) == [], release["id"]
    assert record["compiledRelease"] == EXPECTED
    with db.unit_of_work(read_only=True) as s:  # stored when the releases were added; the export reads it as text
        stored = s.scalar(select(OpenRecord).where(OpenRecord.ocid == OCID))
        assert stored.releases == 4 and json.loads(stored.compiled) == EXPECTED
        assert reading.compile_releases(record["releases"]) == EXPECTED
        lines = list(exports.record_lines(s))
    assert lines[0] == ocds.dumps(record) and len(lines) == 2
    package = reading.record_package("https://example.org/records", [record], rows[-1].created_at)
    assert errors("record-package", package) == []
    assert errors("release-package", reading.release_package("https://x.org/r", record["releases"], rows[0].date)) == []
    broken = {**record["releases"][0], "tag": ["bidOpening"]}  # not in the closed releaseTag codelist
    assert errors("release", broken)


def test_the_records_export_reads_batch_by_batch_the_same_records_as_one_by_one(db):
    _generate(db, 5)
    with db.unit_of_work() as s:
        service.sync(s)
    with db.unit_of_work(read_only=True) as s:
        ocids = list(s.scalars(select(OpenRecord.ocid).order_by(OpenRecord.ocid)))
        one_by_one = [ocds.dumps(reading.get_record(s, ocid)[0]) for ocid in ocids]
        assert len(ocids) == 5
        for batch in (1, 2, 3, 200):  # batch edges fall between and on the ocids
            assert list(reading.iter_record_texts(s, batch=batch)) == one_by_one
            assert list(reading.iter_record_texts(s, ocids=ocids[1:4], batch=batch)) == one_by_one[1:4]


def test_a_stage_exists_only_once_its_publication_is_public(db):
    _generate(db)
    code2 = synthetic.code_of(2)
    with db.engine.begin() as conn:  # project 2's contract announcement is held in the confidentiality review
        conn.execute(update(Publication).where(Publication.source_ref == f"contracts:{code2}").values(status="review"))
    with db.unit_of_work() as s:
        service.sync(s)
    with db.unit_of_work(read_only=True) as s:
        record, _ = reading.get_record(s, f"ocds-sunshn-{code2}")
    assert [r["tag"] for r in record["releases"]] == [["tender"], ["tenderAmendment"], ["award"]]
    assert "contracts" not in record["compiledRelease"]
    with db.engine.begin() as conn:  # data stored before compiled releases were: merged on reading, then stored
        conn.execute(delete(OpenRecord).where(OpenRecord.ocid == f"ocds-sunshn-{code2}"))
    with db.unit_of_work(read_only=True) as s:
        assert reading.get_record(s, f"ocds-sunshn-{code2}")[0] == record

    with db.engine.begin() as conn:  # published later: the next run adds the contract, nothing else changes
        conn.execute(
            update(Publication).where(Publication.source_ref == f"contracts:{code2}").values(status="published")
        )
    with db.unit_of_work(read_only=True) as s:
        before = {r.release_id: r.sha256 for r in s.query(OpenRelease)}
    with db.unit_of_work() as s:
        assert [r.rsplit("-", 2)[-2:] for r in service.sync(s, everything=True).release_ids] == [["contract", "signed"]]
        assert service.sync(s, everything=True).release_ids == []  # idempotent
    with db.unit_of_work(read_only=True) as s:
        after = {r.release_id: r.sha256 for r in s.query(OpenRelease)}
        merged = json.loads(s.scalar(select(OpenRecord.compiled).where(OpenRecord.ocid == f"ocds-sunshn-{code2}")))
    assert {k: after[k] for k in before} == before  # never rewritten
    assert merged["contracts"][0]["id"]  # the compiled release merged again with the contract


def test_a_project_not_yet_public_has_no_release(db):
    _generate(db, 1)
    with db.engine.begin() as conn:
        conn.execute(update(Project).values(public_since=None))
    with db.unit_of_work() as s:
        assert service.sync(s, everything=True).release_ids == []
        assert service.sync(s).release_ids == []


def test_the_tick_adds_the_releases_and_makes_the_days_downloads_once(db, clock):
    _generate(db, 3)
    report = tick(db)
    assert len(report.opendata_releases) == 12
    assert sorted(report.opendata_dumps) == sorted(
        [f"{d}-{s}.jsonl.gz" for d in ("releases", "records") for s in ("full", report_day(clock))]
        + [f"{t}-full.{f}" for t in ("projects", "notices", "results", "contracts") for f in ("csv", "xlsx")]
    )
    again = tick(db)
    assert again.opendata_releases == [] and again.opendata_dumps == []  # once a day, nothing new
    with db.unit_of_work(read_only=True) as s:
        compiled = json.loads(s.query(OpenRelease).filter_by(tag="contract").first().data)
    assert compiled["contracts"][0]["value"] == {"amount": 1060000.0, "currency": "CNY"}


def report_day(clock) -> str:
    from datetime import timedelta

    from sunshine.core.clock import today_local

    return (today_local() - timedelta(days=1)).isoformat()
