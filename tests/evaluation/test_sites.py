"""异地评标 through the API: the centre records that a member signs in from another centre's room; the session's view
shows the member's site, the report lists the host place and the remote site with their members, and the ledger
names the seat, never the person. Only the staff running the session record it, and not once the report is drawn."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from tests.builders import api_token, make_org, make_user
from tests.evaluation.builders import opened_tender
from tests.evaluation.walk import form_committee, ok, session_of, tokens
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import cheap_password_hashing

BASE = "/api/v1/evaluation"
REMOTE = "莆田市公共资源交易中心 第二评标室（异地评标）"


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()


def test_a_remote_member_is_seated_at_their_site_and_the_report_lists_the_sites(db, client, clock):
    w = opened_tender(db, clock, procurement=False, prices=("3986500.00", "3912800.00", "4035000.00"))
    tokens(client, w)
    headers, chair = form_committee(client, w)
    view = session_of(client, w, w.h["centre"])
    remote = next(m for m in view["members"] if m["kind"] == "expert" and m["id"] != chair)
    url = f"{BASE}/sessions/{w.sid}/members/{remote['id']}/site"
    assert client.post(url, json={"site": REMOTE}, headers=headers[chair]).status_code == 403
    assert client.post(url, json={"site": "外地"}, headers=w.h["centre"]).status_code == 422
    done = ok(client.post(url, json={"site": REMOTE}, headers=w.h["centre"]))
    assert done["site"] == REMOTE
    assert [(s["site"], s["remote"]) for s in done["sites"]] == [("第三评标室", False), (REMOTE, True)]
    seen = {m["id"]: m["site"] for m in session_of(client, w, headers[chair])["members"]}
    assert seen[remote["id"]] == REMOTE and seen[chair] is None

    hc = headers[chair]
    for b in view["bids"]:
        for stage in ("qualification", "compliance"):
            ok(
                client.post(
                    f"{BASE}/sessions/{w.sid}/bids/{b['id']}/review", json={"stage": stage, "passed": True}, headers=hc
                )
            )
    ok(client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=hc))
    ok(client.post(f"{BASE}/sessions/{w.sid}/compute", headers=hc))
    report = ok(client.get(f"{BASE}/sessions/{w.sid}/report", headers=hc))["content"]
    by_site = {s["site"]: s["members"] for s in report["sites"]}
    assert by_site[REMOTE] == [remote["name"]]
    assert remote["name"] not in by_site["第三评标室"] and len(by_site["第三评标室"]) == len(headers) - 1
    late = client.post(url, json={"site": ""}, headers=w.h["centre"])
    assert late.status_code == 409
    with db.unit_of_work(read_only=True) as s:
        entry = s.scalars(select(LedgerEntry).where(LedgerEntry.kind == "evaluation:member:site")).one()
    assert remote["name"] not in entry.payload and '"remote":true' in entry.payload.replace(" ", "")


def test_the_remote_centre_signs_in_the_members_at_its_site(db, app, client, clock):
    w = opened_tender(db, clock, procurement=False, prices=("3986500.00", "3912800.00", "4035000.00"))
    tokens(client, w)
    headers, chair = form_committee(client, w)
    putian = make_org(db, name="莆田市公共资源交易中心", kind=OrganisationKind.CENTRE)
    remote_staff = make_user(db, Role.CENTRE_STAFF, organisation_id=putian)
    view = session_of(client, w, w.h["centre"])
    remote = next(m for m in view["members"] if m["kind"] == "expert" and m["id"] != chair)
    url = f"{BASE}/sessions/{w.sid}/members/{remote['id']}/site"
    sign_in = f"{BASE}/sessions/{w.sid}/members/{remote['id']}/site-sign-in"
    assert client.post(sign_in, headers=api_token(client, remote_staff)).status_code == 409  # not at a remote site
    not_centre = client.post(url, json={"site": REMOTE, "centre_id": w.firms[0]}, headers=w.h["centre"])
    assert not_centre.status_code == 422
    done = ok(client.post(url, json={"site": REMOTE, "centre_id": putian}, headers=w.h["centre"]))
    assert done["site_centre_id"] == putian
    # the host's staff and the members do not take the remote centre's step
    assert client.post(sign_in, headers=w.h["centre"]).status_code == 403
    assert client.post(sign_in, headers=headers[chair]).status_code == 403
    room = f"/evaluation/sessions/{w.sid}"
    with browser(app, w.centre.username) as host:
        assert "待所在交易中心签到" in page_text(host.get(room).text)
        with browser(app, remote_staff) as staff:
            page = staff.get(room)
            assert "核验身份并签到（本中心）" in page_text(page.text)
            sent = staff.post(
                f"{room}/sites/{remote['id']}/sign-in",
                data={"csrf_token": csrf_token(page.text)},
                follow_redirects=True,
            )
            assert "已在本中心的异地评标席位为该成员签到" in page_text(sent.text)
        text = page_text(host.get(room).text)  # the host sees it as it happens
        assert "已签到" in text and "待所在交易中心签到" not in text
    seen = {m["id"]: m for m in session_of(client, w, w.h["centre"])["members"]}
    assert seen[remote["id"]]["site_signed_in_at"] is not None
    assert client.post(sign_in, headers=api_token(client, remote_staff)).status_code == 409  # once
    with db.unit_of_work(read_only=True) as s:
        entry = s.scalars(select(LedgerEntry).where(LedgerEntry.kind == "evaluation:member:site_signed_in")).one()
    assert remote["name"] not in entry.payload and f'"centre":{putian}' in entry.payload.replace(" ", "")
    # a new site is signed in anew by its own centre
    ok(client.post(url, json={"site": "莆田市公共资源交易中心 第一评标室", "centre_id": putian}, headers=w.h["centre"]))
    seen = {m["id"]: m for m in session_of(client, w, w.h["centre"])["members"]}
    assert seen[remote["id"]]["site_signed_in_at"] is None
