"""异地评标: a member takes part in the session from another centre. The session's place is the draw request's
(the host room, or the host centre of a remote evaluation); the centre's staff running the session record, when a
member signs in from a remote site, the centre and room they sit in (``set_site``) — or clear it back to the host.
Each member's site is in the session's view, the report (``sites_of``: the sites with their members) and the
sealed archive; the ledger names the member's seat and whether it is remote, never the person. Never commits.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.committees.models import DrawRequest
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden, InvalidInput, NotFound
from sunshine.evaluation import visibility
from sunshine.evaluation.models import EvaluationMember, EvaluationSession
from sunshine.evaluation.service import log, members_of, require_state

#: until the report is drawn up (it lists the sites): a member's site is known at sign-in, corrected before scoring ends
OPEN_STATES = ("forming", "review", "scoring")


def host_of(session: Session, row: EvaluationSession) -> str:
    request = session.get(DrawRequest, row.request_id)
    return request.place if request is not None else "主场"


def set_site(session: Session, actor: Principal, session_id: int, member_id: int, site: str) -> EvaluationMember:
    """记录异地评标席位: the member signs in from ``site`` (another centre's room); empty: the host place."""
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
    member.site = site or None
    session.flush()
    log(session, row, "member:site", {"member": member.id, "remote": member.site is not None})
    return member


def sites_of(session: Session, row: EvaluationSession) -> list[dict]:
    """The sites of the session's active members: the host first, then each remote site, with the members' names."""
    host = host_of(session, row)
    out: dict[str, dict] = {host: {"site": host, "remote": False, "members": []}}
    for m in members_of(session, row, active_only=True):
        place = m.site or host
        out.setdefault(place, {"site": place, "remote": m.site is not None, "members": []})["members"].append(m.name)
    return [v for v in out.values() if v["members"] or not v["remote"]]
