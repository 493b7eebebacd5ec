"""Public concerns (回应关切) from question to published answer: anyone asks (anonymously if they like,
with CSRF on the form), the reply clock runs in working days, the disclosure office answers and
publishes; until then nothing is public, and the asker's name and contact are never shown or logged."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from sunshine.core.models import TrackedDeadline
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from sunshine.policy.models import PublicConcern
from tests.builders import api_token, make_user
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import cheap_password_hashing

QUESTION = "我公司没有中标，投标保证金什么时候退还？联系我：13800000000。"
PUBLIC_QUESTION = "没有中标的投标人，投标保证金什么时候退还？"
CONTACT = "13800000000"
NAME = "张经理"


@pytest.fixture
def office(db, monkeypatch):
    cheap_password_hashing(monkeypatch)
    make_user(db, Role.DISCLOSURE_OFFICE, username="office")
    return "office"


def _ask(client, **fields):
    page = client.get("/concerns")
    data = {
        "topic": "trading",
        "question": QUESTION,
        "asker_name": NAME,
        "contact": CONTACT,
        "policy_id": "",
        "csrf_token": csrf_token(page.text),
        **fields,
    }
    return client.post("/concerns", data=data, follow_redirects=False)


def _only_concern(db) -> PublicConcern:
    with db.unit_of_work() as s:
        return s.scalar(select(PublicConcern))


def test_question_answer_publication(app, client, db, office):
    response = _ask(client)
    assert response.status_code == 303
    receipt = page_text(client.get("/concerns").text)
    # Submitted Monday 2026-11-23: five working days → Monday 2026-11-30.
    assert re.search(r"已收到您的问题，编号 GZ20261123-\d{4}，我们将于 2026年11月30日前答复", receipt)
    concern = _only_concern(db)
    assert concern.status == "received" and concern.asker_name == NAME and concern.contact == CONTACT

    # Not public before it is answered and published.
    assert "保证金" not in page_text(client.get("/concerns").text).split("我要提问")[0]
    assert client.get(f"/concerns/{concern.id}").status_code == 404
    assert client.get(f"/api/v1/concerns/{concern.id}").status_code == 404
    assert client.get("/api/v1/concerns").json()["total"] == 0
    assert "保证金" not in client.get("/feeds/category/policy.concern.atom").text

    with db.unit_of_work() as s:
        deadline = s.get(TrackedDeadline, concern.reply_deadline_id)
        assert deadline.due == date(2026, 11, 30) and deadline.is_open and deadline.purpose == "答复公众关切"

    with browser(app, office) as staff:
        queue = staff.get("/staff/concerns")
        assert queue.status_code == 200
        text = page_text(queue.text)
        assert QUESTION in text and NAME in text and CONTACT in text and "应于 2026-11-30 前答复" in text
        answered = staff.post(
            f"/staff/concerns/{concern.id}/answer",
            data={
                "public_question": PUBLIC_QUESTION,
                "answer_html": "<p>根据《招标投标法实施条例》第五十七条，最迟在书面合同签订后5日内退还。</p>"
                '<script>alert(1)</script><p onmouseover="x()">请留意平台通知。</p>',
                "publish": "1",
                "csrf_token": csrf_token(queue.text),
            },
            follow_redirects=False,
        )
        assert answered.status_code == 303
        assert "没有待答复或待公开的问题" in page_text(staff.get("/staff/concerns").text)

    public = client.get("/concerns")
    text = page_text(public.text)
    assert PUBLIC_QUESTION in text
    for private in (CONTACT, NAME, QUESTION):
        assert private not in public.text
    detail = client.get(f"/concerns/{concern.id}")
    assert detail.status_code == 200
    assert "第五十七条" in detail.text and "请留意平台通知" in detail.text
    for bad in ("<script", "alert(", "onmouseover"):
        assert bad not in detail.text.split('<div class="notice-body">')[1].split("</div>")[0]
    for private in (CONTACT, NAME):
        assert private not in detail.text
    api = client.get("/api/v1/concerns").json()
    assert api["total"] == 1 and api["items"][0]["question"] == PUBLIC_QUESTION
    assert not {"asker_name", "contact"} & api["items"][0].keys()
    assert PUBLIC_QUESTION[:20] in client.get("/feeds/category/policy.concern.atom").text

    with db.unit_of_work() as s:
        assert s.get(TrackedDeadline, concern.reply_deadline_id).is_open is False
        entries = list(s.scalars(select(LedgerEntry).where(LedgerEntry.subject == f"concern:{concern.id}")))
    assert [e.kind for e in entries] == ["policy:concern:received", "policy:concern:published"]
    for entry in entries:
        for private in (CONTACT, NAME, "保证金"):
            assert private not in entry.payload
    published = json.loads(entries[1].payload)
    assert set(published) >= {"question_sha256", "answer_sha256", "reference"}


def test_anonymous_questions_and_an_answer_kept_private_then_published(client, db, office):
    assert _ask(client, asker_name="", contact="").status_code == 303
    concern = _only_concern(db)
    assert concern.asker_name is None and concern.contact is None
    headers = api_token(client, office)
    queue = client.get("/api/v1/concerns/queue", headers=headers).json()
    assert queue[0]["asker_name"] is None and queue[0]["reply_due"] == "2026-11-30"
    answered = client.post(
        f"/api/v1/concerns/{concern.id}/answer",
        json={"answer_html": "已电话答复。", "publish": False},
        headers=headers,
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert client.get(f"/concerns/{concern.id}").status_code == 404  # answered, not public
    again = client.post(f"/api/v1/concerns/{concern.id}/answer", json={"answer_html": "再答"}, headers=headers)
    assert again.status_code == 409
    published = client.post(f"/api/v1/concerns/{concern.id}/publish", headers=headers)
    assert published.status_code == 200 and published.json()["status"] == "published"
    shown = client.get(f"/api/v1/concerns/{concern.id}").json()
    assert shown["question"] == QUESTION  # no edited version was given: published as asked
    assert client.post(f"/api/v1/concerns/{concern.id}/publish", headers=headers).status_code == 409


def test_the_form_needs_its_csrf_token_and_says_what_is_wrong(client, db, office):
    client.get("/concerns")
    refused = client.post("/concerns", data={"topic": "trading", "question": QUESTION})
    assert refused.status_code == 403
    short = _ask(client, question="问")
    assert short.status_code == 400 and "请填写问题，5 至 3000 个字" in page_text(short.text)
    wrong_topic = _ask(client, topic="nonsense")
    assert wrong_topic.status_code == 400 and "问题类别应为" in page_text(wrong_topic.text)
    assert _only_concern(db) is None


def test_the_api_takes_questions_too_and_only_the_office_answers(client, db, office):
    created = client.post("/api/v1/concerns", json={"topic": "service", "question": "不见面开标需要准备什么？"})
    assert created.status_code == 201
    body = created.json()
    assert body["reference"].startswith("GZ20261123-") and body["reply_due"] == "2026-11-30"
    make_user(db, Role.CENTRE_STAFF, username="centre")
    centre = api_token(client, "centre")
    assert (
        client.post(f"/api/v1/concerns/{body['id']}/answer", json={"answer_html": "x"}, headers=centre).status_code
        == 403
    )
    assert client.get("/api/v1/concerns/queue", headers=centre).status_code == 403
    assert client.post("/api/v1/concerns", json={"question": "短"}).status_code == 422
    for policy_id in (999, 2**40):
        unknown = client.post("/api/v1/concerns", json={"question": "关于某文件的问题", "policy_id": policy_id})
        assert unknown.status_code == 422, unknown.text


def test_a_question_about_a_policy_links_it(client, db, office):
    headers = api_token(client, office)
    policy = client.post(
        "/api/v1/policies",
        json={
            "title": "政府采购货物和服务招标投标管理办法",
            "issuing_body": "财政部",
            "doc_number": "财政部令第87号",
            "level": "rule",
            "issued_on": "2017-07-11",
            "body_html": "第一条 为了规范政府采购当事人的采购行为……",
        },
        headers=headers,
    ).json()
    form = client.get(f"/concerns?policy_id={policy['id']}")
    assert re.search(rf'<option value="{policy["id"]}" selected>政府采购货物和服务招标投标管理办法', form.text)
    assert _ask(client, topic="policy", policy_id=str(policy["id"])).status_code == 303
    concern = _only_concern(db)
    client.post(f"/api/v1/concerns/{concern.id}/answer", json={"answer_html": "答复"}, headers=headers)
    page = client.get(f"/concerns/{concern.id}").text
    assert f'href="/policies/{policy["id"]}"' in page
