"""Recusal at the evaluation session (评标现场回避): a signed-in expert who declares, once the bidders are before
them, a conflict with one of them (《招标投标法实施条例》第四十六条) leaves the committee, and the platform calls the
next expert in the draw's order exactly as for a decline or a no-show (``calling._close``): the engine records the
outcome 专家应当回避 against the leaf, the replacement is told through the platform and signs in like the others.
A directly appointed expert cannot be replaced from an order: the centre is alerted to appoint another.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.committees.calling import CONFIRMED, RECUSED, CallStateConflict, _close
from sunshine.committees.calling_models import ExpertCall
from sunshine.core.errors import NotFound

#: the avoidance code kept on the call: the expert declared a conflict with a bidder
SESSION_CONFLICT = "declared_conflict"


def recuse_at_session(session: Session, call_id: int) -> ExpertCall:
    """The expert of ``call_id``, confirmed and signed in, is recused; the next in the draw's order is called."""
    call = session.get(ExpertCall, call_id)
    if call is None:
        raise NotFound("没有这项专家通知")
    if call.state != CONFIRMED or call.signed_in_at is None:
        raise CallStateConflict("只有已签到的专家可以在评标现场回避")
    _close(session, call, RECUSED, SESSION_CONFLICT, None)
    return call
