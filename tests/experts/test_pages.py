"""The pool's pages, as people use them: the public application form (refused beside the field, then accepted),
the reviewer's and the approver's queues and forms, the staff list with filters, an expert's record with the
office's actions, the expert's own profile, the specialty tree and the public statistics."""

from __future__ import annotations

from datetime import date

import pytest

from sunshine.identity.roles import Role
from tests.builders import make_org, make_user, valid_credit_code
from tests.disclosure.builders import load_catalog
from tests.experts.builders import add_expert, id_number
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)


def _application_form(page, code: str, **changes) -> dict:
    born = date(1972, 8, 9)
    data = {
        "csrf_token": csrf_token(page.text),
        "name": "郑文斌",
        "title": "教授级高级工程师",
        "title_level": "senior_full",
        "practice_since": "1996",
        "education": "doctor",
        "main_specialty": "A0301",
        "other_specialties": ["A0302"],
        "regions": "350100 350200",
        "date_of_birth": born.isoformat(),
        "id_number": id_number(born),
        "mobile": "13705910088",
        "email": "zwb@example.cn",
        "statement": "长期从事水工结构设计。",
        "employer_credit_code": code,
        "username": "zhengwenbin",
        "password": "Expert-pass-2026",
    }
    data.update(changes)
    return data


def test_apply_review_approve_through_the_pages(app, db):
    load_catalog(db)
    code = valid_credit_code()
    make_org(db, name="示范水利水电勘测设计院", code=code)
    supervisor = make_user(db, Role.INDUSTRY_SUPERVISOR)
    office = make_user(db, Role.COMMITTEE_OFFICE)
    with browser(app) as visitor:
        form = visitor.get("/experts/apply")
        assert "申请成为评标专家" in form.text and "第三十七条" in page_text(form.text)
        refused = visitor.post("/experts/apply", data=_application_form(form, code, mobile="12345"))
        assert refused.status_code == 422
        assert "请填写11位手机号码" in page_text(refused.text)
        assert 'value="郑文斌"' in refused.text  # what was typed stays, the password does not
        assert "Expert-pass-2026" not in refused.text
        done = visitor.post("/experts/apply", data=_application_form(form, code), follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == "/login?next=/expert/profile"
    with browser(app, "zhengwenbin", "Expert-pass-2026") as applicant:
        assert "待行业监督部门审核" in page_text(applicant.get("/expert/profile").text)
    with browser(app, supervisor) as s:
        queue = s.get("/staff/experts-applications")
        assert "郑文斌" in page_text(queue.text)
        link = queue.text.split('href="/staff/experts-applications/')[1].split('"')[0]
        detail = s.get(f"/staff/experts-applications/{link}")
        text = page_text(detail.text)
        assert "从事相关领域工作年限" in text and "符合" in text and "水工建筑物" in text
        r = s.post(
            f"/staff/experts-applications/{link}/review",
            data={"csrf_token": csrf_token(detail.text), "decision": "pass", "note": "材料齐全"},
            follow_redirects=True,
        )
        assert "已报交易管理委员会办公室审批" in page_text(r.text)
    with browser(app, office) as o:
        queue = o.get("/staff/experts-applications")  # the office sees the reviewed ones first
        assert "郑文斌" in page_text(queue.text)
        detail = o.get(f"/staff/experts-applications/{link}")
        r = o.post(
            f"/staff/experts-applications/{link}/decision",
            data={"csrf_token": csrf_token(detail.text), "decision": "approve"},
            follow_redirects=True,
        )
        assert "已批准入库并发布入库公告" in page_text(r.text)
        pool = o.get("/staff/experts?specialty=A03")
        assert "郑文斌" in page_text(pool.text)
        assert "郑文斌" not in page_text(o.get("/staff/experts?specialty=B").text)
    with browser(app) as public:
        stats = public.get("/experts").text
        table = page_text(stats.split('id="specialty-counts"')[1].split("</table>")[0])
        assert "水工建筑物 1 1" in table and "郑文斌" not in table  # counts, never names
        assert "评标专家入库公告（郑文斌）" in page_text(stats)  # the published admission, linked
        published = page_text(public.get("/experts/published").text)
        assert "评标专家入库公告（郑文斌）" in published


def test_office_actions_on_an_expert_record(app, db):
    expert = add_expert(db, name="黄立新", specialties=("A0401",))
    office = make_user(db, Role.COMMITTEE_OFFICE)
    with browser(app, office) as o:
        page = o.get(f"/staff/experts/{expert['id']}")
        assert "黄立新" in page_text(page.text) and "13905910001" in page.text  # the office handles contact
        token = csrf_token(page.text)
        r = o.post(
            f"/staff/experts/{expert['id']}/sanctions",
            data={
                "csrf_token": token,
                "kind": "suspension",
                "starts_on": "2026-11-23",
                "ends_on": "2027-02-28",
                "reason": "无正当理由拒不参加评标两次",
            },
            follow_redirects=True,
        )
        assert "已登记暂停评标" in page_text(r.text)
        assert "暂停" in page_text(o.get("/staff/experts?status=suspended").text)
        r = o.post(
            f"/staff/experts/{expert['id']}/sanctions",
            data={"csrf_token": token, "kind": "ban", "starts_on": "2026-11-23", "reason": "违规"},
            follow_redirects=True,
        )
        assert "请填写处理决定文号" in page_text(r.text)
        r = o.post(
            f"/staff/experts/{expert['id']}/evaluations",
            data={"csrf_token": token, "period": "2026", "score": "91", "grade": "excellent"},
            follow_redirects=True,
        )
        assert "已录入考核评价" in page_text(r.text)
        r = o.post(
            f"/staff/experts/{expert['id']}/trainings",
            data={
                "csrf_token": token,
                "title": "电子招标投标评标实务",
                "organiser": "示范市公共资源交易中心",
                "held_on": "2026-10-15",
                "hours": "8",
                "passed": "1",
            },
            follow_redirects=True,
        )
        assert "电子招标投标评标实务" in page_text(r.text)
        r = o.post(
            f"/staff/experts/{expert['id']}/removal", data={"csrf_token": token, "reason": ""}, follow_redirects=True
        )
        assert "请填写清退原因" in page_text(r.text)


def test_the_supervisor_reads_the_pool_without_personal_data(app, db):
    expert = add_expert(db, name="吴国栋")
    supervisor = make_user(db, Role.SUPERVISOR)
    with browser(app, supervisor) as s:
        page = s.get(f"/staff/experts/{expert['id']}")
        assert "吴国栋" in page_text(page.text)
        assert "13905910001" not in page.text and "350102197505011234" not in page.text
        assert "您的角色不处理专家个人信息" in page_text(page.text)
        assert (
            s.post(
                f"/staff/experts/{expert['id']}/removal", data={"csrf_token": csrf_token(page.text), "reason": "x"}
            ).status_code
            == 403
        )
    bidder = make_user(db, Role.BIDDER)
    with browser(app, bidder) as b:
        assert b.get(f"/staff/experts/{expert['id']}").status_code == 403


def test_the_expert_keeps_their_own_profile(app, db):
    expert = add_expert(db, name="苏明远")
    code = valid_credit_code()
    make_org(db, name="示范路桥集团有限公司", code=code)
    with browser(app, expert["username"]) as me:
        page = me.get("/expert/profile")
        assert "苏明远" in page_text(page.text)
        assert "13905910001" in page.text
        token = csrf_token(page.text)
        r = me.post(
            "/expert/profile/contact", data={"csrf_token": token, "mobile": "13600000001"}, follow_redirects=True
        )
        assert "联系方式已更新" in page_text(r.text) and "13600000001" in r.text
        r = me.post(
            "/expert/profile/leaves",
            data={"csrf_token": token, "starts_on": "2026-12-01", "ends_on": "2026-12-05", "reason": "外出学术交流"},
            follow_redirects=True,
        )
        assert "请假已登记" in page_text(r.text) and "外出学术交流" in page_text(r.text)
        r = me.post(
            "/expert/profile/conflicts",
            data={"csrf_token": token, "credit_code": code, "relation": "former_employer"},
            follow_redirects=True,
        )
        assert "示范路桥集团有限公司" in page_text(r.text)
        r = me.post(
            "/expert/profile/trainings",
            data={
                "csrf_token": token,
                "title": "评标专家继续教育",
                "organiser": "省发展改革委",
                "held_on": "2026-09-01",
                "hours": "16",
            },
            follow_redirects=True,
        )
        assert "本人填报" in page_text(r.text)
        r = me.post(
            "/expert/profile/leaves",
            data={"csrf_token": token, "starts_on": "2026-12-09", "ends_on": "2026-12-01", "reason": "x"},
            follow_redirects=True,
        )
        assert "请假结束日期不能早于开始日期" in page_text(r.text)


def test_the_centre_extends_the_specialty_tree(app, db, client):
    centre = make_user(db, Role.CENTRE_STAFF)
    with browser(app, centre) as c:
        page = c.get("/staff/experts-specialties")
        assert "平台编码" in page_text(page.text)
        r = c.post(
            "/staff/experts-specialties",
            data={"csrf_token": csrf_token(page.text), "parent_code": "A02", "name": "海绵城市设施"},
            follow_redirects=True,
        )
        assert "已增加专业“海绵城市设施”，编码 A0207" in page_text(r.text)
    tree = client.get("/api/v1/experts/specialties").json()
    municipal = next(n for n in tree[0]["children"] if n["code"] == "A02")
    assert {"code": "A0207", "name": "海绵城市设施", "parent": "A02", "source": "本中心增加", "children": []} in (
        municipal["children"]
    )
