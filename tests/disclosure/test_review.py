"""The publication pipeline: a draft containing an identity number is held in review, redaction releases it;
nothing is published without review; a reviewer never reviews their own draft; a withdrawal leaves a public
tombstone; the negative list is maintained by the disclosure office and in the ledger by hash only."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select

from sunshine.core.errors import Conflict, Forbidden
from sunshine.disclosure import negative_list, publications
from sunshine.disclosure.models import Obligation
from sunshine.ledger import service as ledger
from tests.disclosure.builders import ID_NUMBER, approve, centre_staff, declare, draft, load_catalog, office, publish
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _setup(db, monkeypatch):
    cheap_password_hashing(monkeypatch)
    load_catalog(db)


@pytest.fixture
def people(db):
    return {"author": centre_staff(db), "reviewer": office(db)}


def test_a_draft_with_an_identity_number_is_held_until_redacted(db, people):
    body = f"经审查，张三（身份证号 {ID_NUMBER}，手机 13812345678）的投诉不予受理。"
    pub_id = draft(db, people["author"], item_code="GC.JD.01", title="投诉处理决定书", body=body)
    with db.unit_of_work() as s:
        pub = publications.get_visible(s, people["reviewer"], pub_id)
        assert pub.status == "review" and publications.is_held(pub)
        assert sorted(f.detector for f in publications.open_findings(pub)) == ["id_card", "mobile"]
        assert all(ID_NUMBER not in f.masked for f in pub.findings)
    with pytest.raises(publications.HeldForReview) as refused, db.unit_of_work() as s:
        publications.approve(s, people["reviewer"], pub_id)
    assert refused.value.status == 422 and refused.value.code == "held_for_review"

    with db.unit_of_work() as s:
        pub = publications.redact(s, people["reviewer"], pub_id)
        assert not publications.is_held(pub)
        assert ID_NUMBER not in pub.body and "1101**********002X" in pub.body and "138****5678" in pub.body
    approve(db, people["reviewer"], pub_id)
    with db.unit_of_work() as s:
        pub = publications.get_visible(s, people["reviewer"], pub_id)
        assert pub.status == "published" and pub.review_mode == "manual"
        entry = ledger.get_entry(s, pub.ledger_seq)
        payload = json.loads(entry.payload)
        assert payload["body_sha256"] == hashlib.sha256(pub.body.encode()).hexdigest()
        assert payload["review"] == {"mode": "manual", "by": people["reviewer"].user_id, "redacted": 2, "dismissed": 0}
        assert ID_NUMBER not in entry.payload


def test_nothing_is_published_without_review(db, people):
    pub_id = draft(db, people["author"], submit=False)
    with pytest.raises(Conflict), db.unit_of_work() as s:
        publications.approve(s, people["reviewer"], pub_id)
    with db.unit_of_work() as s:
        assert publications.get_visible(s, people["reviewer"], pub_id).status == "draft"
        from sunshine.core.auth import ANONYMOUS
        from sunshine.core.errors import NotFound

        with pytest.raises(NotFound):
            publications.get_visible(s, ANONYMOUS, pub_id)


def test_the_author_cannot_review_their_own_draft(db, people):
    pub_id = draft(db, people["author"])
    with pytest.raises(Forbidden) as refused, db.unit_of_work() as s:
        publications.approve(s, people["author"], pub_id)
    assert refused.value.code == "reviewer_is_author"


def test_a_reviewer_may_sign_off_a_public_hotline_but_never_an_identity_number(db, people):
    pub_id = draft(db, people["author"], body=f"咨询电话 13800591234。证件 {ID_NUMBER}")
    with db.unit_of_work() as s:
        pub = publications.get_visible(s, people["reviewer"], pub_id)
        mobile = next(f for f in pub.findings if f.detector == "mobile")
        identity = next(f for f in pub.findings if f.detector == "id_card")
        publications.dismiss(s, people["reviewer"], pub_id, mobile.id, note="交易中心公开的咨询热线")
    with pytest.raises(Conflict), db.unit_of_work() as s:
        publications.dismiss(s, people["reviewer"], pub_id, identity.id, note="误报")
    with db.unit_of_work() as s:
        pub = publications.redact(s, people["reviewer"], pub_id)
        assert "13800591234" in pub.body, "a signed-off finding stays and is not raised again"
        assert not publications.is_held(pub)
    approve(db, people["reviewer"], pub_id)


def test_publishing_meets_an_obligation_and_withdrawal_leaves_a_tombstone(db, people, clock):
    from datetime import timedelta

    obligation_id = declare(db, people["reviewer"], item_code="ZX.FW.02", title="收费项目及标准（2026年）")
    clock.advance(timedelta(days=3))
    pub_id = publish(db, people["author"], people["reviewer"], obligation_id=obligation_id, title="收费项目及标准")
    with db.unit_of_work() as s:
        obligation = s.get(Obligation, obligation_id)
        assert (obligation.status, obligation.late, obligation.delay_days) == ("met", False, 0)
        pub = publications.withdraw(s, people["reviewer"], pub_id, reason="收费标准文号有误，更正后重新发布")
        assert pub.status == "withdrawn"
    with db.unit_of_work() as s:
        from sunshine.core.auth import ANONYMOUS

        tombstone = publications.get_visible(s, ANONYMOUS, pub_id)
        assert (tombstone.status, tombstone.withdrawal_reason) == ("withdrawn", "收费标准文号有误，更正后重新发布")
        listed = publications.list_public(s)
        assert [p.id for p in listed.items] == [pub_id]
        entry = ledger.get_entry(s, tombstone.withdrawal_ledger_seq)
        assert entry.kind == "disclosure:publication:withdrawn"
        assert s.get(Obligation, obligation_id).status == "met", "the obligation was met when published"


def test_the_negative_list_holds_drafts_and_is_in_the_ledger_by_hash_only(db, people):
    with db.unit_of_work() as s:
        term = negative_list.add(s, people["reviewer"], term="滨海绝密工程", reason="涉及国家秘密（保密法第九条）")
        entry = ledger.entries_for(s, f"disclosure-negative-term:{term.id}")[0]
        assert "滨海绝密工程" not in entry.payload
        assert json.loads(entry.payload)["term_sha256"] == hashlib.sha256("滨海绝密工程".encode()).hexdigest()
    pub_id = draft(db, people["author"], body="本月完成滨海绝密工程配套道路招标。")
    with db.unit_of_work() as s:
        pub = publications.get_visible(s, people["reviewer"], pub_id)
        assert [f.detector for f in publications.open_findings(pub)] == ["negative_list"]
        pub = publications.redact(s, people["reviewer"], pub_id)
        assert "滨海绝密工程" not in pub.body
    with db.unit_of_work() as s:
        negative_list.remove(s, people["reviewer"], term.id, reason="已解密")
        assert negative_list.active(s) == []
        kinds = [e.kind for e in ledger.entries_for(s, f"disclosure-negative-term:{term.id}")]
        assert kinds == ["disclosure:negative-list:added", "disclosure:negative-list:removed"]


def test_obligations_declared_by_staff_are_bound_to_their_item(db, people):
    obligation_id = declare(db, people["reviewer"], item_code="ZX.QL.03", title="2026年廉政风险点清单")
    with db.unit_of_work() as s:
        row = s.scalar(select(Obligation).where(Obligation.id == obligation_id))
        assert row.trigger == "centre.risk_list" and row.rule_ref == "disclosure.proactive@2019-05-15/publish_within"
