"""Disclosure governance through the API, one walk on each database: a consultation from draft to adopted text
with every comment answered (commenters' names and mobiles never public); an opinion item answered after its
limit and counted late; documents drafted with their attribute and issued into the disclosure pipeline; a
catalog derived, reviewed, claimed with one item left unclaimed and flagged; a sampling inspection whose finding
is corrected after its deadline; the department scores equal to the method applied by hand; everything the
public may read, and nothing more."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sunshine.core import clock as clock_module
from sunshine.governance import method
from sunshine.governance import tick as governance_tick
from tests.builders import api_token
from tests.governance.builders import cast

MOBILE = "13912345678"
ADOPTED = (
    "第一条 为规范进场交易服务，制定本标准。\n第二条 材料齐全的2个工作日内受理，绿色通道1个工作日。\n"
    "第三条 材料不齐的一次性告知。"
)


def test_governance_walk(db, client, clock):
    people = cast(db)

    def sign_in():  # tokens lapse while the clock moves on by days
        return [
            api_token(client, u)
            for u in (
                people.office,
                people.office2,
                people.higher,
                people.committee,
                people.evaluator,
                people.staff_a,
                people.staff_b,
            )
        ]

    office, office2, higher, committee, evaluator, staff_a, staff_b = sign_in()
    api = "/api/v1/governance"
    today = clock_module.today_local()

    # ---------------------------------------------------------------- consultation: draft → open
    r = client.post(
        f"{api}/consultations",
        headers=office,
        json={
            "title": "交易中心服务标准（征求意见稿）",
            "kind": "service_standard",
            "draft_text": "第一条 为规范进场交易服务，制定本标准。\n第二条 进场登记材料齐全的，2个工作日内受理。",
            "explanation": "依据《公共资源交易平台管理暂行办法》，结合本中心实际起草。",
        },
    )
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert r.json()["status_label"] == "草稿"
    assert client.get(f"{api}/consultations/{cid}").status_code == 404  # not public while a draft
    short = client.post(f"{api}/consultations/{cid}/open", headers=office, json={"days": 10})
    assert short.status_code == 422 and "不少于30日" in short.json()["detail"]
    opened = client.post(f"{api}/consultations/{cid}/open", headers=office, json={"days": 30})
    assert opened.status_code == 200 and opened.json()["closes_on"] == (today + timedelta(days=30)).isoformat()
    c1 = client.post(
        f"{api}/consultations/{cid}/comments",
        json={"body": f"建议受理时限缩短为1个工作日，有问题请联系{MOBILE}。", "name": "张三", "contact": MOBILE},
    )
    c2 = client.post(f"{api}/consultations/{cid}/comments", json={"body": "建议明确材料不齐时一次性告知补正内容。"})
    assert c1.status_code == 201 and c2.status_code == 201
    public = client.get(f"{api}/consultations/{cid}").json()
    assert MOBILE not in str(public) and "张三" not in str(public) and "139****5678" in str(public)
    staff_view = client.get(f"{api}/consultations/{cid}", headers=office).json()
    assert staff_view["comments"][0]["name"] == "张三"  # kept for the answer, staff only
    assert client.post(f"{api}/consultations", headers=committee, json={}).status_code == 403

    # ---------------------------------------------------------------- opinion: assessed, not answered in time
    op = client.post(
        f"{api}/opinions",
        headers=office,
        json={
            "source": "media",
            "title": "网传开标延迟未通知投标人",
            "content": "某论坛帖子称开标时间变更未通知。",
            "outlet": "本地论坛",
        },
    )
    assert op.status_code == 201, op.text
    oid = op.json()["id"]
    assess = client.post(
        f"{api}/opinions/{oid}/assess", headers=office, json={"risk": "medium", "note": "涉及交易公平，中风险"}
    )
    assert assess.status_code == 200 and assess.json()["limit"] == "3个工作日"
    due = date.fromisoformat(assess.json()["due"])
    assert due == date(2026, 11, 26)  # Monday + 3 working days
    disc = client.post(
        f"{api}/opinions/{oid}/discussions",
        headers=committee,
        json={
            "held_on": today.isoformat(),
            "bodies": "管委会办公室、交易中心、财政局",
            "conclusion": "核实开标记录后统一回应",
        },
    )
    assert disc.status_code == 201 and disc.json()["discussions"][0]["bodies"].startswith("管委会办公室")
    assert client.post(f"{api}/opinions/{oid}/answer", headers=evaluator, json={"text": "x"}).status_code == 403

    # ---------------------------------------------------------------- documents: attributes, into the pipeline
    docs = []
    for who, title in ((staff_a, "关于调整进场登记材料的通知"), (staff_b, "关于政府采购监督检查的通知")):
        d = client.post(
            f"{api}/documents",
            headers=who if who is staff_a else office,
            json={
                "title": title,
                "body": "各有关单位：现将有关事项通知如下。一、……",
                "attribute": "proactive",
                "reason": "面向社会公众",
            },
        )
        assert d.status_code == 201, d.text
        docs.append(d.json()["id"])
    withheld = client.post(
        f"{api}/documents",
        headers=staff_a,
        json={
            "title": "内部工作安排",
            "body": "本周值班安排如下：周一至周五由交易服务科值班。",
            "attribute": "withheld",
            "reason": "x",
        },
    )
    assert withheld.status_code == 422 and withheld.json()["field"] == "reason"
    own = client.post(
        f"{api}/documents/{docs[1]}/issue",
        headers=office,
        json={"doc_number": "示交〔2026〕2号", "attribute": "proactive"},
    )
    assert own.status_code == 403  # the drafter does not review their own attribute
    issued = client.post(
        f"{api}/documents/{docs[0]}/issue",
        headers=office,
        json={"doc_number": "示交〔2026〕1号", "attribute": "proactive"},
    )
    assert issued.status_code == 200 and issued.json()["final_attribute_label"] == "主动公开"
    pub_a = issued.json()["publication_id"]
    issued_b = client.post(
        f"{api}/documents/{docs[1]}/issue",
        headers=office2,
        json={"doc_number": "示交〔2026〕2号", "attribute": "proactive"},
    )
    pub_b = issued_b.json()["publication_id"]
    # the texts wait in the confidentiality review; another reviewer approves them
    for pid in (pub_a, pub_b):
        assert client.get(f"/api/v1/disclosure/publications/{pid}").status_code == 404
        ok = client.post(
            f"/api/v1/disclosure/publications/{pid}/approve", headers=office2 if pid == pub_a else office, json={}
        )
        assert ok.status_code == 200, ok.text

    # ---------------------------------------------------------------- catalog: derived, reviewed, claimed
    cat = client.post(
        f"{api}/catalogs",
        headers=office,
        json={"name": "示范市交易中心政务公开事项目录", "region_code": "350100", "scope": "ZX"},
    )
    assert cat.status_code == 201, cat.text
    entries = cat.json()["entries"]
    assert entries and all(e["disposition_label"] == "保留" for e in entries)
    cat_id = entries and cat.json()["id"]
    bad = client.post(
        f"{api}/catalog-entries/{entries[0]['id']}", headers=office, json={"disposition": "adapted", "reason": ""}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "reason"
    client.post(
        f"{api}/catalog-entries/{entries[0]['id']}",
        headers=office,
        json={"disposition": "adapted", "reason": "本地机构改革后职能调整", "name": "机构概况、职能与内设科室"},
    )
    client.post(
        f"{api}/catalog-entries/{entries[-1]['id']}",
        headers=office,
        json={"disposition": "removed", "reason": "本中心不承担专家清退职能"},
    )
    added = client.post(
        f"{api}/catalogs/{cat_id}/entries",
        headers=office,
        json={
            "code": "ZX.BD.01",
            "name": "见证服务记录",
            "content": "进场项目的见证记录",
            "legal_basis": "本地规定",
            "reason": "本地新增见证服务",
        },
    )
    assert added.status_code == 201
    assert (
        client.post(f"{api}/catalog-entries/{entries[1]['id']}/claim", headers=staff_a).status_code == 409
    )  # not approved yet
    assert (
        client.post(
            f"{api}/catalogs/{cat_id}/review", headers=office, json={"approve": True, "note": "同意"}
        ).status_code
        == 403
    )
    assert client.post(f"{api}/catalogs/{cat_id}/submit", headers=office).json()["status_label"] == "已报送待复核"
    reviewed = client.post(
        f"{api}/catalogs/{cat_id}/review", headers=higher, json={"approve": True, "note": "经复核，同意公布"}
    )
    assert reviewed.json()["status_label"] == "复核通过"
    current = reviewed.json()["entries"]
    claimable = [e for e in current if e["disposition_label"] != "不适用"]
    left = claimable[-1]
    for i, e in enumerate(claimable[:-1]):
        got = client.post(f"{api}/catalog-entries/{e['id']}/claim", headers=staff_a if i % 2 == 0 else staff_b)
        assert got.status_code == 200, got.text
    again = client.post(f"{api}/catalog-entries/{claimable[0]['id']}/claim", headers=staff_b)
    assert again.status_code == 409
    flagged = client.post(f"{api}/catalogs/{cat_id}/flag-unclaimed", headers=office).json()["entries"]
    assert [e["code"] for e in flagged if e["flagged"]] == [left["code"]]
    public_cat = client.get(f"{api}/catalogs/{cat_id}").json()
    assert {e["claimed_by"] for e in public_cat["entries"] if e["claimed_by"]} == {
        "示范市公共资源交易中心交易服务科",
        "示范市财政局政府采购监管处",
    }
    alerts = client.get("/api/v1/me/alerts", headers=higher)
    if alerts.status_code == 200:
        assert any(left["code"] in a["message"] for a in alerts.json())

    # ---------------------------------------------------------------- a week later: the opinion is late
    clock.advance(timedelta(days=7))
    with db.unit_of_work() as s:  # the tick's governance step
        governance_tick.tick(s)
    office, office2, higher, committee, evaluator, staff_a, staff_b = sign_in()
    late = client.post(
        f"{api}/opinions/{oid}/answer",
        headers=office,
        json={"text": "经核实，开标时间变更已于3日前发布更正公告。", "public": True},
    )
    assert late.status_code == 200
    assert late.json()["late"] is True and late.json()["delay_days"] == 2  # due Thu 26 Nov, answered Mon 30 Nov
    listed = client.get(f"{api}/opinions").json()
    assert [(o["code"], o["late"]) for o in listed] == [(late.json()["code"], True)]
    assert "content" not in listed[0]  # what was posted stays staff-side; the answer is public
    assert (
        client.post(
            f"{api}/opinions/{oid}/evaluate", headers=office, json={"effect": "resolved", "note": "帖子已无新回复"}
        ).status_code
        == 200
    )

    # ---------------------------------------------------------------- sampling inspection by the evaluator
    ins = client.post(
        f"{api}/inspections",
        headers=evaluator,
        json={
            "method": "sampling",
            "title": "2026年第四季度政务公开抽样检查",
            "scope": "已发布的公开信息随机抽取",
            "period_from": "2026-11-01",
            "period_to": clock_module.today_local().isoformat(),
            "sample_size": 2,
        },
    )
    assert ins.status_code == 201, ins.text
    body = ins.json()
    assert body["inspector_label"] == "第三方评估机构" and len(body["sample_seed"]) == 64
    assert {i["publication_id"] for i in body["items"]} == {pub_a, pub_b}
    item_a = next(i for i in body["items"] if i["publication_id"] == pub_a)
    item_b = next(i for i in body["items"] if i["publication_id"] == pub_b)
    assert (
        client.post(
            f"{api}/inspected-items/{item_a['id']}/findings",
            headers=office,
            json={"aspect": "accuracy", "description": "x"},
        ).status_code
        == 403
    )
    found = client.post(
        f"{api}/inspected-items/{item_a['id']}/findings",
        headers=evaluator,
        json={"aspect": "accuracy", "description": "通知中的办理地址与办事指南不一致"},
    )
    assert found.status_code == 201
    finding = found.json()["findings"][0]
    assert finding["department"] == "示范市公共资源交易中心交易服务科"
    client.post(f"{api}/inspected-items/{item_b['id']}/check", headers=evaluator)
    closed = client.post(f"{api}/inspections/{body['id']}/close", headers=evaluator, json={"publish": True})
    assert closed.json()["status_label"] == "已完成" and closed.json()["published"]
    assert (
        client.post(
            f"{api}/findings/{finding['id']}/correct", headers=staff_b, json={"correction": "已更正"}
        ).status_code
        == 403
    )
    clock.advance(timedelta(days=20))
    with db.unit_of_work() as s:  # the tick's governance step
        governance_tick.tick(s)
    office, office2, higher, committee, evaluator, staff_a, staff_b = sign_in()
    corrected = client.post(
        f"{api}/findings/{finding['id']}/correct", headers=staff_a, json={"correction": "已更正办理地址并重新发布"}
    )
    assert corrected.status_code == 200 and corrected.json()["late"] is True and corrected.json()["delay_days"] >= 1
    public_ins = client.get(f"{api}/inspections/{body['id']}").json()
    assert public_ins["findings"][0]["status_label"] == "已整改" and public_ins["findings"][0]["late"] is True
    mine = client.get(f"{api}/findings", headers=staff_b).json()
    assert mine == []  # department B sees only its own

    # ---------------------------------------------------------------- the consultation closes and is adopted
    clock.advance(timedelta(days=5))  # past the 30-day period
    with db.unit_of_work() as s:  # the tick's governance step
        governance_tick.tick(s)
    office, office2, higher, committee, evaluator, staff_a, staff_b = sign_in()
    assert client.post(f"{api}/consultations/{cid}/comments", json={"body": "期满后提交的意见"}).status_code == 409
    pending = client.post(
        f"{api}/consultations/{cid}/adopt",
        headers=committee,
        json={"adopted_text": "第一条 " * 5, "summary": "共收到意见2条。"},
    )
    assert pending.status_code == 409 and "未答复" in pending.json()["detail"]
    ids = [x["id"] for x in staff_view["comments"]]
    client.post(
        f"{api}/comments/{ids[0]}/answer",
        headers=office,
        json={"handling": "partly", "answer": "绿色通道项目按1个工作日受理。"},
    )
    client.post(
        f"{api}/comments/{ids[1]}/answer", headers=office, json={"handling": "adopted", "answer": "已在第三条中明确。"}
    )
    hearing = client.post(
        f"{api}/consultations/{cid}/proceedings",
        headers=committee,
        json={
            "kind": "expert_review",
            "held_on": clock_module.today_local().isoformat(),
            "place": "交易中心三楼会议室",
            "participants": "法律专家2名、市场主体代表3名",
            "conclusion": "同意修改后发布",
        },
    )
    assert hearing.status_code == 201 and hearing.json()["kind_label"] == "专家论证"
    adopted = client.post(
        f"{api}/consultations/{cid}/adopt",
        headers=committee,
        json={
            "adopted_text": ADOPTED,
            "summary": "共收到意见2条，采纳1条，部分采纳1条。",
        },
    )
    assert adopted.status_code == 200, adopted.text
    done = client.get(f"{api}/consultations/{cid}").json()
    assert done["status_label"] == "已审定公布" and done["tally"] == {
        "adopted": 1,
        "partly": 1,
        "not_adopted": 0,
        "explained": 0,
        "pending": 0,
        "total": 2,
    }
    assert [x["handling_label"] for x in done["comments"]] == ["部分采纳", "采纳"]
    assert "张三" not in str(done) and MOBILE not in str(done) and "name" not in done["comments"][0]

    # ---------------------------------------------------------------- scores: computed and published
    assert client.post(f"{api}/scores/2026/compute", headers=office).status_code == 403
    computed = client.post(f"{api}/scores/2026/compute", headers=higher)
    assert computed.status_code == 200, computed.text
    by_dept = {r["department"]: r for r in computed.json()}
    m = method.load()
    a = by_dept["示范市公共资源交易中心交易服务科"]
    b = by_dept["示范市公共资源交易中心"]  # the office drafted the second document
    # by hand: both documents published on their issue day (on time, 100 %); A has one accuracy finding corrected late
    assert a["timeliness_rate"] == 100.0 and b["timeliness_rate"] == 100.0
    assert (
        Decimal(str(a["score"]))
        == m.timeliness_points + m.inspection_points - m.per_finding["accuracy"] - m.late_correction
    )
    assert Decimal(str(b["score"])) == m.timeliness_points + m.inspection_points
    assert client.get(f"{api}/scores/2026").json() == []  # not public before publication
    assert client.post(f"{api}/scores/2026/publish", headers=higher).status_code == 200
    assert [r["score"] for r in client.get(f"{api}/scores/2026").json()] == [100.0, 94.0]
    assert client.post(f"{api}/scores/2026/compute", headers=higher).status_code == 409
