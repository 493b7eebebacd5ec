"""The entrustment agreement (委托代理协议) of a project: the tenderer or the centre records it, hashed into the file
store; the parties and the staff read it, nobody else learns it exists."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

from tests.builders import api_token
from tests.market.builders import PDF
from tests.trading.builders import make_project, tender_world


def test_the_tenderer_records_and_the_parties_read(client, db):
    w = SimpleNamespace(**tender_world(db))
    pid = make_project(db, w.agency, tenderer_id=w.school, agency_id=w.agency_org, accept_as=w.centre)
    tenderer, agency, bidder, centre, other = (
        api_token(client, p.username) for p in (w.tenderer, w.agency, w.bidders[0], w.centre, w.other_agency)
    )
    url = f"/api/v1/market/projects/{pid}/entrustments"
    form = {"scope": "招标代理全过程服务", "signed_on": "2026-11-20"}
    missing = client.post(url, data=form, headers=tenderer)
    assert missing.status_code == 422 and "请上传委托代理协议文件" in missing.json()["detail"]
    assert client.post(url, data=form, files={"agreement": ("协议.pdf", PDF)}, headers=agency).status_code == 403
    made = client.post(
        url, data=form, files={"agreement": ("委托代理协议.pdf", PDF, "application/pdf")}, headers=tenderer
    )
    assert made.status_code == 201, made.text
    assert made.json()["sha256"] == hashlib.sha256(PDF).hexdigest() and made.json()["agency_id"] == w.agency_org
    for headers in (tenderer, agency, centre):
        assert [e["scope"] for e in client.get(url, headers=headers).json()] == ["招标代理全过程服务"]
    assert client.get(url, headers=bidder).status_code == 403
    assert client.get(url, headers=other).status_code == 404, "another agency is told nothing"
    future = client.post(
        url, data={**form, "signed_on": "2099-01-01"}, files={"agreement": ("a.pdf", PDF)}, headers=centre
    )
    assert future.status_code == 422 and "签订日期不能晚于今天" in future.json()["detail"]


def test_the_project_page_links_the_agreement_for_the_parties_and_staff(app, db):
    from tests.pages import browser

    w = SimpleNamespace(**tender_world(db))
    pid = make_project(db, w.agency, tenderer_id=w.school, agency_id=w.agency_org, accept_as=w.centre)
    for who, shown in ((w.tenderer, True), (w.centre, True), (w.bidders[0], False)):
        with browser(app, who.username) as page:
            project = page.get(f"/projects/{pid}")
            if shown:
                assert project.status_code == 200 and "委托代理协议" in project.text, who.username
            else:
                assert "委托代理协议" not in project.text, who.username
    with browser(app, w.tenderer.username) as page:
        assert "尚未登记委托代理协议" in page.get(f"/market/projects/{pid}/entrustment").text
