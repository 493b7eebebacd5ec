"""What a section buys (品目分类代码): entered with the section at registration, through the form and the API, checked
against the item catalogue (a clear 422 / the form again with the reason beside the row, nothing registered), shown
on the project page with its name, and published in the tender release as OCDS ``items[].classification``."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.trading.models import Project
from tests.builders import api_token, make_org, make_user
from tests.pages import browser
from tests.pages import csrf_token as _token
from tests.pages import page_text as _text


@pytest.fixture
def world(db):
    school = make_org(db, name="示范市第二中学", kind=OrganisationKind.PURCHASER)
    agency = make_org(db, name="福建品目招标代理有限公司", kind=OrganisationKind.AGENCY)
    make_user(db, Role.AGENCY, username="items-agent", organisation_id=agency)
    return SimpleNamespace(school=school, agency=agency)


def _form(world, codes: list[str]) -> dict:
    return {
        "name": "示范市第二中学实验室设备与家具采购",
        "type_method": "gov_procurement:open_tender",
        "tenderer_id": str(world.school),
        "agency_id": str(world.agency),
        "budget": "900000",
        "region_code": "350100",
        "funding_source": "财政资金",
        "evaluation_method": "综合评分法",
        "description": "",
        "green_reason": "",
        "section_name": ["包1：实验室仪器设备", "包2：实验台及家具"],
        "section_estimate": ["500000", "400000"],
        "section_qualification": ["具有独立法人资格", "具有独立法人资格"],
        "section_item_classification": codes,
    }


def _projects(db) -> int:
    with db.unit_of_work(read_only=True) as s:
        return s.scalar(select(func.count(Project.id)))


def test_the_form_takes_each_sections_classification_and_refuses_a_wrong_one(app, db, world):
    before = _projects(db)
    with browser(app, "items-agent") as agent:
        page = agent.get("/projects/new")
        assert 'list="item-classes"' in page.text and "A02 设备" in page.text  # the catalogue offered as choices
        refused = agent.post("/projects/new", data={**_form(world, ["A02 01", "X9"]), "csrf_token": _token(page.text)})
        assert refused.status_code == 400
        assert "第2标段（包）的品目分类代码“X9”格式不对" in _text(refused.text)
        assert 'value="X9"' in refused.text and 'value="A02 01"' in refused.text  # kept as typed
        assert _projects(db) == before  # nothing registered

        page = agent.get("/projects/new")
        done = agent.post(
            "/projects/new",
            data={**_form(world, ["a02010104", "A05"]), "csrf_token": _token(page.text)},
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        project_id = int(re.fullmatch(r"/projects/(\d+)", done.headers["location"]).group(1))
        shown = _text(agent.get(f"/projects/{project_id}").text)
    assert "品目分类：A02010104 设备类" in shown and "品目分类：A05 家具和用具" in shown


def test_the_api_checks_the_code_and_returns_it_with_its_name(db, client, world):
    headers = api_token(client, "items-agent")
    body = {
        "name": "示范市第二中学物业管理服务采购",
        "transaction_type": "gov_procurement",
        "method": "open_tender",
        "tenderer_id": world.school,
        "agency_id": world.agency,
        "budget": "300000",
        "region_code": "350100",
        "funding_source": "财政资金",
        "sections": [{"name": "物业管理服务", "estimate": "300000", "qualification": "具有独立法人资格"}],
    }
    before = _projects(db)
    for code, says in (("D01", "大类不在《政府采购品目分类目录》中"), ("A2", "格式不对"), ("C01-02", "格式不对")):
        body["sections"][0]["item_classification"] = code
        r = client.post("/api/v1/projects", headers=headers, json=body)
        assert r.status_code == 422, r.text
        assert r.json()["code"] == "invalid_input" and says in r.json()["detail"], r.json()
    assert _projects(db) == before
    body["sections"][0]["item_classification"] = " c01 "
    r = client.post("/api/v1/projects", headers=headers, json=body)
    assert r.status_code == 201, r.text
    section = r.json()["sections"][0]
    assert section["item_classification"] == "C01"
    assert section["item_classification_name"] == "科学研究和试验开发"
    got = client.get(f"/api/v1/projects/{r.json()['id']}", headers=headers).json()
    assert got["sections"][0]["item_classification"] == "C01"


def test_a_complete_catalogue_refuses_codes_it_does_not_list(db, client, world, tmp_path, monkeypatch):
    from sunshine.config import get_settings
    from sunshine.trading import classification

    full = tmp_path / "catalogue.yaml"
    full.write_text(
        "scheme: CN-GPCC\ntitle: 政府采购品目分类目录\ncomplete: true\n"
        "classes: {A: 货物, A02: 设备, A0201: 计算机设备}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SUNSHINE_ITEM_CLASSIFICATION", str(full))
    get_settings.cache_clear()
    classification.catalogue.cache_clear()
    try:
        assert classification.check("a0201", section=1) == "A0201"
        with pytest.raises(Exception, match="不在《政府采购品目分类目录》中"):
            classification.check("A0202", section=1)
    finally:
        monkeypatch.delenv("SUNSHINE_ITEM_CLASSIFICATION")
        get_settings.cache_clear()
        classification.catalogue.cache_clear()
