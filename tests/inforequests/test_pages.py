"""The pages of information requests as people use them: the anonymous public form with errors beside the
fields, the receipt (tracking number, lookup code, due date, 暂定 where provisional), the applicant's lookup
(which needs the code), the printable letters, the disclosure office's intake and steps, and what a
responsible department may see and do."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from sunshine.identity.roles import Role
from sunshine.inforequests.models import InfoRequest
from sunshine.ledger.models import LedgerEntry
from tests.builders import make_user
from tests.inforequests.builders import at, office, receive, step
from tests.pages import browser, csrf_token, page_text

D = date
VALID = {
    "applicant_type": "natural",
    "applicant_name": "王小明",
    "id_number": "350102199202021234",
    "contact_phone": "13912345678",
    "email": "wxm@example.cn",
    "description": "示范市第一中学食堂服务采购项目的合同文本",
    "form_wanted": "electronic",
    "delivery": "email",
}


def _code(text: str) -> str:
    return re.search(r"查询码 ([A-Z2-9]{4}-[A-Z2-9]{4})", page_text(text)).group(1)


def test_the_public_form_shows_errors_beside_the_fields_and_keeps_what_was_typed(app):
    with browser(app) as visitor:
        form = visitor.get("/requests/new")
        assert form.status_code == 200 and "申请政府信息公开" in form.text
        response = visitor.post(
            "/requests/new",
            data={
                "csrf_token": csrf_token(form.text),
                "applicant_name": "王小明",
                "contact_phone": "电话",
                "description": "短",
            },
        )
        assert response.status_code == 422
        text = page_text(response.text)
        assert "申请人类型 * 错误： 请填写此项" in text
        assert "请填写有效的电话号码" in text
        assert "至少填写 5 个字" in text
        assert 'value="王小明"' in response.text
        assert 'aria-invalid="true"' in response.text
        refused = visitor.post("/requests/new", data={**VALID})  # no CSRF token
        assert refused.status_code == 403


def test_an_anonymous_request_gets_a_receipt_and_the_applicant_can_look_it_up_with_the_code(app, db):
    with browser(app) as visitor:
        form = visitor.get("/requests/new")
        done = visitor.post(
            "/requests/new", data={**VALID, "csrf_token": csrf_token(form.text)}, follow_redirects=False
        )
        assert done.status_code == 303 and done.headers["location"] == "/requests/receipt"
        receipt = visitor.get("/requests/receipt")
        text = page_text(receipt.text)
        # received Monday 2026-11-23 online (confirmed at once); 20 working days → Monday 2026-12-21
        assert "依申〔2026〕第0001号" in text and "YS20260001" in text
        assert "2026年11月23日" in text and "2026年12月21日（星期一）" in text
        assert "暂定" not in text
        code = _code(receipt.text)
        letter_link = re.search(r'href="(/requests/\d+/letter\?kind=receipt&amp;key=[0-9a-f]+)"', receipt.text).group(1)

    with browser(app) as someone:
        page = someone.get("/requests/lookup")
        wrong = someone.post(
            "/requests/lookup",
            data={"csrf_token": csrf_token(page.text), "tracking": "依申〔2026〕第0001号", "code": "AAAA-AAAA"},
        )
        assert wrong.status_code == 422 and "查询码不正确" in page_text(wrong.text)
        assert "王小明" not in wrong.text
        right = someone.post(
            "/requests/lookup", data={"csrf_token": csrf_token(page.text), "tracking": "ys20260001" + "", "code": code}
        )
        # the short code needs its check character; the Chinese form does not
        assert right.status_code == 422
        right = someone.post(
            "/requests/lookup",
            data={"csrf_token": csrf_token(page.text), "tracking": "依申〔2026〕第1号", "code": code.lower()},
        )
        assert right.status_code == 200
        text = page_text(right.text)
        assert "依申〔2026〕第0001号" in text and "2026年12月21日" in text and "收到申请" in text
        assert someone.get(letter_link.replace("&amp;", "&")).status_code == 200
        request_id = int(re.search(r"/requests/(\d+)/letter", letter_link).group(1))
        assert someone.get(f"/requests/{request_id}/letter?kind=receipt").status_code == 404
        assert someone.get(f"/requests/{request_id}/letter?kind=receipt&key=0123").status_code == 404
        assert someone.get("/requests/receipt", follow_redirects=False).status_code == 303  # shown once, to its sender

    with db.unit_of_work(read_only=True) as s:
        req = s.scalar(select(InfoRequest))
        assert (req.channel, req.received_on, req.created_by) == ("online", D(2026, 11, 23), None)
        payloads = s.scalars(select(LedgerEntry.payload).where(LedgerEntry.subject == f"inforequest:{req.id}")).all()
    assert payloads and not any(
        secret in p for p in payloads for secret in ("王小明", "13912345678", "350102", "食堂", "wxm@")
    )


def test_the_office_enters_a_posted_request_and_takes_it_through_to_a_printed_answer(app, db, clock):
    make_user(db, Role.DISCLOSURE_OFFICE, username="office")
    make_user(db, Role.SUPERVISOR, username="housing")
    with browser(app, "office") as staff:
        form = staff.get("/staff/requests/new")
        assert form.status_code == 200 and "收到申请之日" in form.text
        missing = staff.post(
            "/staff/requests/new",
            data={
                **VALID,
                "csrf_token": csrf_token(form.text),
                "channel": "post",
                "post_signed": "1",
                "submitted_on": "2026-11-19",
            },
        )
        assert missing.status_code == 422 and "请填写收到申请之日（签收之日）" in page_text(missing.text)
        done = staff.post(
            "/staff/requests/new",
            data={
                **VALID,
                "csrf_token": csrf_token(form.text),
                "channel": "post",
                "post_signed": "1",
                "submitted_on": "2026-11-19",
                "received_on": "2026-11-20",
                "applicant_type": "legal_services",
                "applicant_name": "福建正言律师事务所",
            },
            follow_redirects=False,
        )
        assert done.status_code == 303
        receipt = page_text(staff.get("/requests/receipt").text)
        # signed for on Friday 11/20 → 20 working days → Friday 12/18
        assert "2026年11月20日" in receipt and "2026年12月18日" in receipt and "签收之日" in receipt
        with db.unit_of_work(read_only=True) as s:
            rid = s.scalar(select(InfoRequest.id))
        detail = staff.get(f"/staff/requests/{rid}")
        assert detail.status_code == 200
        token = csrf_token(detail.text)
        with db.unit_of_work(read_only=True) as s:
            from sunshine.identity.models import User

            housing = s.scalar(select(User.id).where(User.username == "housing"))
        routed = staff.post(
            f"/staff/requests/{rid}/route",
            data={"csrf_token": token, "day": "2026-11-23", "department_user_id": str(housing)},
            follow_redirects=True,
        )
        assert "已转交承办部门" in page_text(routed.text)
        refused = staff.post(
            f"/staff/requests/{rid}/extend",
            data={"csrf_token": token, "day": "2026-11-23", "days": "25", "approver": "李主任", "reason": "档案多"},
            follow_redirects=True,
        )
        assert "最长不得超过20 个工作日" in page_text(refused.text)

    with browser(app, "housing") as dept:
        page = dept.get(f"/staff/requests/{rid}")
        assert page.status_code == 200 and "提出书面答复意见" in page.text and "作出答复" not in page.text
        queue = page_text(dept.get("/staff/requests").text)
        assert "依申〔2026〕第0001号" in queue
        sent = dept.post(
            f"/staff/requests/{rid}/opinion",
            data={"csrf_token": csrf_token(page.text), "day": "2026-11-23", "opinion": "属于过程性信息，建议不予公开"},
            follow_redirects=True,
        )
        assert "已提交答复意见" in page_text(sent.text)
        assert dept.post(f"/staff/requests/{rid}/answer", data={"csrf_token": csrf_token(page.text)}).status_code == 403

    with browser(app, "office") as staff:
        page = staff.get(f"/staff/requests/{rid}")
        answered = staff.post(
            f"/staff/requests/{rid}/answer",
            data={
                "csrf_token": csrf_token(page.text),
                "day": "2026-11-23",
                "form": "withheld",
                "reason": "process_info",
            },
            follow_redirects=True,
        )
        assert "已作出答复" in page_text(answered.text)
        letter = page_text(staff.get(f"/requests/{rid}/letter?kind=answer").text)
        assert "政府信息公开申请答复书" in letter and "福建正言律师事务所" in letter
        assert "属于四类过程性信息" in letter and "第十六条第二款" in letter
        assert "60日内申请行政复议" in letter and "2026年11月23日" in letter


def test_a_department_sees_only_what_was_routed_to_it(app, db, clock):
    staff = office(db)
    make_user(db, Role.CENTRE_STAFF, username="centre")
    rid, _ = receive(db, clock, staff, D(2026, 11, 23))
    with browser(app, "centre") as centre:
        assert centre.get(f"/staff/requests/{rid}").status_code == 404
        assert "依申〔2026〕" not in centre.get("/staff/requests").text
    with browser(app) as anonymous:
        assert anonymous.get(f"/staff/requests/{rid}", follow_redirects=False).status_code == 303


def test_a_provisional_due_date_is_shown_as_provisional(app, db, clock):
    staff = office(db)
    rid, _ = receive(db, clock, staff, D(2026, 12, 21))
    clock.set(at(D(2026, 12, 21)))
    make_user(db, Role.DISCLOSURE_OFFICE, username="office2")
    with browser(app, "office2") as page:
        text = page_text(page.get(f"/staff/requests/{rid}").text)
        assert "2027年1月19日" in text and "暂定" in text
        assert "国务院尚未公布放假安排" in text
        queue = page_text(page.get("/staff/requests").text)
        assert "暂定" in queue


def test_the_letter_of_every_answer_form_renders(app, db, clock):
    from sunshine.inforequests.states import ANSWER_FORMS

    staff = office(db)
    needs = {
        "location": "本中心门户网站“政府信息公开—法定主动公开内容”栏目",
        "reason": "third_party",
        "holder": "示范市财政局，电话0591-87120000",
        "detail": "已于2026年10月答复，编号依申〔2026〕第0003号",
    }
    forms = list(ANSWER_FORMS.values())
    ids = {}
    for form in forms:
        rid, _ = receive(db, clock, staff, D(2026, 11, 23), applicant_name=f"申请人{form.key}", id_number=form.key)
        fields = {n: needs[n] for n in form.needs}
        step(db, clock, staff, rid, "answer", D(2026, 11, 23), form=form.key, **fields)
        ids[form.key] = rid
    with browser(app, "office") as page:
        for form in forms:
            response = page.get(f"/requests/{ids[form.key]}/letter?kind=answer")
            assert response.status_code == 200, form.key
            text = page_text(response.text)
            assert "政府信息公开申请答复书" in text, form.key
            assert form.summary[:12] in text, form.key
            for need in form.needs:
                if need == "reason":
                    assert "保护第三方合法权益" in text or "第十五条" in text, form.key
                else:
                    assert needs[need][:8] in text, form.key


def test_correction_and_extension_notices_are_printable(app, db, clock):
    staff = office(db)
    rid, _ = receive(db, clock, staff, D(2026, 11, 23))
    step(db, clock, staff, rid, "correction", D(2026, 11, 24), items="请写明所需合同的项目名称")
    step(db, clock, staff, rid, "corrected", D(2026, 11, 26))
    step(
        db, clock, staff, rid, "extend", D(2026, 12, 1), days=10, approver="政务公开办 李主任", reason="需调取归档材料"
    )
    with browser(app, "office") as page:
        correction = page_text(page.get(f"/requests/{rid}/letter?kind=correction").text)
        assert "补正告知书" in correction and "请写明所需合同的项目名称" in correction and "视为放弃申请" in correction
        extension = page_text(page.get(f"/requests/{rid}/letter?kind=extension").text)
        assert "延期答复告知书" in extension and "李主任" in extension and "延长10个工作日" in extension
        assert page.get(f"/requests/{rid}/letter?kind=answer").status_code == 404  # not answered yet


def test_the_administrator_chooses_the_regime_for_new_requests(app, db, clock):
    make_user(db, Role.ADMIN, username="admin")
    staff = office(db)
    earlier, _ = receive(db, clock, staff, D(2026, 11, 23))
    with browser(app, "admin") as admin:
        page = admin.get("/admin/requests/regime")
        assert page.status_code == 200 and "2019年修订" in page.text
        done = admin.post(
            "/admin/requests/regime",
            data={"csrf_token": csrf_token(page.text), "regime": "disclosure.seed_legacy"},
            follow_redirects=True,
        )
        assert "新收到的申请将适用：中心原规则" in page_text(done.text)
        bad = admin.post(
            "/admin/requests/regime", data={"csrf_token": csrf_token(page.text), "regime": "x"}, follow_redirects=True
        )
        assert "请选择" in page_text(bad.text)
    later, _ = receive(db, clock, staff, D(2026, 11, 23))
    with db.unit_of_work(read_only=True) as s:
        assert s.get(InfoRequest, earlier).pack_key == "disclosure.gip_2019"
        assert s.get(InfoRequest, later).pack_key == "disclosure.seed_legacy"
        kinds = s.scalars(select(LedgerEntry.kind).where(LedgerEntry.kind == "inforequest:regime:set")).all()
        assert kinds == ["inforequest:regime:set"]
