"""The desk's editing pages: knowledge articles (办事指南 with their sections, 常见问题, linked policies and rules)
and the questionnaires of the surveyed services (the centre edits the 测评表). Thin: rules in
``servicedesk.knowledge`` and ``servicedesk.surveys``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import SunshineError
from sunshine.core.inputs import Id
from sunshine.identity.roles import Role
from sunshine.policy.models import PolicyDocument
from sunshine.servicedesk import desk, knowledge, surveys
from sunshine.servicedesk.labels import SERVICES
from sunshine.servicedesk.schemas import ArticleIn
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act, refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
DESK = Depends(Access(Role.CENTRE_STAFF))
FIELD_NAMES = list(knowledge.GUIDE_FIELDS)


def _values(a=None) -> dict:  # noqa: ANN001
    if a is None:
        return {
            "kind": "guide",
            "title": "",
            "body": "",
            "policy_ids": [],
            "rule_refs": "",
            **dict.fromkeys(FIELD_NAMES, ""),
        }
    import json

    fields = json.loads(a.fields or "{}")
    return {
        "kind": a.kind,
        "title": a.title,
        "body": a.body,
        "policy_ids": [str(i) for i in json.loads(a.policy_ids)],
        "rule_refs": "\n".join(knowledge.rules_of(a)),
        **{k: fields.get(k, "") for k in FIELD_NAMES},
    }


def _form(request: Request, session: Session, *, article_id=None, values=None, errors=None, status=200) -> Response:  # noqa: ANN001
    policies = [
        (str(p.id), p.title)
        for p in session.scalars(select(PolicyDocument).order_by(PolicyDocument.id.desc()).limit(200))
    ]
    return render(
        request,
        "servicedesk/article_form.html",
        status=status,
        page_title="编辑知识库条目" if article_id else "新增知识库条目",
        article_id=article_id,
        values=values or _values(),
        errors=errors or {},
        kinds=list(knowledge.ARTICLE_KINDS.items()),
        guide_fields=list(knowledge.GUIDE_FIELDS.items()),
        policies=policies,
    )


@router.get("/desk/knowledge/new", response_class=HTMLResponse)
def new_article(request: Request, session: Session = SessionDep, _: Principal = DESK) -> Response:
    return _form(request, session)


@router.get("/desk/knowledge/{article_id}/edit", response_class=HTMLResponse)
def edit_article(request: Request, article_id: Id, session: Session = SessionDep, _: Principal = DESK) -> Response:
    return _form(
        request, session, article_id=article_id, values=_values(knowledge.get(session, article_id, staff=True))
    )


async def _save(request: Request, session: Session, actor: Principal, article_id: int | None) -> Response:
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    values = {k: str(form.get(k) or "")[:20000] for k in ("kind", "title", "body", "rule_refs", *FIELD_NAMES)}
    values["policy_ids"] = [str(v) for v in form.getlist("policy_ids")][:20]

    def work() -> Response:
        try:
            data = ArticleIn(
                kind=values["kind"],
                title=values["title"],
                body=values["body"],
                fields={k: values[k] for k in FIELD_NAMES if values[k].strip()} if values["kind"] == "guide" else {},
                policy_ids=[int(v) for v in values["policy_ids"] if v.isdigit()],
                rule_refs=[r.strip() for r in values["rule_refs"].splitlines() if r.strip()][:20],
            )
        except ValidationError:
            return _form(
                request, session, article_id=article_id, values=values, errors={"title": "内容过长或不完整"}, status=400
            )

        def refused(s: Session, exc: SunshineError) -> Response:
            field = exc.extra.get("field") or "title"
            return _form(
                request, s, article_id=article_id, values=values, errors={field: exc.detail}, status=exc.status
            )

        with refusals_shown_on(refused):
            row = knowledge.save(session, actor, data, article_id)
        flash(request, "success", "已保存")
        return redirect(request, f"/knowledge/{row.id}")

    return await run_in_threadpool(work)


@router.post("/desk/knowledge", response_class=HTMLResponse)
async def create_article(request: Request, session: Session = SessionDep, actor: Principal = DESK) -> Response:
    return await _save(request, session, actor, None)


@router.post("/desk/knowledge/{article_id}", response_class=HTMLResponse)
async def update_article(
    request: Request, article_id: Id, session: Session = SessionDep, actor: Principal = DESK
) -> Response:
    return await _save(request, session, actor, article_id)


@router.get("/desk/questionnaires", response_class=HTMLResponse)
def questionnaires(request: Request, session: Session = SessionDep, _: Principal = DESK) -> Response:
    rows = [(code, label, surveys.questionnaire(session, code)) for code, label in SERVICES.items()]
    return render(
        request,
        "servicedesk/questionnaires.html",
        page_title="满意度测评表",
        rows=rows,
        items_of=surveys.items_of,
        departments=[(str(d.id), d.name) for d in desk.departments(session)],
        seed_note=surveys.SEED_NOTE,
    )


@router.post("/desk/questionnaires/{service}")
def save_questionnaire(
    request: Request,
    service: str,
    title: str = Form("", max_length=200),
    items: str = Form("", max_length=4000),
    department_id: str = Form("", max_length=12),
    session: Session = SessionDep,
    actor: Principal = DESK,
) -> Response:
    lines = [line for line in items.splitlines() if line.strip()][:20]
    dept = int(department_id) if department_id.isdigit() else None
    return act(
        request,
        "/desk/questionnaires",
        lambda: surveys.edit_questionnaire(session, actor, service[:30], title=title, items=lines, department_id=dept),
        "测评表已保存",
    )
