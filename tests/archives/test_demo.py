"""The demo shows archived projects: the failed procurement's attempts archived as they stand (流标), each with its
manifest in the ledger and its zip downloadable; the sold land listing ready for the centre to close. A second load
archives nothing more."""

from __future__ import annotations

import hashlib
import io
import zipfile

from sqlalchemy import select

from sunshine.demo.archives import load_demo_archives
from sunshine.demo.awards import LAND
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.pages import browser, page_text


def test_demo_archives(demo, db, app, client):
    centre = api_token(client, "centre", DEMO_PASSWORD)
    archives = client.get("/api/v1/archives", headers=centre).json()
    assert archives and {a["state_label"] for a in archives} == {"流标"}
    first = archives[-1]
    zipped = zipfile.ZipFile(io.BytesIO(client.get(first["download"], headers=centre).content))
    assert zipped.namelist()[0] == "manifest.json"
    assert hashlib.sha256(zipped.read("manifest.json")).hexdigest() == first["manifest_sha256"]
    entry = client.get(f"/api/v1/ledger/entries/{first['ledger_seq']}").json()
    assert entry["payload"]["manifest_sha256"] == first["manifest_sha256"]

    with db.unit_of_work(read_only=True) as s:
        land = s.scalar(select(Project.id).where(Project.name == LAND))
    with browser(app, "centre", DEMO_PASSWORD) as visitor:
        listed = page_text(visitor.get("/staff/archives").text)
        assert first["number"] in listed and "流标" in listed
        assert f"/projects/{land}/archive" in visitor.get(f"/projects/{land}").text
        page = page_text(visitor.get(f"/projects/{land}/archive").text)
        assert "合同已签订" in page and "转让合同" in page
    from datetime import UTC, datetime

    assert load_demo_archives(db.unit_of_work, datetime.now(UTC)) == 0
