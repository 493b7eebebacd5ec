"""The results through the pages: the tenderer sees the candidates and the re-check (a ban on a candidate shown as a
warning with its dates), publicises from the page; the bidder objects from the page and the tenderer answers it
there; an anonymous visitor reads the candidates once published, never the re-check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sunshine.credit import service as credit
from sunshine.credit.schemas import BanIn
from tests.disclosure.builders import load_catalog
from tests.pages import browser, csrf_token, page_text
from tests.results.builders import evaluated, fast


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    fast(monkeypatch)


def _post(visitor, url, page_url, data=None):
    page = visitor.get(page_url)
    assert page.status_code == 200, page.text
    return visitor.post(url, data={**(data or {}), "csrf_token": csrf_token(page.text)}, follow_redirects=False)


def test_results_through_the_pages(db, app, client, clock):
    load_catalog(db)
    w = evaluated(db, client, clock, procurement=False, prices=("4800000.00", "4750000.00", "4900000.00"))
    first, second = (w.names[f] for f in w.ranked[:2])
    with db.unit_of_work() as s:
        credit.create_ban(
            s,
            w.supervisor,
            BanIn(
                organisation_id=w.ranked[1],
                starts_on=date(2026, 12, 1),
                ends_on=date(2027, 11, 30),
                basis="《中华人民共和国招标投标法》第五十三条",
                decision_no="示建罚〔2026〕12号",
            ),
        )
    page_url = f"/projects/{w.project_id}/results"
    with browser(app) as anonymous:  # the project page links to the results once the evaluation ended
        project_page = anonymous.get(f"/projects/{w.project_id}").text
        assert f'href="{page_url}"' in project_page
        assert "评标结果（中标候选人、异议与结果公告）" in page_text(project_page)
        text = page_text(anonymous.get(page_url).text)
        assert "中标候选人尚未公示" in text and first not in text
        assert anonymous.get(f"{page_url}/recheck", follow_redirects=False).status_code == 303  # to the login
    with browser(app, w.tenderer.username) as tenderer:
        text = page_text(tenderer.get(page_url).text)
        assert first in text and "公示中标候选人" in text and "评审结束" in text
        check = page_text(tenderer.get(f"{page_url}/recheck").text)
        assert "中标候选人资格审查" in check and second in check
        assert "被禁止参与" in check and "示建罚〔2026〕12号" in check and "2027-11-30" in check.replace("年", "-")
        done = _post(tenderer, f"{page_url}/publicity", page_url)
        assert done.status_code == 303
        assert "中标候选人公示中" in page_text(tenderer.get(page_url).text)
    loser = next(b for b in w.bidders if b.organisation_id == w.ranked[1])
    with browser(app, loser.username) as bidder:
        assert "提出异议" in page_text(bidder.get(page_url).text)
        assert bidder.get(f"{page_url}/recheck").status_code == 403
        filed = _post(bidder, f"{page_url}/objections", page_url, {"content": "第一名的业绩证明材料与实际不符，请核查"})
        assert filed.status_code == 303
        assert "待答复" in page_text(bidder.get(page_url).text)
    with browser(app) as anonymous:
        text = page_text(anonymous.get(page_url).text)
        assert first in text and second in text and "业绩证明材料" not in text  # objections are not public
    clock.advance(timedelta(hours=1))
    with browser(app, w.tenderer.username) as tenderer:
        page = tenderer.get(page_url).text
        assert "答复异议" in page_text(page)
        oid = page.split("/results/objections/")[1].split("/")[0]
        answered = _post(tenderer, f"{page_url}/objections/{oid}/answer", page_url, {"answer": "经核查，业绩真实有效"})
        assert answered.status_code == 303
        assert "经核查，业绩真实有效" in page_text(tenderer.get(page_url).text)
    clock.advance(timedelta(days=7))  # the period has run: the school determines the first candidate
    with browser(app, w.tenderer.username) as tenderer:
        page = tenderer.get(page_url).text
        bid = page.split('name="eval_bid_id"')[1].split('value="')[1].split('"')[0]
        form = {"eval_bid_id": bid, "csrf_token": csrf_token(page)}
        decided = tenderer.post(f"{page_url}/sections/{w.section_id}/winner", data=form, follow_redirects=False)
        assert decided.status_code == 303
        text = page_text(tenderer.get(page_url).text)
        assert f"中标人：{first}" in text.replace(" ", "")
        published = _post(tenderer, f"{page_url}/notice", page_url)
        assert published.status_code == 303 and "结果已公告" in page_text(tenderer.get(page_url).text)
