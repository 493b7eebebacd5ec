"""The demo data shows signing keys at their stages (in use, revoked, waiting for approval) on the key page of
闽江建设, and its sealed bids signed: the opening record says the signature was verified."""

from __future__ import annotations

import json

from sqlalchemy import select

from sunshine.bidding.models import Bid
from sunshine.config import get_settings
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.identity.models import User
from sunshine.signing.models import SigningKey
from tests.pages import browser, page_text


def test_demo_keys_and_signed_bids(demo, db, client, app):
    with db.unit_of_work() as s:
        build1 = s.scalar(select(User.organisation_id).where(User.username == "signer"))
        statuses = sorted(s.scalars(select(SigningKey.status).where(SigningKey.organisation_id == build1)).all())
        assert statuses == ["active", "pending", "revoked"]
        signed = s.scalars(select(Bid).where(Bid.signing_key_id.is_not(None))).all()
        assert signed and all(b.signature for b in signed)
        project_ids = {b.project_id for b in signed if b.decryption is not None}
    key_file = json.loads((get_settings().data_dir / "demo-signing-key.json").read_text(encoding="utf-8"))
    assert key_file["format"] == "sunshine-signing-key/1" and key_file["key_id"]
    for project_id in project_ids:
        record = client.get(f"/api/v1/projects/{project_id}/opening").json()
        labels = [row["signature"]["label"] for sec in record["sections"] for row in sec["bids"] if "signature" in row]
        assert "电子签名已验证" in labels, labels
    with browser(app, "signer", DEMO_PASSWORD) as visitor:
        text = page_text(visitor.get("/signing/keys").text)
    assert "林峰的投标专用笔记本" in text and "已吊销" in text and "待企业管理员确认" in text
