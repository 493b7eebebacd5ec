"""An engineering tender's prices through the chair's pages and its signed report as a PDF. The chair records an
arithmetic correction under the tender documents' rules (平台默认值, pack rule ``arithmetic_correction``; 第五十九条's
rules are refused there, and a pack that turns corrections off refuses them all) and a quantified adjustment in the
session room; the bidder confirms the correction. Once every member has signed, the report downloads as a PDF for its
readers only: its Chinese text is drawn with the embedded font, it names the committee, the ranking, the dissent and
the report's hash, and its QR code opens the report's ledger entry with its proof."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
import zxingcpp

from sunshine.config import get_settings
from sunshine.core import clock as core_clock
from sunshine.evaluation import declaration
from tests.evaluation.builders import opened_tender
from tests.evaluation.walk import form_committee, ok, session_of, tokens
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import cheap_password_hashing

BASE = "/api/v1/evaluation"
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()


def _post(visitor, url, page_url, data):
    page = visitor.get(page_url)
    assert page.status_code == 200, page.text
    return visitor.post(url, data={**data, "csrf_token": csrf_token(page.text)}, follow_redirects=True)


def test_chair_pages_for_prices_and_the_signed_report_as_pdf(db, app, client, clock, monkeypatch):
    prices = ("3986500.00", "3912800.00", "4035000.00")
    w = opened_tender(db, clock, procurement=False, prices=prices)
    tokens(client, w)
    headers, chair = form_committee(client, w)
    hc = headers[chair]
    view = session_of(client, w, hc)
    for b in view["bids"]:
        for stage in ("qualification", "compliance"):
            ok(
                client.post(
                    f"{BASE}/sessions/{w.sid}/bids/{b['id']}/review", json={"stage": stage, "passed": True}, headers=hc
                )
            )
    by_price = {b["price"]: b for b in view["bids"]}
    chair_name = next(m["name"] for m in view["members"] if m["id"] == chair)
    chair_user = next(e["username"] for e in w.pool if e["name"] == chair_name)
    room = f"/evaluation/sessions/{w.sid}"
    due = (core_clock.now() + timedelta(hours=1)).astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M")

    with browser(app, chair_user) as visitor:
        text = page_text(visitor.get(room).text)
        assert "报价修正与价格折算" in text and "修正投标报价的算术错误" in text and "价格量化折算" in text
        assert "投标文件中的大写金额与小写金额不一致的，以大写金额为准" in text
        assert "开标一览表（报价表）内容" not in text  # 第五十九条's rules are procurement's
        wrong = _post(
            visitor,
            f"{room}/corrections",
            room,
            {
                "bid_id": by_price["3986500.00"]["id"],
                "rule": "words_prevail",
                "corrected": "3968500.00",
                "facts": "大写金额与小写金额不一致",
                "due_at": due,
            },
        )
        assert "请选择招标文件载明的修正情形" in page_text(wrong.text)
        done = _post(
            visitor,
            f"{room}/corrections",
            room,
            {
                "bid_id": by_price["3986500.00"]["id"],
                "rule": "works_words_prevail",
                "corrected": "3968500.00",
                "facts": "投标函大写金额为叁佰玖拾陆万捌仟伍佰元整，小写金额为3986500.00元",
                "due_at": due,
            },
        )
        assert "报价修正已记录，平台已通知投标人确认" in page_text(done.text)
        done = _post(
            visitor,
            f"{room}/adjustments",
            room,
            {
                "bid_id": by_price["3912800.00"]["id"],
                "item": "工期比招标文件要求延长20日",
                "amount": "100000",
                "facts": "按招标文件评标办法量化",
            },
        )
        assert "价格折算已记录" in page_text(done.text)

    # a centre whose pack turns corrections off: refused outright
    with monkeypatch.context() as patched:  # only for this call: the autouse settings stay
        patched.setattr(declaration, "rule_values", lambda s, p: {"arithmetic_correction": Decimal(0)})
        off = client.post(
            f"{BASE}/sessions/{w.sid}/corrections",
            json={
                "bid_id": by_price["4035000.00"]["id"],
                "rule": "works_words_prevail",
                "corrected": "4030000.00",
                "facts": "大写与小写不一致",
                "due_at": (core_clock.now() + timedelta(hours=1)).isoformat(),
            },
            headers=hc,
        )
        assert off.status_code == 409
    cheaper = w.hb[prices.index("3986500.00")]
    mine = ok(client.get(f"{BASE}/my-corrections", headers=cheaper))
    assert [(c["rule_label"], c["basis"]) for c in mine] == [
        (
            "投标文件中的大写金额与小写金额不一致的，以大写金额为准",
            "招标文件载明的算术错误修正规则（平台默认值，待确认）",
        )
    ]
    ok(client.post(f"{BASE}/corrections/{mine[0]['id']}/answer", json={"confirm": True}, headers=cheaper))
    with browser(app, chair_user) as visitor:
        text = page_text(visitor.get(room).text)
        assert "投标人已确认" in text and "3,968,500.00" in text and "100,000.00" in text

    ok(client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=hc))
    ok(client.post(f"{BASE}/sessions/{w.sid}/compute", headers=hc))
    with browser(app, chair_user) as visitor:
        assert visitor.get(f"{room}/report.pdf").status_code == 409  # not signed yet
    members = list(headers)
    dissenter = next(m for m in members if m != chair)
    for m in members:
        body = {"agree": m != dissenter, "dissent": "第一名的施工组织设计深度不足" if m == dissenter else ""}
        last = ok(client.post(f"{BASE}/sessions/{w.sid}/report/sign", json=body, headers=headers[m]))
    assert last["state"] == "finished"
    ranked = [(r["bidder"], r["price"]) for r in sorted(last["content"]["results"], key=lambda r: r["rank"])]
    assert ranked[0][1] == "3968500.00"  # the confirmed correction is the bid's price

    with browser(app, w.bidders[0].username) as visitor:
        assert visitor.get(f"{room}/report.pdf").status_code == 403  # a bidder is no reader of reports
    with browser(app, w.supervisor.username) as visitor:
        assert visitor.get(f"{room}/report.pdf").status_code == 404  # the supervisor before the results
    with browser(app, w.tenderer.username) as visitor:
        assert "下载 PDF" in page_text(visitor.get(f"{room}/report").text)
        got = visitor.get(f"{room}/report.pdf")
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(got.content)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document))).replace("\r\n", "")
    assert last["content"]["title"] in text
    for expected in (
        "一、评标委员会",
        "计算结果与排序",
        "第一名的施工组织设计深度不足",
        chair_name,
        ranked[0][0],
        "招标文件载明的算术错误修正规则",
        last["report_sha256"],
    ):
        assert expected in text, expected
    image = document[len(document) - 1].render(scale=3).to_pil()
    assert sum(1 for v in image.convert("L").tobytes() if v < 128) > 5000  # glyphs are drawn, not empty boxes
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1
    url = urlparse(codes[0].text)
    assert f"{url.path}?{url.query}" == f"/ledger?seq={last['report_ledger_seq']}"
    assert str(last["report_ledger_seq"]) in page_text(client.get(f"/ledger?seq={last['report_ledger_seq']}").text)
