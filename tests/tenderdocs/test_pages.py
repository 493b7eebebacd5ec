"""The pages as people use them: the centre adds a template; the agency drafts on the project's documents page
(a mandatory clause left empty is refused with its name), the purchaser confirms, the agency files, the finance
department sees the filing and orders a change; a holder acknowledges a clarification under /me and the agency
sees the receipt. Chinese labels, no internal codes; other parties see nothing."""

from __future__ import annotations

from sunshine.trading import registrations
from sunshine.trading.models import Section
from tests.pages import browser, csrf_token, page_text
from tests.tenderdocs.builders import CLAUSES, FILLED, switch_on
from tests.trading.builders import accepted_project, publish_notice, tender_world


def test_documents_walk_through_the_pages(db, app):
    w = tender_world(db)
    switch_on(db, w["centre"])
    with browser(app, w["centre"].username) as centre:
        page = centre.get("/tender-templates")
        lines = "\n".join(f"{k}|{t}|{'必备' if m else '可选'}" for k, t, m in CLAUSES)
        done = centre.post(
            "/tender-templates",
            data={
                "transaction_type": "gov_procurement",
                "name": "政府采购货物和服务招标文件范本",
                "clauses": lines,
                "csrf_token": csrf_token(page.text),
            },
            follow_redirects=True,
        )
        text = page_text(done.text)
        assert "已新增范本" in text and "无效投标条款" in text and "政府采购" in text
    pid = accepted_project(db, w, transaction_type="gov_procurement", sections=[("第一包", "2000000.00")])
    keys = [k for k, _, _ in CLAUSES]
    with browser(app, w["agency"].username) as agency:
        page = agency.get(f"/projects/{pid}")
        assert f"/projects/{pid}/tender-documents" in page.text
        page = agency.get(f"/projects/{pid}/tender-documents")
        text = page_text(page.text)
        assert "尚未编制" in text and "代理机构尚未依范本编制招标文件" in text and "无效投标条款（必备）" in text
        form = {"template_id": "1", "clause_key": keys, "csrf_token": csrf_token(page.text)}
        bad = agency.post(
            f"/projects/{pid}/tender-documents",
            data={**form, "clause_text": [FILLED.get(k, "") if k != "invalid_bids" else "" for k in keys]},
            follow_redirects=True,
        )
        assert "必备条款未填写：无效投标条款" in page_text(bad.text)
        ok = agency.post(
            f"/projects/{pid}/tender-documents",
            data={**form, "clause_text": [FILLED.get(k, "") for k in keys]},
            follow_redirects=True,
        )
        assert "已编制招标文件第1版" in page_text(ok.text) and "待采购人确认" in page_text(ok.text)
    with browser(app, w["tenderer"].username) as tenderer:
        page = tenderer.get(f"/projects/{pid}/tender-documents")
        done = tenderer.post(
            f"/projects/{pid}/tender-documents/confirm",
            data={"csrf_token": csrf_token(page.text)},
            follow_redirects=True,
        )
        assert "已审核确认招标文件" in page_text(done.text)
    with browser(app, w["agency"].username) as agency:
        page = agency.get(f"/projects/{pid}/tender-documents")
        done = agency.post(
            f"/projects/{pid}/tender-documents/file", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True
        )
        assert "已送财政部门备案" in page_text(done.text)
    with browser(app, w["supervisor"].username) as department:
        listing = page_text(department.get("/tender-documents/filings").text)
        assert "已送财政部门备案" in listing and "filed" not in listing
        page = department.get(f"/projects/{pid}/tender-documents")
        done = department.post(
            f"/projects/{pid}/tender-documents/orders",
            data={"reason": "评分标准中本地企业加分应删除", "csrf_token": csrf_token(page.text)},
            follow_redirects=True,
        )
        text = page_text(done.text)
        assert "财政部门责令修改" in text and "评分标准中本地企业加分应删除" in text and "待修改" in text
    with browser(app, w["other_agency"].username) as other:
        assert other.get(f"/projects/{pid}/tender-documents").status_code == 404


def test_a_holder_acknowledges_on_its_page_and_the_agency_sees_it(db, app):
    w = tender_world(db)
    pid = accepted_project(db, w, transaction_type="gov_procurement", sections=[("第一包", "2000000.00")])
    first = publish_notice(db, w["agency"], pid)
    with db.unit_of_work() as s:
        section = s.query(Section).filter_by(project_id=pid).one().id
        registrations.register_bidder(s, w["bidders"][0], pid, section, "王经理", "13800138000")
    with db.unit_of_work() as s:
        registrations.register_bidder(s, w["bidders"][1], pid, section, "李经理", "13900139000")
    from sunshine.trading import notices

    with db.unit_of_work() as s:
        notice = notices.publish_amendment(
            s, w["agency"], pid, first, kind="clarification", title="澄清公告", body_html="<p>澄清。</p>"
        ).id
    with browser(app, w["bidders"][0].username) as bidder:
        page = bidder.get("/me/acknowledgements")
        assert "澄清公告" in page_text(page.text) and "签收" in page.text
        done = bidder.post(
            f"/me/acknowledgements/{notice}", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True
        )
        assert "已签收" in page_text(done.text)
    with browser(app, w["agency"].username) as agency:
        text = page_text(agency.get(f"/projects/{pid}/acknowledgements").text)
        assert "已签收 1 家，未签收 1 家" in text and "示范建设集团有限公司" in text and "闽江路桥工程有限公司" in text
