"""The service desk's pages as people use them: a citizen leaves a message and keeps its number and lookup
code; the desk sees it with the knowledge base's suggestion beside it and routes it; the department replies; the
callback closes it; the citizen follows it and rates it; the figures are published with a chart and a table;
the knowledge base is searched in Chinese. Labels everywhere, never codes."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sunshine.core.auth import Principal
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.servicedesk import desk, knowledge, stats
from sunshine.servicedesk.schemas import ArticleIn
from tests.builders import make_org, make_user
from tests.pages import browser, csrf_token, page_text

STAFF = Principal(user_id=None, roles=frozenset({Role.CENTRE_STAFF}))


def test_desk_pages(app, db, clock) -> None:
    centre = make_org(db, name="示范市公共资源交易中心", kind=OrganisationKind.CENTRE)
    make_user(db, Role.CENTRE_STAFF, username="agent9", organisation_id=centre)
    make_user(db, Role.CENTRE_STAFF, username="handler9", organisation_id=centre)
    from sqlalchemy import select

    from sunshine.identity.models import User

    with db.unit_of_work() as s:
        dept = desk.create_department(s, name="交易服务部", kind="centre")
        desk.add_member(s, dept.id, s.scalar(select(User.id).where(User.username == "handler9")))
        dept_id = dept.id
        guide = knowledge.save(
            s,
            STAFF,
            ArticleIn(
                kind="guide",
                title="CA数字证书办理指南",
                body="投标人办理CA数字证书用于电子投标文件的加密和签章。",
                fields={"materials": "营业执照副本、经办人身份证", "location": "交易中心一楼CA窗口"},
                rule_refs=["centre.service/desk_consult_within"],
            ),
        ).id

    with browser(app) as citizen:
        home = citizen.get("/desk")
        assert home.status_code == 200 and "CA数字证书办理指南" in home.text
        bad = citizen.post(
            "/desk", data={"kind": "consult", "title": "问", "content": "短", "csrf_token": csrf_token(home.text)}
        )
        assert bad.status_code in (400, 422) and "标题应为 4 至 200 个字" in page_text(bad.text)
        r = citizen.post(
            "/desk",
            data={
                "kind": "consult",
                "title": "CA证书在哪里办理",
                "content": "请问投标用的CA数字证书在哪里办理，需要带什么材料？",
                "requester_phone": "13800000011",
                "csrf_token": csrf_token(home.text),
            },
        )
        assert r.status_code == 200, r.text
        text = page_text(r.text)
        code = re.search(r"工单编号 (GD\d+)", text).group(1)
        lookup = re.search(r"查询码 ([A-Z0-9]{8})", text).group(1)

        # the on-site terminal posts the same form
        kiosk = citizen.post(
            "/desk",
            data={
                "kind": "praise",
                "title": "表扬服务窗口",
                "content": "CA窗口的工作人员耐心细致，值得表扬。",
                "channel": "kiosk",
                "csrf_token": csrf_token(home.text),
            },
        )
        assert kiosk.status_code == 200 and "工单编号" in kiosk.text

    with browser(app, "agent9") as agent:
        listing = page_text(agent.get("/desk/orders").text)
        assert "现场终端" in listing
        assert code in listing and "已登记" in listing and "网上留言" in listing and "registered" not in listing
        oid = int(re.search(rf'href="/desk/orders/(\d+)">{code}<', agent.get("/desk/orders").text).group(1))
        page = agent.get(f"/desk/orders/{oid}")
        assert "知识库建议" in page.text and "CA数字证书办理指南" in page.text and "13800000011" in page.text
        r = agent.post(
            f"/desk/orders/{oid}/route",
            data={"department_id": str(dept_id), "csrf_token": csrf_token(page.text)},
            follow_redirects=False,
        )
        assert r.status_code == 303
        page = agent.get(f"/desk/orders/{oid}")
        text = page_text(page.text)
        assert "办理中" in text and "转办" in text and "交易服务部" in text and "平台默认值" in text

        # the desk adds a FAQ and edits a questionnaire through its pages
        form = agent.get("/desk/knowledge/new")
        r = agent.post(
            "/desk/knowledge",
            data={
                "kind": "faq",
                "title": "开标时必须到场吗",
                "body": "电子开标可在线参加并解密投标文件。",
                "csrf_token": csrf_token(form.text),
            },
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"].startswith("/knowledge/")
        qpage = agent.get("/desk/questionnaires")
        assert "服务台工单办理" in qpage.text and "工作人员服务态度热情、规范" in qpage.text
        r = agent.post(
            "/desk/questionnaires/order_closed",
            data={
                "title": "服务台工单办理满意度测评",
                "items": "答复及时\n答复清楚\n态度良好",
                "csrf_token": csrf_token(qpage.text),
            },
            follow_redirects=False,
        )
        assert r.status_code == 303 and "答复清楚" in agent.get("/desk/questionnaires").text

    with browser(app, "handler9") as handler:
        page = handler.get(f"/desk/orders/{oid}")
        assert page.status_code == 200
        handler.post(
            f"/desk/orders/{oid}/reply",
            data={"text": "请到交易中心一楼CA窗口办理，携带营业执照副本。", "csrf_token": csrf_token(page.text)},
        )
        assert "已答复待回访" in page_text(handler.get(f"/desk/orders/{oid}").text)

    with browser(app, "agent9") as agent:
        page = agent.get(f"/desk/orders/{oid}")
        agent.post(f"/desk/orders/{oid}/callback", data={"satisfaction": "5", "csrf_token": csrf_token(page.text)})
        assert "已办结" in page_text(agent.get(f"/desk/orders/{oid}").text)

    with browser(app) as citizen:
        page = citizen.get("/desk/track", params={"code": code, "lookup": lookup})
        text = page_text(page.text)
        assert "已办结" in text and "请评价本次服务" in text and "登记" in text and "order_closed" not in page.text
        items = re.findall(r'name="(a_[a-z0-9_]+)"', page.text)
        data = {name: "4" for name in set(items)} | {
            "code": code,
            "lookup": lookup,
            "csrf_token": csrf_token(page.text),
        }
        r = citizen.post("/desk/track/survey", data=data, follow_redirects=False)
        assert r.status_code == 303
        assert "请评价本次服务" not in citizen.get("/desk/track", params={"code": code, "lookup": lookup}).text

        # published next month, with a chart and its table
        clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
        with db.unit_of_work() as s:
            stats.publish_month(s, None, "2026-11")
        sat = citizen.get("/satisfaction")
        text = page_text(sat.text)
        assert "data-echarts" in sat.text and "2026-11" in text and "服务台工单办理" in text and "80.0" in text
        st = page_text(citizen.get("/desk/statistics", params={"year": 2026}).text)
        assert "按期答复率" in st and "咨询" in st and "100.0%" in st
        feed = citizen.get("/feeds/category/desk.satisfaction.atom")
        assert feed.status_code == 200 and "2026年11月服务满意度测评结果" in feed.text
        kb = citizen.get("/knowledge", params={"q": "数字证书怎么办"})
        assert "CA数字证书办理指南" in kb.text
        article = page_text(citizen.get(f"/knowledge/{guide}").text)
        assert "营业执照副本" in article and "办理地点" in article and "服务台咨询类工单转办后答复" in article


def test_a_citizen_sees_the_knowledge_bases_suggestions_while_writing_and_on_the_receipt(app, db) -> None:
    with db.unit_of_work() as s:
        knowledge.save(
            s,
            STAFF,
            ArticleIn(kind="guide", title="投标保证金缴纳与退还办事指南", body="投标保证金在合同签订后退还。"),
        )
        knowledge.save(s, STAFF, ArticleIn(kind="faq", title="开标时投标人必须到场吗？", body="电子开标不必到场。"))
    with browser(app) as citizen:
        home = citizen.get("/desk")
        assert 'hx-get="/desk/suggestions"' in home.text and 'id="suggestions"' in home.text
        part = citizen.get("/desk/suggestions", params={"title": "保证金什么时候退还", "content": ""})
        text = page_text(part.text)
        assert part.status_code == 200 and "投标保证金缴纳与退还办事指南" in text and "办事指南" in text
        assert "开标时投标人必须到场吗" not in text
        assert page_text(citizen.get("/desk/suggestions", params={"title": "", "content": ""}).text).strip() == ""
        assert citizen.get("/desk/suggestions", params={"title": "长" * 201}).status_code == 422
        done = citizen.post(
            "/desk",
            data={
                "csrf_token": csrf_token(home.text),
                "kind": "consult",
                "title": "保证金退还",
                "content": "合同已签，投标保证金何时退还？",
            },
        )
        assert done.status_code == 200 and "知识库建议" in page_text(done.text)
        assert "投标保证金缴纳与退还办事指南" in page_text(done.text)
