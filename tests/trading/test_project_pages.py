"""Project pages as people use them: an agency registers a project through the form, the centre
returns it with a reason and later accepts it, the timeline shows every step with its ledger proof,
and the public and unrelated bidders see only what is public."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest

from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from tests.builders import make_org, make_user
from tests.pages import browser
from tests.pages import csrf_token as _token
from tests.pages import page_text as _text


@pytest.fixture
def world(db):
    school = make_org(db, name="示范市第一中学", kind=OrganisationKind.PURCHASER)
    agency = make_org(db, name="福建中正招标代理有限公司", kind=OrganisationKind.AGENCY)
    firm = make_org(db, name="示范建设集团有限公司", kind=OrganisationKind.ENTERPRISE)
    make_user(db, Role.AGENCY, username="agent", organisation_id=agency)
    make_user(db, Role.CENTRE_STAFF, username="staff")
    make_user(db, Role.BIDDER, username="bidder", organisation_id=firm)
    return SimpleNamespace(school=school, agency=agency, firm=firm)


def _form(world, **overrides) -> dict:
    data = {
        "name": "示范市第一中学教学楼改造工程",
        "type_method": "gov_procurement:open_tender",
        "tenderer_id": str(world.school),
        "agency_id": str(world.agency),
        "budget": "1,200,000",
        "region_code": "350100",
        "funding_source": "财政资金",
        "evaluation_method": "综合评分法",
        "description": "教学楼外立面与门窗改造",
        "green_reason": "",
        "section_name": ["第一标段：外立面", "第二标段：门窗"],
        "section_estimate": ["600000", "500000.50"],
        "section_qualification": ["具有建筑装修装饰工程专业承包二级资质", "具有门窗制作安装能力"],
    }
    data.update(overrides)
    return data


def _register(client, world, **overrides):
    page = client.get("/projects/new")
    assert page.status_code == 200
    return client.post(
        "/projects/new", data={**_form(world, **overrides), "csrf_token": _token(page.text)}, follow_redirects=False
    )


def _project_id(response) -> int:
    assert response.status_code == 303, response.text
    return int(re.fullmatch(r"/projects/(\d+)", response.headers["location"]).group(1))


def test_registration_form_defaults_to_the_agency_and_lists_packs(app, world):
    with browser(app, "agent") as agent:
        page = agent.get("/projects/new")
    assert page.status_code == 200
    assert "进场登记" in page.text
    assert re.search(rf'<option value="{world.agency}" selected>福建中正招标代理有限公司</option>', page.text)
    assert '<option value="gov_procurement:open_tender">政府采购 · 公开招标</option>' in page.text
    assert "示范市第一中学（招标人/采购人）" in page.text
    assert "disclosure:" not in page.text, "only trading packs are offered"
    assert page.text.count('name="section_name"') == 1
    with browser(app, "agent") as agent:
        three = agent.get("/projects/new?sections=3")
    assert three.text.count('name="section_name"') == 3


def test_agency_registers_project_with_two_sections(app, world):
    with browser(app, "agent") as agent:
        response = _register(agent, world)
        project_id = _project_id(response)
        page = agent.get(f"/projects/{project_id}")
    assert page.status_code == 200
    text = _text(page.text)
    code = re.search(r"已登记，统一交易标识码 (350100E\d{10}[0-9A-Z])", text).group(1)
    assert f"统一交易标识码 {code}" in text
    assert "政府采购 · 公开招标" in text
    assert "1,200,000.00" in text, "the budget is shown in yuan with thousands separators"
    assert "第一标段：外立面" in text and "第二标段：门窗" in text and "500,000.50" in text
    assert "示范市第一中学" in text and "福建中正招标代理有限公司" in text
    assert "已登记，待受理" in text
    assert '<a href="/rules/gov_procurement.open_tender">' in page.text
    assert "进场登记" in text and "/ledger?seq=" in page.text


def test_add_section_button_keeps_what_was_typed(app, world):
    with browser(app, "agent") as agent:
        page = agent.get("/projects/new")
        response = agent.post(
            "/projects/new", data={**_form(world), "add_section": "1", "csrf_token": _token(page.text)}
        )
    assert response.status_code == 200
    assert response.text.count('name="section_name"') == 3
    assert 'value="第二标段：门窗"' in response.text and 'value="1,200,000"' in response.text
    assert "第 3 标段（包）" in response.text
    with browser(app, "agent") as agent:
        page = agent.get("/projects/new")
        fewer = agent.post(
            "/projects/new", data={**_form(world), "remove_section": "0", "csrf_token": _token(page.text)}
        )
    assert fewer.status_code == 200 and fewer.text.count('name="section_name"') == 1
    assert 'value="第二标段：门窗"' in fewer.text and "第一标段：外立面" not in fewer.text


def test_validation_errors_are_shown_beside_fields_with_values_kept(app, world, db):
    with browser(app, "agent") as agent:
        response = _register(
            agent,
            world,
            name="改造",
            budget="一百万",
            region_code="35010",
            section_estimate=["600000", "abc"],
            section_name=["第一标段：外立面", ""],
        )
        assert response.status_code == 400
        html = response.text
        assert re.search(r'id="f-name-error">.*至少 4 个字', html)
        assert re.search(r'id="f-budget-error">.*请填写金额', html)
        assert re.search(r'id="f-region_code-error">.*6位行政区划代码', html)
        assert re.search(r'id="f-section-2-estimate-error">.*请填写金额', html)
        assert re.search(r'id="f-section-2-name-error">.*必填', html)
        assert 'value="改造"' in html and 'value="一百万"' in html and 'value="abc"' in html
        assert "具有门窗制作安装能力" in html

        # a rule of the service, beside its field: sections over the budget; green channel without a reason
        over = _register(agent, world, budget="1000000")
        assert over.status_code == 400
        assert re.search(r'id="sections-error">.*超过项目预算', over.text)
        assert 'value="1000000"' in over.text
        no_reason = _register(agent, world, green_channel="1")
        assert no_reason.status_code == 400
        assert re.search(r'id="f-green_reason-error">.*绿色通道须说明理由', no_reason.text)
        assert 'name="green_channel" type="checkbox" value="1" checked' in no_reason.text

        # nothing of a refused registration is kept
        assert "本单位尚未登记项目" in agent.get("/projects/mine").text


def test_other_agency_cannot_register_for_a_tenderer_it_does_not_represent(app, world, db):
    other = make_org(db, name="另一代理公司", kind=OrganisationKind.AGENCY)
    make_user(db, Role.AGENCY, username="agent2", organisation_id=other)
    with browser(app, "agent2") as agent:
        response = _register(agent, world)  # agency_id is the first agency, not theirs
    assert response.status_code == 400
    assert re.search(r'id="f-agency_id-error">.*代理机构可以登记', response.text)


def test_return_resubmit_accept_and_timeline(app, world, clock):
    with browser(app, "agent") as agent:
        plain = _project_id(_register(agent, world))
        clock.advance(timedelta(minutes=5))
        green = _project_id(
            _register(
                agent,
                world,
                name="乡村振兴帮扶道路工程",
                green_channel="1",
                green_reason="脱贫攻坚帮扶项目",
                budget="1200000",
            )
        )

    with browser(app, "staff") as staff:
        queue = staff.get("/staff/queue")
        assert queue.status_code == 200
        text = _text(queue.text)
        assert text.index("乡村振兴帮扶道路工程") < text.index("示范市第一中学教学楼改造工程"), "green channel first"
        assert "绿色通道" in text and "脱贫攻坚帮扶项目" in text

        # a return without a reason is refused and says why
        refused = staff.post(
            f"/projects/{plain}/return", data={"reason": " ", "next": "/staff/queue", "csrf_token": _token(queue.text)}
        )
        assert refused.status_code == 200 and "须说明理由" in refused.text
        clock.advance(timedelta(minutes=5))
        returned = staff.post(
            f"/projects/{plain}/return",
            data={"reason": "资金来源证明未附，请补正", "next": "/staff/queue", "csrf_token": _token(queue.text)},
            follow_redirects=False,
        )
        assert returned.status_code == 303 and returned.headers["location"] == "/staff/queue"
        after = staff.get("/staff/queue")
        assert "已退回" in after.text and f"/projects/{plain}/accept" not in after.text
        # a step that is no longer possible answers with a flash, not a crash
        again = staff.post(f"/projects/{plain}/accept", data={"next": "/staff/queue", "csrf_token": _token(after.text)})
        assert again.status_code == 200 and "不能“交易中心受理”" in again.text

    with browser(app, "agent") as agent:
        mine = _text(agent.get("/projects/mine").text)
        assert "退回理由：资金来源证明未附，请补正" in mine and "修改并重新提交" in mine
        page = agent.get(f"/projects/{plain}")
        assert "理由：资金来源证明未附，请补正" in _text(page.text)
        assert f'href="/projects/{plain}/edit"' in page.text

        form = agent.get(f"/projects/{plain}/edit")
        assert form.status_code == 200
        assert 'value="示范市第一中学教学楼改造工程"' in form.text and 'value="第二标段：门窗"' in form.text
        assert "政府采购 · 公开招标" in form.text
        clock.advance(timedelta(minutes=5))
        data = _form(world, funding_source="财政资金（附资金证明）")
        data.pop("type_method")
        resubmitted = agent.post(
            f"/projects/{plain}/edit", data={**data, "csrf_token": _token(form.text)}, follow_redirects=False
        )
        assert resubmitted.status_code == 303 and resubmitted.headers["location"] == f"/projects/{plain}"
        assert "已修改并重新提交" in agent.get(f"/projects/{plain}").text

    with browser(app, "staff") as staff:
        queue = staff.get("/staff/queue")
        clock.advance(timedelta(minutes=5))
        accepted = staff.post(
            f"/projects/{plain}/accept", data={"next": f"/projects/{plain}", "csrf_token": _token(queue.text)}
        )
        assert accepted.status_code == 200 and "已受理" in accepted.text

    with browser(app, "agent") as agent:
        page = agent.get(f"/projects/{plain}")
        html = page.text
        text = _text(html)
        assert "已受理" in text and "资金来源 财政资金（附资金证明）" in text
        steps = re.findall(r'<span class="timeline-title">([^<]+)</span>', html)
        assert steps == ["进场登记", "交易中心退回", "修改后重新提交", "交易中心受理"]
        assert "2026-11-23 09:00" in text, "times are shown in Asia/Shanghai"
        assert f'href="/projects/{plain}/notices/new"' in html, "the agency may now publish its notice"
        seqs = re.findall(r'href="/ledger\?seq=(\d+)"', html)
        assert len(seqs) == 4
        code = re.search(r'<p class="stat-value mono">([0-9A-Z]{18})</p>', html).group(1)
        for seq in seqs:
            proof = agent.get(f"/ledger?seq={seq}")
            assert proof.status_code == 200
            assert f"project:{code}" in proof.text, "every ledger entry names the project's transaction code"
        assert green != plain


def test_unrelated_bidder_and_public_do_not_see_unpublished_projects(app, world):
    with browser(app, "agent") as agent:
        project_id = _project_id(_register(agent, world, green_channel="1", green_reason="民生保障工程"))
    with browser(app, "bidder") as bidder:
        assert bidder.get(f"/projects/{project_id}").status_code == 404
        assert "示范市第一中学教学楼改造工程" not in bidder.get("/projects").text
    with browser(app) as public:
        assert public.get(f"/projects/{project_id}").status_code == 404
        listing = public.get("/projects")
        assert listing.status_code == 200 and "示范市第一中学教学楼改造工程" not in listing.text
        green = public.get("/projects/green")
        assert green.status_code == 200 and "示范市第一中学教学楼改造工程" not in green.text
        assert "暂无公开的绿色通道项目" in green.text
        home = public.get("/")
        assert home.status_code == 200 and "示范市第一中学教学楼改造工程" not in home.text
        assert re.search(r'id="green-count">0<', home.text)
        trading = public.get("/trading")
        assert trading.status_code == 200 and "示范市第一中学教学楼改造工程" not in trading.text
        assert "市场主体名录" in trading.text and "福建中正招标代理有限公司" in trading.text
    with browser(app, "staff") as staff:
        assert staff.get(f"/projects/{project_id}").status_code == 200, "the centre sees what it must accept"


def test_bidder_cannot_open_the_registration_form(app, world):
    with browser(app, "bidder") as bidder:
        assert bidder.get("/projects/new").status_code == 403
        assert bidder.get("/staff/queue").status_code == 403
    with browser(app) as public:
        response = public.get("/projects/new", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_suspend_resume_and_terminate_from_the_project_page(app, world, db):
    make_user(db, Role.SUPERVISOR, username="watchdog")
    with browser(app, "agent") as agent:
        project_id = _project_id(_register(agent, world))
    with browser(app, "staff") as staff:
        page = staff.get(f"/projects/{project_id}")
        staff.post(f"/projects/{project_id}/accept", data={"csrf_token": _token(page.text)})
    with browser(app, "watchdog") as supervisor:
        page = supervisor.get(f"/projects/{project_id}")
        assert f'action="/projects/{project_id}/suspend"' in page.text
        assert f'action="/projects/{project_id}/accept"' not in page.text, "acceptance is the centre's"
        suspended = supervisor.post(
            f"/projects/{project_id}/suspend", data={"reason": "收到投诉，暂停核查", "csrf_token": _token(page.text)}
        )
        assert "已暂停" in suspended.text and "理由：收到投诉，暂停核查" in _text(suspended.text)
        assert f'action="/projects/{project_id}/resume"' in suspended.text
        resumed = supervisor.post(f"/projects/{project_id}/resume", data={"csrf_token": _token(suspended.text)})
        assert "已恢复" in resumed.text and "已受理" in resumed.text
    with browser(app, "agent") as agent:
        page = agent.get(f"/projects/{project_id}")
        assert f'action="/projects/{project_id}/suspend"' not in page.text
        refused = agent.post(f"/projects/{project_id}/terminate", data={"reason": "", "csrf_token": _token(page.text)})
        assert refused.status_code == 200 and "须说明理由" in refused.text
        ended = agent.post(
            f"/projects/{project_id}/terminate", data={"reason": "项目资金未落实", "csrf_token": _token(page.text)}
        )
        steps = re.findall(r'<span class="timeline-title">([^<]+)</span>', ended.text)
        assert steps == ["进场登记", "交易中心受理", "暂停", "恢复", "终止"]
        assert "已终止" in ended.text and f'action="/projects/{project_id}/terminate"' not in ended.text
