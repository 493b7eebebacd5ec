"""异地评标: a member takes part in the session from another centre. The session's place is the draw request's
(the host room, or the host centre of a remote evaluation); the centre's staff running the session record, when a
member signs in from a remote site, the centre and room they sit in (``set_site``) — or clear it back to the host.
Each member's site is in the session's view, the report (``sites_of``: the sites with their members) and the
sealed archive; the ledger names the member's seat and whether it is remote, never the person.

The remote centre's own step (``sign_in_at_site``): where the staff name the remote centre (an organisation of kind
交易中心) as the member's site, that centre's staff — and only they — sign the member in at their site (identity
checked on the spot); the host sees it in the session room as it happens, and the ledger records the seat and the
centre. Changing the member's site clears that sign-in. Never commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees.models import DrawRequest
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.evaluation import visibility
from sunshine.evaluation.models import EvaluationMember, EvaluationSession
from sunshine.evaluation.service import log, members_of, require_state
from sunshine.identity.models import Organisation, OrganisationKind

#: until the report is drawn up (it lists the sites): a member's site is known at sign-in, corrected before scoring ends
OPEN_STATES = ("forming", "review", "scoring")


def host_of(session: Session, row: EvaluationSession) -> str:
    request = session.get(DrawRequest, row.request_id)
    return request.place if request is not None else "主场"


def _centre(session: Session, centre_id: int | None) -> Organisation | None:
    if centre_id is None:
        return None
    org = session.get(Organisation, centre_id)
    if org is None or org.kind != OrganisationKind.CENTRE:
        raise InvalidInput("请选择平台上的交易中心", field="centre_id")
    return org


def centres(session: Session) -> list[Organisation]:
    """The trading centres on the platform a remote site may name."""
    stmt = select(Organisation).where(Organisation.kind == OrganisationKind.CENTRE).order_by(Organisation.name)
    return list(session.scalars(stmt))


def set_site(
    session: Session, actor: Principal, session_id: int, member_id: int, site: str, centre_id: int | None = None
) -> EvaluationMember:
    """记录异地评标席位: the member signs in from ``site`` (another centre's room) of the centre ``centre_id`` if
    named; empty: the host place."""
    row, _ = visibility.get_readable(session, actor, session_id)
    if not visibility.runs(actor):
        raise Forbidden("成员的评标地点由组织评审的交易中心工作人员记录")
    require_state(row, *OPEN_STATES)
    member = session.get(EvaluationMember, member_id)
    if member is None or member.session_id != row.id or member.state != "active":
        raise NotFound("该成员不在本评标委员会")
    site = (site or "").strip()
    if site and not 4 <= len(site) <= 200:
        raise InvalidInput("请填写异地评标的交易中心及评标室名称（4至200字）", field="site")
    if site == host_of(session, row):
        site = ""
    centre = _centre(session, centre_id) if site else None
    if (site or None, centre.id if centre else None) != (member.site, member.site_centre_id):
        member.site_signed_in_at = member.site_signed_in_by = None  # a new site: its centre signs the member in anew
    member.site = site or None
    member.site_centre_id = centre.id if centre is not None else None
    session.flush()
    log(session, row, "member:site", {"member": member.id, "remote": member.site is not None})
    return member


def sign_in_at_site(session: Session, actor: Principal, session_id: int, member_id: int) -> EvaluationMember:
    """异地评标签到: the staff of the centre named as the member's site sign the member in there."""
    row, _ = visibility.get_readable(session, actor, session_id)
    member = session.get(EvaluationMember, member_id)
    if member is None or member.session_id != row.id or member.state != "active":
        raise NotFound("该成员不在本评标委员会")
    if member.site is None or member.site_centre_id is None:
        raise Conflict("该成员不在异地评标席位（或未指定所在交易中心），由主场工作人员核验签到")
    if not visibility.runs(actor) or actor.organisation_id != member.site_centre_id:
        raise Forbidden("异地评标席位的签到由该成员所在交易中心的工作人员办理")
    require_state(row, *OPEN_STATES)
    if member.site_signed_in_at is not None:
        raise Conflict("该成员已在异地评标席位签到")
    member.site_signed_in_at, member.site_signed_in_by = clock.now(), actor.user_id
    session.flush()
    log(session, row, "member:site_signed_in", {"member": member.id, "centre": member.site_centre_id})
    return member


def sites_of(session: Session, row: EvaluationSession) -> list[dict]:
    """The sites of the session's active members: the host first, then each remote site, with the members' names."""
    host = host_of(session, row)
    out: dict[str, dict] = {host: {"site": host, "remote": False, "members": [], "signed_in": []}}
    for m in members_of(session, row, active_only=True):
        place = m.site or host
        entry = out.setdefault(place, {"site": place, "remote": m.site is not None, "members": [], "signed_in": []})
        entry["members"].append(m.name)
        if m.site_signed_in_at is not None:  # signed in by the remote centre's own staff
            entry["signed_in"].append(m.name)
    return [v for v in out.values() if v["members"] or not v["remote"]]
