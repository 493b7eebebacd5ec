"""The organisation's signer and read-only viewer (本单位查看人员) see its registrations, bids and receipts — the
same rows its bidding clerk sees — without the forms to act, and are refused if they try; another
organisation's viewer sees none of it."""

from __future__ import annotations

import pytest

from sunshine.bidding import service
from sunshine.identity.roles import Role
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.builders import make_org
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import actor, cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db):
    world = tender_with_bidders(db, bidders=2)
    clerk = world.bidders[0]
    sealed = seal_for(world, clerk, "4812000.00")
    with db.unit_of_work() as s:
        done = service.submit(
            s,
            clerk,
            world.section_id,
            sealed.sealed,
            key_commitment=sealed.commitment,
            idempotency_key=sealed.idempotency_key,
        )
        world.bid_no = done.bid.bid_no
    org = clerk.organisation_id
    world.viewer = actor(db, Role.ORG_VIEWER, organisation_id=org, username="org-viewer")
    world.signer = actor(db, Role.SIGNER, organisation_id=org, username="org-signer")
    elsewhere = make_org(db, name="无关单位有限公司")
    world.stranger = actor(db, Role.ORG_VIEWER, organisation_id=elsewhere, username="far-viewer")
    return world


def test_the_viewer_reads_its_organisations_registrations_and_bids_without_forms(app, w):
    with browser(app, "org-viewer") as client:
        mine = client.get("/my/registrations")
        assert mine.status_code == 200, mine.text
        text = page_text(mine.text)
        assert "已报名" in text and "王经理" in text
        assert "撤回报名" not in text and "重新获取招标文件" not in text and "递交投标文件" not in text
        assert 'action="/my/registrations/' not in mine.text
        bids = client.get("/my/bids")
        assert bids.status_code == 200
        assert w.bid_no in bids.text and "投标页面" not in page_text(bids.text)
        receipt = client.get(f"/my/bids/{w.bid_no}/receipt")
        assert receipt.status_code == 200 and w.bid_no in receipt.text
        # acting is still the bidding clerk's: the viewer's withdrawal is refused and the bid stays sealed
        refused = client.post(
            f"/my/bids/{w.bid_no}/withdraw", data={"csrf_token": csrf_token(mine.text)}, follow_redirects=False
        )
        assert refused.status_code == 403
    with browser(app, "org-signer") as client:
        assert w.bid_no in client.get("/my/bids").text
        assert client.get("/my/registrations").status_code == 403


def test_the_viewers_api_reads_and_another_organisation_sees_nothing(client, w):
    from tests.builders import api_token

    viewer = api_token(client, "org-viewer")
    listed = client.get("/api/v1/bids/mine", headers=viewer)
    assert listed.status_code == 200 and [b["bid_no"] for b in listed.json()] == [w.bid_no]
    assert client.get("/api/v1/registrations/mine", headers=viewer).json()
    stranger = api_token(client, "far-viewer")
    assert client.get("/api/v1/bids/mine", headers=stranger).json() == []
    assert client.get(f"/api/v1/bids/{w.bid_no}", headers=stranger).status_code == 404
    assert client.get("/api/v1/registrations/mine", headers=stranger).json() == []
