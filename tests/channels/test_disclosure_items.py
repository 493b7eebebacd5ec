"""Disclosure publications reach the channels they were published on: feeds and mail subscriptions carry
those published to the "feed" channel, in the catalog's level-1 and level-2 categories; the kiosk those
published to the "terminal" channel; drafts never."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from sunshine.channels import items
from sunshine.identity.roles import Role
from tests.trading.builders import actor, cheap_password_hashing

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def people(db, monkeypatch):
    from sunshine.disclosure import catalog_service

    cheap_password_hashing(monkeypatch)
    with db.unit_of_work() as s:
        catalog_service.load_catalog(s)
    return {"author": actor(db, Role.DISCLOSURE_OFFICE), "reviewer": actor(db, Role.CENTRE_STAFF)}


def _publish(db, people, title: str, *, channels: list[str], approve: bool = True) -> int:
    from sunshine.disclosure import publications

    with db.unit_of_work() as s:
        pub = publications.create_draft(
            s,
            people["author"],
            title=title,
            body="办理时间：工作日上午9:00至12:00。",
            item_code="ZX.FW.01",
            submit=True,
        )
        if approve:
            publications.approve(s, people["reviewer"], pub.id, optional_channels=channels)
        return pub.id


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [e.findtext(f"{ATOM}title") for e in ET.fromstring(response.content).findall(f"{ATOM}entry")]


def test_catalog_categories_are_offered(db, client, people):
    with db.unit_of_work() as s:
        codes = {c.code: c for c in items.all_categories(s)}
    assert codes["catalog.ZX"].label == "交易中心政务"
    assert codes["catalog.ZX.FW"].label == "交易中心政务 · 办事服务"
    assert "公开事项目录" in client.get("/feeds").text


def test_publications_follow_their_channels(db, client, people):
    _publish(db, people, "交易中心办事指南（feed）", channels=["feed"])
    _publish(db, people, "交易中心办事指南（现场）", channels=[])
    _publish(db, people, "交易中心办事指南（草稿）", channels=["feed"], approve=False)

    assert _titles(client.get("/feeds/category/catalog.ZX.FW.atom")) == ["交易中心办事指南（feed）"]
    assert _titles(client.get("/feeds/category/catalog.ZX.atom")) == ["交易中心办事指南（feed）"]
    assert "交易中心办事指南（feed）" in _titles(client.get("/feeds/notices.atom"))
    assert _titles(client.get("/feeds/category/catalog.GC.atom")) == []

    kiosk = client.get("/kiosk?panel=notices").text
    assert "交易中心办事指南（feed）" in kiosk and "交易中心办事指南（现场）" in kiosk
    assert "草稿" not in kiosk
