"""A land listing from its signed transfer contract to a closed project with a verified archive, through the API,
the pages and the command line: the centre sees what the archive will hold, closes the project (已完成), the
manifest's hash is one ledger entry, the zip (manifest.json first) is downloaded by the centre and the supervisory
department, every file rechecked against the manifest, and ``sunshine archive verify`` confirms the manifest's
ledger entry; a tampered zip fails."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from sqlalchemy import select
from typer.testing import CliRunner

from sunshine.cli import app as cli_app
from sunshine.ledger import service as ledger
from sunshine.trading.models import Deposit
from tests.archives.builders import contracted_listing
from tests.builders import api_token
from tests.pages import browser, page_text


def test_a_land_listing_closes_with_a_verified_archive(db, app, client, clock, tmp_path):
    done = contracted_listing(db, client, clock)
    w, pid = done.w, done.project.id
    centre = api_token(client, w.centre.username)
    supervisor = api_token(client, w.supervisor.username)

    before = client.get(f"/api/v1/projects/{pid}/archive", headers=centre)
    assert before.status_code == 200, before.text
    preview = before.json()
    assert preview["closable"] is True and preview["state_label"] == "合同已签订"
    kinds = {r["kind"] for r in preview["contents"]}
    assert {"project", "notice", "ledger_entry", "award_letter", "contract", "publication"} <= kinds, kinds
    assert client.get(f"/api/v1/projects/{pid}/archive", headers=supervisor).status_code == 404  # not archived yet
    # a loser's 竞买保证金 is owed back: the record is incomplete until the centre refunds it
    if preview["missing"]:
        refused = client.post(f"/api/v1/projects/{pid}/archive", headers=centre)
        assert refused.status_code == 409 and refused.json()["code"] == "archive_incomplete", refused.text
        assert refused.json()["missing"] == [f"{m['label']}：{m['item']}" for m in preview["missing"]]
        with browser(app, w.centre.username) as visitor:
            page = page_text(visitor.get(f"/projects/{pid}/archive").text)
        assert "补齐后方可归档" in page and preview["missing"][0]["item"] in page, page
        with db.unit_of_work(read_only=True) as session:
            due = session.scalars(
                select(Deposit.id).where(Deposit.project_id == pid, Deposit.status == "refund_due")
            ).all()
        for deposit_id in due:
            assert client.post(f"/api/v1/deposits/{deposit_id}/refund", headers=centre).status_code == 200
        assert client.get(f"/api/v1/projects/{pid}/archive", headers=centre).json()["missing"] == []

    with browser(app, w.centre.username) as visitor:
        assert "核对无误，归档" in visitor.get(f"/projects/{pid}/archive").text
    archived = client.post(f"/api/v1/projects/{pid}/archive", headers=centre)
    assert archived.status_code == 201, archived.text
    archive = archived.json()
    assert archive["state_label"] == "已完成" and archive["records"] == len(archive["contents"])
    closed = client.get(f"/api/v1/projects/{pid}").json()
    assert closed["state"] == "closed"
    code = closed["code"]
    again = client.post(f"/api/v1/projects/{pid}/archive", headers=centre)
    assert again.status_code == 409 and again.json()["code"] == "already_archived"

    with db.unit_of_work(read_only=True) as session:
        entry = ledger.get_entry(session, archive["ledger_seq"])
        payload = json.loads(entry.payload)
        assert entry.kind == "archives:manifest" and entry.subject == f"project:{code}"
        assert payload["manifest_sha256"] == archive["manifest_sha256"] and payload["records"] == archive["records"]
        assert w.bidders[2].username not in entry.payload  # no personal data
        ledger.sign_head(session)
        session.commit()

    for headers in (centre, supervisor):
        response = client.get(archive["download"], headers=headers)
        assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    zipped = zipfile.ZipFile(io.BytesIO(response.content))
    names = zipped.namelist()
    assert names[0] == "manifest.json"
    manifest_bytes = zipped.read("manifest.json")
    assert hashlib.sha256(manifest_bytes).hexdigest() == archive["manifest_sha256"]
    manifest = json.loads(manifest_bytes)
    assert manifest["project"]["code"] == code and len(manifest["records"]) == archive["records"]
    for entry in manifest["records"]:
        assert hashlib.sha256(zipped.read(entry["path"])).hexdigest() == entry["sha256"], entry["path"]
    contract = next(e for e in manifest["records"] if e["kind"] == "contract")
    assert contract["sha256"] == done.contract["sha256"] and contract["ledger_seq"] is not None
    bidder = api_token(client, w.bidders[2].username)
    assert client.get(archive["download"], headers=bidder).status_code == 403

    path = tmp_path / "archive.zip"
    path.write_bytes(response.content)
    result = CliRunner().invoke(cli_app, ["archive", "verify", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "验证通过" in result.output and "包含证明" in result.output

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as out:
        for name in names:
            data = zipped.read(name)
            out.writestr(name, data + b" " if name == contract["path"] else data)
    result = CliRunner().invoke(cli_app, ["archive", "verify", str(tampered)], env={"COLUMNS": "200"})
    assert result.exit_code == 1 and "验证未通过" in result.output

    with browser(app, w.supervisor.username) as visitor:
        listed = visitor.get("/staff/archives")
        assert listed.status_code == 200 and archive["number"] in listed.text
        assert f"/projects/{pid}/archive" in visitor.get(f"/projects/{pid}").text
        archive_page = page_text(visitor.get(f"/projects/{pid}/archive").text)
        assert archive["manifest_sha256"] in archive_page and "下载档案（zip）" in archive_page
        assert "✔ 包含证明" in archive_page and "✘" not in archive_page
        zipped_page = visitor.get(f"/archives/{archive['id']}/download")
        assert zipped_page.status_code == 200 and zipped_page.content == response.content  # the same bytes
