"""The rules of a project's pack that govern its expert draws, read once here.

A project keeps the rules of its registration day (``rules.rules_of``); a rule added to its pack later (the
tender-document review threshold, say) is read from the pack as in force today, and a centre-wide platform
default from ``centre.service``. See docs/committees.md for the list.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from sunshine.committees import composition
from sunshine.committees.composition import DOC_REVIEW, METHOD_OPINION, Limits
from sunshine.core import clock
from sunshine.core.errors import InvalidInput, NotFound
from sunshine.rules import service as rules
from sunshine.rules.service import ResolvedRule
from sunshine.trading.models import Project

CENTRE_PACK = "centre.service"


def rule(session: Session, project: Project, rule_id: str) -> ResolvedRule | None:
    """A rule for ``project``: its registration snapshot, else its pack as in force today (a rule added after the
    project was registered), else the centre's own pack (centre-wide platform defaults)."""
    snapshot = rules.rules_of(project)
    if snapshot.has(rule_id):
        return snapshot.rule(rule_id)
    today = clock.today_local()
    for key in (project.pack_key, CENTRE_PACK):
        try:
            pack = rules.resolve(session, key, today)
        except (InvalidInput, NotFound):  # no version of the pack in force today: it has nothing to say
            continue
        if pack.has(rule_id):
            return pack.rule(rule_id)
    return None


def flag(session: Session, project: Project, rule_id: str, default: bool) -> bool:
    found = rule(session, project, rule_id)
    return default if found is None else int(found.value) >= 1


def approval_required(session: Session, project: Project) -> bool:
    return flag(session, project, "expert_draw_approval_required", True)


def draw_after_deadline(session: Session, project: Project) -> bool:
    return flag(session, project, "expert_draw_after_bid_deadline", True)


def recent_days(session: Session, project: Project) -> int:
    found = rule(session, project, "expert_recent_draw_days")
    return int(found.value) if found is not None else 0


def doc_review_threshold(session: Session, project: Project) -> Decimal | None:
    found = rule(session, project, "doc_review_budget_threshold")
    return found.value if found is not None else None


def doc_review_required(session: Session, project: Project) -> bool:
    threshold = doc_review_threshold(session, project)
    return threshold is not None and project.budget >= threshold


def limits(session: Session, project: Project, purpose: str) -> Limits:
    """The numbers of ``project``'s pack that govern a request for ``purpose``."""
    if purpose == DOC_REVIEW:
        found = rule(session, project, "doc_review_experts_min")
        return Limits(purpose, experts_min=int(found.value) if found else 2, basis=found.basis_text if found else "")
    if purpose == METHOD_OPINION:
        found = rule(session, project, "method_opinion_experts")
        return Limits(purpose, experts_min=int(found.value) if found else 2, basis=found.basis_text if found else "")
    size = rule(session, project, "committee_min_size")
    share = rule(session, project, "expert_share_min")
    large = rule(session, project, "committee_large_min_size")
    threshold = rule(session, project, "committee_large_threshold")
    if large is not None and threshold is None:
        threshold = rule(session, project, "open_tender_threshold")  # 达到公开招标数额标准的（非招标方式）
    basis = "；".join(r.basis_text for r in (size, share, large if threshold else None) if r is not None)
    return Limits(
        purpose,
        min_size=int(size.value) if size else 5,
        expert_share=composition.share_of(share.value) if share else composition.Limits(purpose).expert_share,
        large_min_size=int(large.value) if large and threshold else None,
        large_threshold=threshold.value if large and threshold else None,
        budget=project.budget,
        basis=basis,
    )
