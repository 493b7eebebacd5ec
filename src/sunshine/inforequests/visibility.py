"""Who may see an information request (依申请公开), decided once for the API, the pages and the services.

The disclosure office (政务公开办) sees every request; a department sees only the requests routed to it now;
an applicant sees its own request through the tracking number and lookup code it was given (``service.lookup``),
never through an account. To anyone else a request does not exist (404). The applicant's personal data is
never published: the public statistics and the annual report count requests, they do not show them.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.identity.roles import Role
from sunshine.inforequests.models import InfoRequest

OFFICE_ROLES = frozenset({Role.DISCLOSURE_OFFICE})


def is_office(actor: Principal) -> bool:
    return actor.has(*OFFICE_ROLES)


def can_see(actor: Principal, req: InfoRequest) -> bool:
    if is_office(actor):
        return True
    return actor.user_id is not None and req.department_user_id == actor.user_id


def readable(actor: Principal) -> ColumnElement[bool]:
    """The condition every staff list of requests starts from."""
    if is_office(actor):
        return true()
    return InfoRequest.department_user_id == (actor.user_id or -1)


def get_for_staff(session: Session, actor: Principal, request_id: int) -> InfoRequest:
    """The disclosure office sees every request; a department only those routed to it now."""
    req = session.get(InfoRequest, request_id)
    if req is None or not can_see(actor, req):
        raise NotFound("申请不存在")
    return req
