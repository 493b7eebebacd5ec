"""The governance pages as people use them: the office drafts and opens a consultation through its forms, a
visitor comments on the public page (name and mobile never shown), the office answers and the committee office
adopts; an opinion registered, assessed and answered late through the forms is shown late; the 政务办 re-checks
a catalog and a department claims items; each role's workbench shows its links in Chinese, and the pages refuse
whoever may not act."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.governance.builders import cast
from tests.pages import browser, csrf_token, page_text


def _post(client, url: str, page_html: str, **data):
    return client.post(url, data={**data, "csrf_token": csrf_token(page_html)}, follow_redirects=True)


def test_governance_through_the_pages(db, app, clock):
    people = cast(db)
    with browser(app, people.office) as office:
        page = office.get("/staff/governance/consultations")
        assert page.status_code == 200 and "起草征求意见稿" in page_text(page.text)
        made = _post(
            office,
            "/staff/governance/consultations",
            page.text,
            title="交易中心场地预约规则",
            kind="normative",
            draft_text="第一条 开标、评标场地应当提前预约，交易中心在1个工作日内确认。",
            explanation="为规范场地预约，结合本中心实际起草。",
        )
        assert "已起草 ZQ" in page_text(made.text)
        cid = int(re.search(r"/staff/governance/consultations/(\d+)", made.text).group(1))
        detail = office.get(f"/staff/governance/consultations/{cid}")
        refused = _post(office, f"/staff/governance/consultations/{cid}/open", detail.text, days="7")
        assert "请说明理由" in page_text(refused.text)
        opened = _post(office, f"/staff/governance/consultations/{cid}/open", detail.text, days="30")
        assert "已公开征求意见" in page_text(opened.text)
    with browser(app) as visitor:
        public = visitor.get(f"/governance/consultations/{cid}")
        assert "提出意见" in page_text(public.text)
        sent = _post(
            visitor,
            f"/governance/consultations/{cid}/comments",
            public.text,
            body="建议预约确认通过短信告知，联系人手机13912345678。",
            name="李四",
            contact="13912345678",
        )
        assert "意见已收到" in page_text(sent.text)
        assert "13912345678" not in sent.text and "李四" not in sent.text
    clock.advance(timedelta(days=31))
    with browser(app, people.office) as office:
        detail = office.get(f"/staff/governance/consultations/{cid}")
        text = page_text(detail.text)
        assert "李四" in text and "（不公开）" in text  # the office sees who wrote, for the answer
        comment_id = re.search(r"/staff/governance/comments/(\d+)/answer", detail.text).group(1)
        answered = _post(
            office,
            f"/staff/governance/comments/{comment_id}/answer",
            detail.text,
            handling="adopted",
            answer="已采纳。",
        )
        assert "已答复该条意见" in page_text(answered.text)
    with browser(app, people.committee) as committee:
        detail = committee.get(f"/staff/governance/consultations/{cid}")
        adopted = _post(
            committee,
            f"/staff/governance/consultations/{cid}/adopt",
            detail.text,
            adopted_text="第一条 开标、评标场地应当提前预约，交易中心在1个工作日内确认并以短信告知。",
            summary="共收到意见1条，已采纳。",
        )
        assert "已审定公布" in page_text(adopted.text)
        assert (
            committee.post("/staff/governance/consultations", data={"csrf_token": csrf_token(detail.text)}).status_code
            == 403
        )
    with browser(app, people.office) as office:  # the annual report's table 二 counts it (本年制发件数)
        report = page_text(office.get("/disclosure/annual-report/2026").text)
        assert "平台记录：1（本年公开征求意见后审定公布的规范性文件）" in report
    with browser(app) as visitor:
        text = page_text(visitor.get(f"/governance/consultations/{cid}").text)
        assert "审定文本" in text and "采纳" in text and "13912345678" not in text and "李四" not in text
        assert "139****5678" in text

    # an opinion answered late, through the forms
    with browser(app, people.office) as office:
        page = office.get("/staff/governance/opinions")
        _post(
            office,
            "/staff/governance/opinions",
            page.text,
            source="opinion_box",
            ref="YJ-01",
            title="建议延长咨询电话服务时间",
            content="意见箱留言建议中午时段也能接听咨询电话。",
        )
        listing = office.get("/staff/governance/opinions")
        oid = re.search(r"/staff/governance/opinions/(\d+)", listing.text).group(1)
        detail = office.get(f"/staff/governance/opinions/{oid}")
        assessed = _post(
            office, f"/staff/governance/opinions/{oid}/assess", detail.text, risk="low", note="一般诉求，低风险"
        )
        assert "前回应" in page_text(assessed.text)
    clock.advance(timedelta(days=10))
    with browser(app, people.office) as office:
        detail = office.get(f"/staff/governance/opinions/{oid}")
        late = _post(
            office,
            f"/staff/governance/opinions/{oid}/answer",
            detail.text,
            text="自下月起中午时段安排专人接听。",
            public="1",
        )
        assert "已回应（逾期" in page_text(late.text)
    with browser(app) as visitor:
        assert "逾期" in page_text(visitor.get(f"/governance/opinions/{oid}").text)
        assert "已回应" in page_text(visitor.get("/governance").text) or "逾期" in page_text(
            visitor.get("/governance").text
        )

    # each role's workbench, and a page refused
    for username, expected in (
        (people.office, "征求意见"),
        (people.higher, "部门考核"),
        (people.evaluator, "政务公开检查"),
        (people.staff_a, "本部门领取事项"),
    ):
        with browser(app, username) as who:
            page = who.get("/staff/governance")
            assert page.status_code == 200 and expected in page_text(page.text)
    with browser(app, people.staff_b) as supervisor:
        assert supervisor.get("/staff/governance/consultations").status_code == 403
    with browser(app, people.higher) as higher:
        assert "按考核办法计算" in page_text(higher.get("/staff/governance/scores?year=2026").text)
    with browser(app) as visitor:
        assert "政务公开监督" in page_text(visitor.get("/disclosure").text)  # the 政务公开 page's links
