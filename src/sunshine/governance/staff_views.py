"""Staff pages of disclosure governance, part one: the workbench (what each role has to do, its alerts), public
consultations (draft, open, answer comments, hearings and expert reviews, adopt), public opinion items
(register, assess, discuss, answer, evaluate) and documents with their disclosure attribute (draft, issue).
Each form posts to its own route, which calls the service and comes back with the result or the reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts, clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.governance import common, consultations, documents, forms, opinions, present
from sunshine.governance import visibility as v
from sunshine.governance.views import labels
from sunshine.identity.models import Organisation, OrganisationKind
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["政务公开监督管理"], include_in_schema=False)
WORKBENCH = Depends(Access(*(v.READERS | v.DEPARTMENTS)))
READERS = Depends(Access(*v.READERS))
OFFICE = Depends(Access(*v.OFFICE))
ADOPTERS = Depends(Access(*v.CONSULTATION_ADOPTERS))
DISCUSSANTS = Depends(Access(*v.OPINION_DISCUSSANTS))
DOC_READERS = Depends(Access(*v.DOCUMENT_READERS))
DRAFTERS = Depends(Access(*v.DOCUMENT_DRAFTERS))
REVIEWERS = Depends(Access(*v.DOCUMENT_REVIEWERS))
Text = Annotated[str, Form(max_length=100_000)]
Short = Annotated[str, Form(max_length=200)]


def departments(session: Session) -> list[Organisation]:
    """The centre and the government departments, for the forms that name a responsible body."""
    kinds = [OrganisationKind.CENTRE, OrganisationKind.DEPARTMENT]
    stmt = select(Organisation).where(Organisation.kind.in_(kinds)).order_by(Organisation.name).limit(200)
    return list(session.scalars(stmt))


@router.get("/staff/governance", response_class=HTMLResponse)
def workbench(request: Request, session: Session = SessionDep, principal: Principal = WORKBENCH) -> Response:
    return render(
        request,
        "governance_workbench.html",
        page_title="政务公开监督管理",
        alerts=[a for a in alerts.for_principal(session, principal) if a.domain == "governance"],
        is_office=principal.has(*v.OFFICE),
        is_reader=v.is_reader(principal),
        is_higher=principal.has(*v.HIGHER),
        is_evaluator=principal.has(*v.EVALUATOR),
        is_drafter=principal.has(*v.DOCUMENT_DRAFTERS),
        is_department=principal.has(*v.DEPARTMENTS),
    )


# --------------------------------------------------------------------------- consultations


@router.get("/staff/governance/consultations", response_class=HTMLResponse)
def consultations_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = READERS
) -> Response:
    result = consultations.listing(session, public=False, cursor=cursor)
    rows = result.items
    return render(
        request,
        "governance_consultations.html",
        page_title="征求意见",
        rows=rows,
        result=result,
        page_url=page_urls("/staff/governance/consultations", {}),
        statuses=common.CONSULTATION_STATUSES,
        can_edit=principal.has(*v.OFFICE),
        minimum=common.limit(session, consultations.PERIOD_RULE),
        **labels(),
    )


@router.post("/staff/governance/consultations", response_class=HTMLResponse)
def create_consultation(
    request: Request,
    title: Short = "",
    kind: Short = "",
    draft_text: Text = "",
    explanation: Text = "",
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    def call():
        row = consultations.create(
            session, principal, title=title, kind=kind, draft_text=draft_text, explanation=explanation
        )
        return row

    return act(request, "/staff/governance/consultations", call, lambda r: f"已起草 {r.code}，请在详情页公开征求意见")


@router.get("/staff/governance/consultations/{consultation_id}", response_class=HTMLResponse)
def consultation_detail(
    consultation_id: Id, request: Request, session: Session = SessionDep, principal: Principal = READERS
) -> Response:
    row = consultations.get(session, consultation_id)
    return render(
        request,
        "governance_consultation_staff.html",
        page_title=f"征求意见 {row.code}",
        c=present.consultation(session, row, staff=True),
        can_edit=principal.has(*v.OFFICE),
        can_adopt=principal.has(*v.CONSULTATION_ADOPTERS),
        minimum=common.limit(session, consultations.PERIOD_RULE),
        today=clock.today_local(),
        proceeding_kinds=common.PROCEEDING_KINDS,
        **labels(),
    )


def _back(consultation_id: int) -> str:
    return f"/staff/governance/consultations/{consultation_id}"


@router.post("/staff/governance/consultations/{consultation_id}/open", response_class=HTMLResponse)
def open_consultation(
    consultation_id: Id,
    request: Request,
    days: Short = "",
    shortened_reason: Text = "",
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    def call():
        n = forms.number(days, "days", "征求意见期限", 1, consultations.MAX_PERIOD)
        return consultations.open_for_comment(
            session, principal, consultation_id, days=n, shortened_reason=shortened_reason
        )

    return act(request, _back(consultation_id), call, lambda r: f"已公开征求意见，截止日期 {r.closes_on.isoformat()}")


@router.post("/staff/governance/comments/{comment_id}/answer", response_class=HTMLResponse)
def answer_comment(
    comment_id: Id,
    request: Request,
    handling: Short = "",
    answer: Text = "",
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    from sunshine.governance.models import GovComment

    item = session.get(GovComment, comment_id)
    back = _back(item.consultation_id) if item is not None else "/staff/governance/consultations"
    return act(
        request,
        back,
        lambda: consultations.answer(session, principal, comment_id, handling=handling, answer_text=answer),
        "已答复该条意见",
    )


@router.post("/staff/governance/consultations/{consultation_id}/proceedings", response_class=HTMLResponse)
def add_proceeding(
    consultation_id: Id,
    request: Request,
    kind: Short = "",
    held_on: Short = "",
    place: Short = "",
    participants: Text = "",
    conclusion: Text = "",
    session: Session = SessionDep,
    principal: Principal = ADOPTERS,
) -> Response:
    def call():
        return consultations.record_proceeding(
            session,
            principal,
            consultation_id,
            kind=kind,
            held_on=forms.day(held_on, "held_on", "举行日期"),
            place=place,
            participants=participants,
            conclusion=conclusion,
        )

    return act(request, _back(consultation_id), call, lambda p: f"已登记{common.PROCEEDING_KINDS[p.kind]}")


@router.post("/staff/governance/consultations/{consultation_id}/adopt", response_class=HTMLResponse)
def adopt(
    consultation_id: Id,
    request: Request,
    adopted_text: Text = "",
    summary: Text = "",
    session: Session = SessionDep,
    principal: Principal = ADOPTERS,
) -> Response:
    return act(
        request,
        _back(consultation_id),
        lambda: consultations.adopt(session, principal, consultation_id, adopted_text=adopted_text, summary=summary),
        "已审定公布，审定文本和意见采纳情况已向社会公开",
    )


# --------------------------------------------------------------------------- public opinion


@router.get("/staff/governance/opinions", response_class=HTMLResponse)
def opinions_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = READERS
) -> Response:
    result = opinions.listing(session, public=False, cursor=cursor)
    return render(
        request,
        "governance_opinions.html",
        page_title="舆情收集与回应",
        rows=[present.opinion(session, o, staff=True) for o in result.items],
        result=result,
        page_url=page_urls("/staff/governance/opinions", {}),
        can_edit=principal.has(*v.OFFICE),
        today=clock.today_local(),
        **labels(),
    )


@router.post("/staff/governance/opinions", response_class=HTMLResponse)
def register_opinion(
    request: Request,
    source: Short = "",
    ref: Short = "",
    title: Short = "",
    content: Text = "",
    outlet: Short = "",
    received_on: Short = "",
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    def call():
        return opinions.register_opinion(
            session,
            source=source,
            ref=ref or None,
            title=title,
            content=content,
            outlet=outlet or None,
            received_on=forms.day(received_on, "received_on", "发现日期") if received_on.strip() else None,
            actor=principal,
        )

    return act(request, "/staff/governance/opinions", call, lambda o: f"已登记舆情 {o.code}，请研判风险等级")


@router.get("/staff/governance/opinions/{opinion_id}", response_class=HTMLResponse)
def opinion_detail(
    opinion_id: Id, request: Request, session: Session = SessionDep, principal: Principal = READERS
) -> Response:
    row = opinions.get(session, opinion_id)
    return render(
        request,
        "governance_opinion_staff.html",
        page_title=f"舆情 {row.code}",
        o=present.opinion(session, row, staff=True),
        can_edit=principal.has(*v.OFFICE),
        can_discuss=principal.has(*v.OPINION_DISCUSSANTS),
        orgs=departments(session),
        limits={r: common.limit(session, f"opinion_answer_within_{r}", row.received_on) for r in common.RISKS},
        today=clock.today_local(),
        **labels(),
    )


def _obk(opinion_id: int) -> str:
    return f"/staff/governance/opinions/{opinion_id}"


@router.post("/staff/governance/opinions/{opinion_id}/assess", response_class=HTMLResponse)
def assess(
    opinion_id: Id,
    request: Request,
    risk: Short = "",
    note: Text = "",
    responsible_org_id: Short = "",
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    def call():
        org = forms.optional_id(responsible_org_id, "responsible_org_id", "责任单位")
        return opinions.assess(session, principal, opinion_id, risk=risk, note=note, responsible_org_id=org)

    return act(request, _obk(opinion_id), call, lambda o: f"已研判，应于 {o.due.isoformat()} 前回应")


@router.post("/staff/governance/opinions/{opinion_id}/discussions", response_class=HTMLResponse)
def discuss(
    opinion_id: Id,
    request: Request,
    held_on: Short = "",
    bodies: Text = "",
    conclusion: Text = "",
    session: Session = SessionDep,
    principal: Principal = DISCUSSANTS,
) -> Response:
    def call():
        day = forms.day(held_on, "held_on", "会商日期")
        return opinions.discuss(session, principal, opinion_id, held_on=day, bodies=bodies, conclusion=conclusion)

    return act(request, _obk(opinion_id), call, "已登记会商结论")


@router.post("/staff/governance/opinions/{opinion_id}/answer", response_class=HTMLResponse)
def answer_opinion(
    opinion_id: Id,
    request: Request,
    text: Text = "",
    public: Short = "",
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    def done(o) -> str:
        return f"已回应（逾期 {o.delay_days} 个工作日）" if o.late else "已在时限内回应"

    return act(
        request,
        _obk(opinion_id),
        lambda: opinions.answer(session, principal, opinion_id, text=text, public=bool(public)),
        done,
    )


@router.post("/staff/governance/opinions/{opinion_id}/evaluate", response_class=HTMLResponse)
def evaluate(
    opinion_id: Id,
    request: Request,
    effect: Short = "",
    note: Text = "",
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    return act(
        request,
        _obk(opinion_id),
        lambda: opinions.evaluate(session, principal, opinion_id, effect=effect, note=note),
        "已登记回应效果评估",
    )


# --------------------------------------------------------------------------- documents


@router.get("/staff/governance/documents", response_class=HTMLResponse)
def documents_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = DOC_READERS
) -> Response:
    result = documents.listing(session, cursor=cursor)
    return render(
        request,
        "governance_documents.html",
        page_title="公文公开属性",
        rows=[(d, present.document(d)) for d in result.items],
        result=result,
        page_url=page_urls("/staff/governance/documents", {}),
        can_draft=principal.has(*v.DOCUMENT_DRAFTERS),
        can_review=principal.has(*v.DOCUMENT_REVIEWERS),
        user_id=principal.user_id,
        default_item=documents.DEFAULT_ITEM,
        **labels(),
    )


@router.post("/staff/governance/documents", response_class=HTMLResponse)
def draft_document(
    request: Request,
    title: Short = "",
    body: Text = "",
    attribute: Short = "",
    reason: Text = "",
    item_code: Short = "",
    session: Session = SessionDep,
    principal: Principal = DRAFTERS,
) -> Response:
    def call():
        return documents.draft(
            session, principal, title=title, body=body, attribute=attribute, reason=reason, item_code=item_code or None
        )

    return act(
        request,
        "/staff/governance/documents",
        call,
        lambda d: f"已拟稿《{d.title}》（{common.ATTRIBUTES[d.attribute]}）",
    )


@router.post("/staff/governance/documents/{document_id}/issue", response_class=HTMLResponse)
def issue_document(
    document_id: Id,
    request: Request,
    doc_number: Short = "",
    attribute: Short = "",
    note: Text = "",
    session: Session = SessionDep,
    principal: Principal = REVIEWERS,
) -> Response:
    def done(d) -> str:
        tail = "，正文已送保密审查，审查通过后公开" if d.final_attribute == "proactive" else ""
        return f"已印发 {d.doc_number}（{common.ATTRIBUTES[d.final_attribute]}）{tail}"

    return act(
        request,
        "/staff/governance/documents",
        lambda: documents.issue(
            session, principal, document_id, doc_number=doc_number, attribute=attribute, note=note or None
        ),
        done,
    )
