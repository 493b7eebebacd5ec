"""Open-data access as a harvester and a citizen use it: release and record packages page by page with keyset
cursors, ETag/If-None-Match (304), Last-Modified, CORS; the bulk downloads with their SHA-256 fixed in the ledger
(JSON Lines gzip, CSV, xlsx; from the local file store and from an object store); ``sunshine opendata export``
streaming to a file; the Atom feed of releases; the 数据开放 page and the rendered API documentation without
staff-only or login routes."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from sunshine.cli import app as cli
from sunshine.config import get_settings
from sunshine.opendata import exports, service
from tests.opendata import synthetic
from tests.opendata.validate import errors
from tests.pages import page_text
from tests.s3server import s3_server  # noqa: F401 - the fixture

N = 3


@pytest.fixture
def harvested(db, client):
    with db.engine.begin() as conn:
        synthetic.generate(conn, N)
    with db.unit_of_work() as s:
        service.sync(s)
        exports.make_all(s)
    return client


def test_release_and_record_packages_page_by_page_with_cursors(harvested):
    client = harvested
    seen, url = [], "/api/v1/opendata/releases?limit=5"
    while url:
        response = client.get(url)
        assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
        package = response.json()
        assert errors("release-package", package) == []
        seen += [r["id"] for r in package["releases"]]
        url = package.get("links", {}).get("next")
        assert (url is None) == (len(seen) == 4 * N)
    assert len(set(seen)) == 4 * N and seen[0].endswith("-tender-notice1")

    awards = client.get("/api/v1/opendata/releases", params={"tag": "award"}).json()["releases"]
    assert [r["tag"] for r in awards] == [["award"]] * N
    one = client.get(f"/api/v1/opendata/releases/{awards[0]['id']}").json()
    assert one["releases"] == [awards[0]] and errors("release-package", one) == []
    assert client.get("/api/v1/opendata/releases", params={"cursor": "nonsense"}).json()["code"] == "invalid_cursor"
    assert client.get("/api/v1/opendata/releases", params={"tag": "planning"}).status_code == 422
    assert client.get("/api/v1/opendata/releases/ocds-sunshn-nothing-here").status_code == 404

    records = client.get("/api/v1/opendata/records", params={"limit": 2}).json()
    assert errors("record-package", records) == [] and len(records["records"]) == 2
    rest = client.get(records["links"]["next"]).json()
    assert len(rest["records"]) == N - 2 and "links" not in rest
    ocid = records["records"][0]["ocid"]
    single = client.get(f"/api/v1/opendata/records/{ocid}").json()
    assert single["records"][0]["compiledRelease"]["tender"]["status"] == "complete"
    assert client.get("/api/v1/opendata/records/ocds-sunshn-350100X0000000000Z").status_code == 404
    assert set(single) >= {"uri", "version", "publishedDate", "publisher", "license", "extensions"}
    assert single["extensions"][1].endswith("/api/v1/opendata/extension/extension.json")
    ext = client.get("/api/v1/opendata/extension/release-schema.json").json()
    assert "publicResourceTrading" in ext["properties"]


def test_etag_if_none_match_and_last_modified(harvested):
    client = harvested
    first = client.get("/api/v1/opendata/releases")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag == f'"{hashlib.sha256(first.content).hexdigest()}"' and modified.endswith("GMT")
    again = client.get("/api/v1/opendata/releases", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/api/v1/opendata/releases", headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/api/v1/opendata/releases", headers={"If-Modified-Since": modified}).status_code == 304
    exposed = first.headers["access-control-expose-headers"]
    assert "ETag" in exposed and "Last-Modified" in exposed


@pytest.fixture(params=["local", "s3"])
def store_backend(request, environment, monkeypatch):
    """The file store in the data folder, or in an S3-compatible object store (a moto server process)."""
    if request.param == "s3":
        for name, value in request.getfixturevalue("s3_server").env().items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
    return request.param


def test_downloads_with_their_hash_in_the_ledger(store_backend, harvested):
    client = harvested
    listing = client.get("/api/v1/opendata/downloads").json()
    by_name = {d["filename"]: d for d in listing}
    assert {"releases-full.jsonl.gz", "records-full.jsonl.gz", "projects-full.csv", "contracts-full.xlsx"} <= set(
        by_name
    )
    for name in ("releases-full.jsonl.gz", "records-full.jsonl.gz", "results-full.csv", "projects-full.xlsx"):
        meta = by_name[name]
        response = client.get(meta["url"])
        assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
        assert hashlib.sha256(response.content).hexdigest() == meta["sha256"] and len(response.content) == meta["size"]
        entry = client.get(f"/api/v1/ledger/entries/{meta['ledger_seq']}").json()
        assert entry["kind"] == "opendata:dump" and meta["sha256"] in json.dumps(entry, ensure_ascii=False)
        cached = client.get(meta["url"], headers={"If-None-Match": response.headers["etag"]})
        assert cached.status_code == 304
        if name.endswith(".jsonl.gz"):
            lines = [json.loads(x) for x in gzip.decompress(response.content).splitlines()]
            assert len(lines) == meta["rows"] == (4 * N if name.startswith("releases") else N)
            if name.startswith("records"):
                package = {"uri": "x", "publisher": {"name": "x"}, "publishedDate": "2026-01-01T00:00:00Z"}
                assert errors("record-package", {**package, "version": "1.1", "records": lines}) == []
        elif name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
            assert rows[0][3] == "中标（成交）人" and len(rows) == N + 1 and rows[1][3] == "闽江置业有限公司"
        else:
            sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
            values = list(sheet.values)
            assert values[0][0] == "统一交易标识码" and len(values) == N + 1
    assert client.get("/api/v1/opendata/downloads/releases-2099-01-01.jsonl.gz").status_code == 404
    assert client.get("/api/v1/opendata/downloads/..%2Fsecret").status_code in (404, 422)


def test_the_export_command_streams_releases_and_records(harvested, tmp_path):
    runner = CliRunner()
    out = tmp_path / "releases.jsonl.gz"
    result = runner.invoke(cli, ["opendata", "export", "releases", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(gzip.decompress(out.read_bytes()).splitlines()) == 4 * N
    records = tmp_path / "records.jsonl.gz"
    assert runner.invoke(cli, ["opendata", "export", "records", "-o", str(records)]).exit_code == 0
    compiled = [json.loads(x)["compiledRelease"] for x in gzip.decompress(records.read_bytes()).splitlines()]
    assert [c["contracts"][0]["value"]["amount"] for c in compiled] == [1060000.0, 1070000.0, 1080000.0]
    bad = runner.invoke(cli, ["opendata", "export", "releases", "--day", "2026-13-01", "-o", str(out)])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output


def test_feed_page_and_api_documentation(harvested):
    client = harvested
    feed = client.get("/opendata/releases.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    assert feed.text.count("<entry>") == 4 * N and "合成地块3号国有建设用地使用权挂牌出让：合同公告" in feed.text

    page = client.get("/opendata")
    text = page_text(page.text)
    assert "批量下载" in text and "OCDS 记录（records，含汇编发布）" in text and "每日" in text
    assert "creativecommons.org/licenses/by/4.0" in page.text and "尚未向 OCDS 数据支持团队登记" in text
    assert 'href="/api/v1/opendata/downloads/releases-full.jsonl.gz"' in page.text
    assert 'href="/api/v1/docs"' in page.text

    docs = client.get("/api/v1/docs")
    assert "/static/vendor/redoc.standalone.js" in docs.text and 'spec-url="/api/v1/opendata/openapi.json"' in docs.text
    assert "style-src 'self' 'unsafe-inline'" in docs.headers["content-security-policy"]
    assert "cdn" not in docs.text.lower()
    spec = client.get("/api/v1/opendata/openapi.json").json()
    assert "/api/v1/opendata/releases" in spec["paths"] and "/api/v1/notices" in spec["paths"]
    assert not any(p.startswith("/api/v1/auth/") for p in spec["paths"])  # login and tokens left out
    assert "/api/v1/admin/users" not in spec["paths"] and "/api/v1/me" not in spec["paths"]
    assert all(
        "post" not in ops or p.startswith(("/api/v1/subscriptions", "/api/v1/")) for p, ops in spec["paths"].items()
    )
    static = client.get("/static/vendor/redoc.standalone.js")
    assert static.status_code == 200 and b"cdn.redoc.ly" not in static.content
