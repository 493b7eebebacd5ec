"""Site search as a citizen uses it, on SQLite and PostgreSQL: Chinese queries segmented by jieba with the
trading dictionary, ranked with the title first, highlighted, filtered and faceted; a withdrawn text gone
from the results in the withdrawal's own transaction; the index rebuilt by the reindex command alike.

One walk per concern shares its set-up (projects, notices, publications and a policy published through
the services): the index is filled by the publishing transactions themselves."""

from __future__ import annotations

from decimal import Decimal

from sunshine.disclosure import publications
from sunshine.search import indexing, segment
from tests.disclosure.builders import load_catalog, office, publish
from tests.trading.builders import accepted_project, cheap_password_hashing, publish_notice, tender_world


def _world(db):
    world = tender_world(db)
    bridge = accepted_project(
        db, world, name="示范市滨江路桥梁维修加固工程", sections=[("第一标段：桥梁加固", "8000000.00")]
    )
    hospital = accepted_project(
        db,
        world,
        name="示范市第一人民医院医疗设备采购项目",
        transaction_type="gov_procurement",
        sections=[("第一包：医疗设备", "1200000.00")],
    )
    park = accepted_project(db, world, name="示范市东湖公园绿化养护工程", sections=[("第一标段", "300000.00")])
    notices = {
        name: publish_notice(db, world["agency"], pid)
        for name, pid in (("bridge", bridge), ("hospital", hospital), ("park", park))
    }
    load_catalog(db)
    author = office(db)
    reviewer = office(db)
    guide = publish(
        db,
        author,
        reviewer,
        title="交易中心办事指南",
        body="一、服务事项：进场登记。\n\n二、市政桥梁等工程建设项目进场交易的办理时限：2个工作日。",
    )
    return world, notices, guide, reviewer


def _search(client, **params):
    answer = client.get("/api/v1/search", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_segmentation_of_trading_terms():
    words = segment.tokens("示范市第一人民医院医疗设备采购项目公开招标公告（竞争性磋商）")
    for word in ("医院", "医疗", "设备", "采购", "招标公告", "竞争性磋商", "竞争"):
        assert word in words
    terms = segment.query_terms("  公开招标，桥梁！ 桥梁 ")
    assert [t.word for t in terms] == ["公开招标", "桥梁"]
    assert terms[0].parts == ("公开", "招标")
    assert segment.query_terms("，。！") == []


def test_search_finds_ranks_filters_and_forgets_a_withdrawn_text(db, client, monkeypatch):
    cheap_password_hashing(monkeypatch)
    world, notices, guide, reviewer = _world(db)

    # a term in a notice's title ranks it above a text that only mentions it in its body
    found = _search(client, q="桥梁")
    links = [i["link"] for i in found["items"]]
    assert f"/notices/{notices['bridge']}" in links and f"/disclosure/publications/{guide}" in links
    assert links.index(f"/notices/{notices['bridge']}") < links.index(f"/disclosure/publications/{guide}")
    first = found["items"][0]
    assert "<mark>桥梁</mark>" in first["title_html"] and first["type_label"] in ("交易公告", "交易项目")
    assert found["total_exact"] is True and found["terms"] == ["桥梁"]
    assert {f["value"] for f in found["facets"]["kind"]} >= {"notice", "project", "publication"}
    assert any(f["label"] == "工程建设" for f in found["facets"]["transaction_type"])

    # a compound typed whole finds a text segmented around it; every word must match
    assert any(i["link"] == f"/notices/{notices['hospital']}" for i in _search(client, q="医疗设备")["items"])
    assert _search(client, q="医疗设备 桥梁")["items"] == []

    # filters: type, transaction type, amount, region, dates
    only = _search(client, q="示范市", type="notice", transaction_type="gov_procurement")
    assert [i["link"] for i in only["items"]] == [f"/notices/{notices['hospital']}"]
    assert only["items"][0]["transaction_type_label"] == "政府采购"
    rich = _search(client, q="示范市", type="project", amount_min="1000000")
    assert {i["title"] for i in rich["items"]} == {"示范市滨江路桥梁维修加固工程", "示范市第一人民医院医疗设备采购项目"}
    assert _search(client, q="示范市", type="project", region="35")["total"] == 3
    assert _search(client, q="示范市", type="project", region="44")["total"] == 0
    assert _search(client, q="示范市", date_to="2020-01-01")["total"] == 0

    # paging by cursor: every hit once, in rank order
    seen, cursor = [], None
    while True:
        page = _search(client, q="示范市", limit=2, **({"cursor": cursor} if cursor else {}))
        assert len(page["items"]) <= 2
        seen += [i["key"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == _search(client, q="示范市")["total"]

    # clear refusals in Chinese
    empty = client.get("/api/v1/search", params={"q": "，。"})
    assert empty.status_code == 422 and empty.json()["code"] == "search_query_empty"
    assert client.get("/api/v1/search", params={"q": "桥梁", "type": "secret"}).status_code == 422
    assert client.get("/api/v1/search", params={"q": "桥梁", "cursor": "x"}).json()["code"] == "invalid_cursor"
    bad = client.get("/search", params={"q": "桥梁", "amount_min": "很多"})
    assert bad.status_code == 422 and "金额应为数字" in bad.text

    # the page: the header's box on every page, highlighted results linking to the notice
    assert 'action="/search"' in client.get("/").text
    page = client.get("/search", params={"q": "桥梁维修"})
    assert page.status_code == 200 and "<mark>桥梁</mark>" in page.text
    assert f'href="/notices/{notices["bridge"]}"' in page.text and "共找到" in page.text

    # withdrawn: gone at once, in the withdrawal's own transaction
    with db.unit_of_work() as s:
        publications.withdraw(s, reviewer, guide, reason="内容已过时")
    assert all(i["link"] != f"/disclosure/publications/{guide}" for i in _search(client, q="桥梁")["items"])

    # the reindex command rebuilds the same index from the records
    with db.unit_of_work() as s:
        before = indexing.indexed_count(s)
        counts = indexing.reindex(s)
    assert {k: v for k, v in counts.items() if v} == before
    again = [i["link"] for i in _search(client, q="桥梁")["items"]]
    assert set(again) == set(links) - {f"/disclosure/publications/{guide}"}
    assert Decimal(rich["items"][0]["amount"]) >= Decimal("1000000")
