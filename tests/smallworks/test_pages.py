"""The small-works draw as people see it on the pages: the project page's card and section lines, the draw page
before and after the draw (anyone), the centre's forms to prepare the draw and to record a decline — and never
an internal code (state names, reason codes, refs) on any of them."""

from __future__ import annotations

import re

from sunshine.tasks import tick
from tests.disclosure.builders import load_catalog
from tests.pages import browser, csrf_token, page_text
from tests.smallworks.builders import FIRM_NAMES, draw_project, register, run_draw, world

INTERNAL = re.compile(
    r"smallworks_|organisation:|supervisor:|small_works|candidates_publicised|result_published|bid_closed"
    r"|\b(prepared|drawn|determined|failed|eligible|declined|ineligible|contractor)\b"
)


def _no_codes(text: str) -> None:
    found = [m.group(0) for m in INTERNAL.finditer(text)]
    assert not found, f"internal codes on a page: {found}"


def test_the_draw_from_the_pages(db, app, client, clock):
    load_catalog(db)
    w = world(db, client, firms=4)
    project = draw_project(client, w)
    pid = project["id"]
    for i in range(4):
        register(client, w, project, i)

    with browser(app) as anyone:
        page = anyone.get(f"/projects/{pid}")
        assert page.status_code == 200
        text = page_text(page.text)
        assert "固定价随机抽取" in text and f'href="/projects/{pid}/smallworks"' in page.text
        assert "固定价：386,000.00 元（中选承包人按此价格承包）" in text
        draw_page = anyone.get(f"/projects/{pid}/smallworks")
        assert draw_page.status_code == 200
        text = page_text(draw_page.text)
        assert "报名中，报名截止后组织抽取" in text and "组织随机抽取" not in text
        _no_codes(text)

    clock.set(project["deadline"])
    w.login(client)
    tick(db)
    with browser(app, w.centre.username) as centre:
        page = centre.get(f"/projects/{pid}/smallworks")
        text = page_text(page.text)
        assert "组织随机抽取" in text and w.supervisor.display_name in page.text
        _no_codes(text)
        refused = centre.post(
            f"/projects/{pid}/smallworks/prepare",
            data={"supervisor_user_id": "", "csrf_token": csrf_token(page.text)},
            follow_redirects=True,
        )
        assert "请选择参加抽取的监督部门人员" in page_text(refused.text)
        done = centre.post(
            f"/projects/{pid}/smallworks/prepare",
            data={"supervisor_user_id": str(w.supervisor.user_id), "csrf_token": csrf_token(page.text)},
            follow_redirects=True,
        )
        text = page_text(done.text)
        assert "已组织随机抽取" in text and "进入抽取室" in text and "4 / 4" in text
        _no_codes(text)
    with browser(app) as anyone:
        text = page_text(anyone.get(f"/projects/{pid}/smallworks").text)
        assert "抽取中（等待见证各方签到、各方承诺与揭示）" in text
        assert not any(name in text for name in FIRM_NAMES[:4]), "nobody is named before the draw"

    code = client.get(f"/api/v1/smallworks/projects/{pid}").json()["sections"][0]["draw_code"]
    run_draw(db, w, code)
    result = client.get(f"/api/v1/smallworks/projects/{pid}").json()["sections"][0]
    with browser(app) as anyone:
        page = anyone.get(f"/projects/{pid}/smallworks")
        text = page_text(page.text)
        assert result["contractor"] in text and result["reserve"] in text
        assert "已抽取，结果公示中" in text and f'href="/draws/{code}"' in page.text
        assert "进入抽取室" not in text and "中选人或备选人放弃" not in text
        _no_codes(text)
        public_record = anyone.get(f"/draws/{code}")
        assert public_record.status_code == 200
        assert result["contractor"] in page_text(public_record.text), "the drawn are named on the public record"
        project_page = anyone.get(f"/projects/{pid}")
        text = page_text(project_page.text)
        assert "抽取结果公示中" in text and f"中选承包人：{result['contractor']}" in text
        assert f"随机抽取记录 {code}" in text and f'href="/draws/{code}"' in project_page.text
        _no_codes(text.replace("（engineering.small_works_draw，", ""))  # the rules card names its pack

    with browser(app, w.centre.username) as centre:
        page = centre.get(f"/projects/{pid}/smallworks")
        assert "中选人或备选人放弃、不符合条件" in page_text(page.text)
        done = centre.post(
            f"/projects/{pid}/smallworks/sections/{result['section_id']}/decline",
            data={"outcome": "ineligible", "reason": "安全生产许可证已被暂扣", "csrf_token": csrf_token(page.text)},
            follow_redirects=True,
        )
        text = page_text(done.text)
        assert "已记录，备选承包人递补，变更结果已公示" in text
        assert f"中选人被查实不符合条件：{result['contractor']}。安全生产许可证已被暂扣" in text
        _no_codes(text)
    with browser(app, w.agency.username) as agency:
        page = agency.get(f"/projects/{pid}/smallworks")
        assert "中选人放弃或不符合条件" not in page_text(page.text), "a centre action"
        refused = agency.post(
            f"/projects/{pid}/smallworks/sections/{result['section_id']}/decline",
            data={"outcome": "declined", "reason": "放弃", "csrf_token": csrf_token(page.text)},
        )
        assert refused.status_code == 403


def test_a_project_of_another_method_has_no_draw_page(db, app, client):
    from tests.trading.builders import make_project, publish_notice

    w = world(db, client, firms=0)
    pid = make_project(db, w.agency, tenderer_id=w.school, agency_id=w.agency_org, accept_as=w.centre)
    publish_notice(db, w.agency, pid)
    with browser(app) as anyone:
        assert anyone.get(f"/projects/{pid}/smallworks").status_code == 404
        assert "固定价随机抽取" not in anyone.get(f"/projects/{pid}").text
    response = client.get(f"/api/v1/smallworks/projects/{pid}")
    assert response.status_code == 404 and response.json()["code"] == "not_a_draw_project"
    assert client.get("/api/v1/smallworks/projects/999999").status_code == 404
