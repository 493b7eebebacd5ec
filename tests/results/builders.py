"""Builders for the results' tests: a sealed-bid tender taken through its evaluation by the API to a signed report
(the project 评审结束), quickly — every bid passes the reviews, members score alike, everyone agrees. Engineering
uses the lowest evaluated price (nothing to score); procurement comprehensive scoring, with the report delivered
to the purchaser by the agency."""

from __future__ import annotations

from sunshine.config import get_settings
from tests.evaluation.builders import opened_tender
from tests.evaluation.walk import form_committee, ok, session_of, tokens
from tests.trading.builders import cheap_password_hashing

BASE = "/api/v1/evaluation"
RESULTS = "/api/v1/results"
UNQUALIFIED = "未提供招标文件要求的有效期内的医疗器械经营许可证"


def fast(monkeypatch) -> None:
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()


def evaluated(
    db,
    client,
    clock,
    *,
    procurement: bool,
    prices: tuple[str, ...],
    deliver: bool = True,
    deposit: str | None = None,
    unqualified: int | None = None,
):
    """The project in 评审结束 with a signed report ranking ``prices`` (procurement: by equal scores, so by price;
    engineering: lowest evaluated price). ``w.ranked`` are the bidders' organisations in rank order."""
    w = opened_tender(db, clock, procurement=procurement, prices=prices, deposit=deposit)
    tokens(client, w)
    headers, chair = form_committee(client, w)
    hc = headers[chair]
    view = session_of(client, w, hc)
    out = w.names[w.firms[unqualified]] if unqualified is not None else None
    for b in view["bids"]:
        if b["bidder"] == out:  # the committee's qualification review rejects it (``UNQUALIFIED``)
            review = {"stage": "qualification", "passed": False, "reason": "not_qualified", "facts": UNQUALIFIED}
            ok(client.post(f"{BASE}/sessions/{w.sid}/bids/{b['id']}/review", json=review, headers=hc))
            continue
        for stage in ("qualification", "compliance"):
            ok(
                client.post(
                    f"{BASE}/sessions/{w.sid}/bids/{b['id']}/review", json={"stage": stage, "passed": True}, headers=hc
                )
            )
    ok(client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=hc))
    if procurement:
        sheet = {"scores": {str(b["id"]): {"tech": "45", "service": "18"} for b in view["bids"] if b["bidder"] != out}}
        for h in headers.values():
            ok(client.post(f"{BASE}/sessions/{w.sid}/scores", json=sheet, headers=h))
    ok(client.post(f"{BASE}/sessions/{w.sid}/compute", headers=hc))
    for h in headers.values():
        last = ok(client.post(f"{BASE}/sessions/{w.sid}/report/sign", json={"agree": True}, headers=h))
    assert last["state"] == "finished"
    if procurement and deliver:
        ok(client.post(f"{BASE}/sessions/{w.sid}/report/deliver", headers=w.h["agency"]))
    order = sorted((i for i in range(len(prices)) if i != unqualified), key=lambda i: float(prices[i]))
    w.ranked = [w.firms[i] for i in order]
    w.bidder_headers = {w.firms[i]: w.hb[i] for i in range(len(prices))}
    w.member_names = [m["name"] for m in session_of(client, w, w.h["centre"])["members"]]
    w.member_headers, w.chair = headers, chair  # the committee's tokens (a re-evaluation scores again)
    return w


def results(client, w, headers=None) -> dict:
    return ok(client.get(f"{RESULTS}/projects/{w.project_id}", headers=headers or {}))


def candidate_id(view: dict, name: str) -> int:
    return next(c["eval_bid_id"] for c in view["sections"][0]["candidates"] if c["bidder"] == name)
