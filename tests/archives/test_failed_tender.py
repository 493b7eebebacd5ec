"""A failed tender is archived as it stands (流标: its state does not change), with its sealed bid's ciphertext and
its opening record in the manifest; a project still under way is refused, and only the centre archives. The same
with the file store in an S3-compatible object store: the zip streams the ciphertext from there."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest

from sunshine import tasks
from sunshine.config import get_settings
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.builders import api_token
from tests.s3server import s3_server  # noqa: F401 - the fixture


@pytest.fixture(autouse=True, params=["local", "s3"])
def _long_tokens(request, monkeypatch):
    """Long tokens; the file store in the data folder, then in an object store (a moto server process)."""
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    if request.param == "s3":
        for name, value in request.getfixturevalue("s3_server").env().items():
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def test_a_failed_tender_is_archived_as_it_stands(db, client, clock):
    w = tender_with_bidders(db)
    centre = api_token(client, w.centre.username)
    supervisor = api_token(client, w.supervisor.username)
    agency = api_token(client, w.agency.username)

    under_way = client.post(f"/api/v1/projects/{w.project_id}/archive", headers=centre)
    assert under_way.status_code == 409 and under_way.json()["code"] == "illegal_step"
    assert "不能“项目归档，交易完成”" in under_way.json()["detail"]
    preview = client.get(f"/api/v1/projects/{w.project_id}/archive", headers=centre).json()
    assert preview["closable"] is False and "尚未到交易的终点" in preview["why_not"]

    sealed = seal_for(w, w.bidders[0])
    bidder = api_token(client, w.bidders[0].username)
    submitted = client.post(
        f"/api/v1/sections/{w.section_id}/bids",
        content=sealed.sealed,
        headers={
            **bidder,
            "Content-Type": "application/octet-stream",
            "Idempotency-Key": sealed.idempotency_key,
            "Sunshine-Key-Commitment": sealed.commitment,
        },
    )
    assert submitted.status_code == 201, submitted.text
    clock.advance(timedelta(days=30, seconds=1))
    tasks.tick(db)
    assert client.get(f"/api/v1/projects/{w.project_id}", headers=centre).json()["state"] == "failed"

    for headers in (supervisor, agency, bidder):
        assert client.post(f"/api/v1/projects/{w.project_id}/archive", headers=headers).status_code == 403
    archived = client.post(f"/api/v1/projects/{w.project_id}/archive", headers=centre)
    assert archived.status_code == 201, archived.text
    archive = archived.json()
    assert archive["state"] == "failed" and archive["state_label"] == "流标"
    assert client.get(f"/api/v1/projects/{w.project_id}", headers=centre).json()["state"] == "failed"
    kinds = {r["kind"] for r in archive["contents"]}
    assert {"bid_ciphertext", "opening_record", "notice"} <= kinds, kinds
    bid = next(r for r in archive["contents"] if r["kind"] == "bid_ciphertext")
    assert bid["sha256"] == hashlib.sha256(sealed.sealed).hexdigest() and bid["ledger_seq"] is not None
    entry = client.get(f"/api/v1/ledger/entries/{archive['ledger_seq']}").json()
    assert entry["kind"] == "archives:manifest" and entry["payload"]["manifest_sha256"] == archive["manifest_sha256"]
    assert entry["payload"]["state"] == "failed"

    listed = client.get("/api/v1/archives", headers=supervisor).json()
    assert [a["number"] for a in listed] == [archive["number"]]
    assert client.get("/api/v1/archives", headers=bidder).status_code == 403
    zipped = zipfile.ZipFile(io.BytesIO(client.get(archive["download"], headers=supervisor).content))
    assert zipped.read(bid["path"]) == sealed.sealed
    manifest = json.loads(zipped.read("manifest.json"))
    assert manifest["project"]["state_label"] == "流标"
