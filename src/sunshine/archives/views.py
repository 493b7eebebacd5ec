"""Pages of project archives: the archived projects (the centre, the supervisory department), one project's
archive — before archiving, for the centre, what it will hold and what it still lacks, with the form to archive;
after, its contents, the manifest's hash and its ledger entry checked, and the zip download."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from sqlalchemy.orm import Session

from sunshine.archives import proof, service
from sunshine.archives.api import download_response
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.roles import Role
from sunshine.trading import lifecycle, visibility
from sunshine.web.refusals import refusals_back_to
from sunshine.web.templating import flash, redirect, render

router = APIRouter(tags=["项目归档"], include_in_schema=False)
READERS = Depends(Access(Role.CENTRE_STAFF, Role.SUPERVISOR))
CENTRE = Depends(Access(Role.CENTRE_STAFF))


@router.get("/staff/archives", response_class=HTMLResponse)
def archives_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = READERS
):
    result = service.listing(session, principal, cursor=cursor)
    return render(
        request,
        "archives_list.html",
        page_title="项目档案",
        rows=[(a, p, lifecycle.state_label(p, a.state)) for a, p in result.items],
        result=result,
        page_url=page_urls("/staff/archives", {}),
    )


@router.get("/projects/{project_id}/archive", response_class=HTMLResponse)
def project_page(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = READERS):
    row = service.of_project(session, principal, project_id)
    project = visibility.get_visible(session, principal, project_id)
    context = {"project": project, "state_label": lifecycle.state_label(project, project.state), "row": row}
    if row is not None:
        manifest = service.manifest_of(row)
        context |= {
            "contents": manifest["records"],
            "parts": manifest["parts"],
            "proof": proof.check(session, project.code, row.manifest_sha256),
        }
    elif Role.CENTRE_STAFF in principal.roles:
        p = service.preview(session, principal, project_id)
        context |= {
            "contents": p.collected.entries,
            "parts": p.collected.parts,
            "missing": p.collected.missing,
            "closable": p.closable,
            "why_not": p.why_not,
            "total_bytes": p.collected.total_bytes,
        }
    else:
        context |= {"contents": [], "parts": [], "not_archived": True}
    return render(request, "archives_project.html", page_title=f"项目档案：{project.name}", **context)


@router.post("/projects/{project_id}/archive", response_class=HTMLResponse)
def archive(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = CENTRE):
    with refusals_back_to(f"/projects/{project_id}/archive"):
        row = service.archive_project(session, principal, project_id)
    flash(request, "success", f"项目已归档（档案号 {row.number}），归档清单的哈希已记入全程留痕日志")
    return redirect(request, f"/projects/{project_id}/archive")


@router.get("/archives/{archive_id}/download")
def download(archive_id: Id, session: Session = SessionDep, principal: Principal = READERS) -> StreamingResponse:
    return download_response(session, principal, archive_id)
