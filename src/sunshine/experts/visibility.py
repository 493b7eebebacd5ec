"""Who sees what of the pool. The public: counts by specialty and the published admission, evaluation and removal
texts, never a list of experts. Pool staff (``codes.POOL_READERS``): the list and each record; personal data
(date of birth, mobile, e-mail, ID number) only to ``codes.PERSONAL_READERS`` and to the expert themself. An
application: the applicant, the employer that recommended it, reviewers and approvers. Anything else answers 404.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.disclosure.detectors import mask_id, mask_mobile
from sunshine.experts import codes
from sunshine.experts.models import Expert, ExpertApplication
from sunshine.identity.roles import Role


def reads_pool(actor: Principal) -> bool:
    return actor.has(*codes.POOL_READERS)


def sees_personal(actor: Principal, expert: Expert | ExpertApplication) -> bool:
    return actor.user_id is not None and (actor.user_id == expert.user_id or actor.has(*codes.PERSONAL_READERS))


def visible_expert(session: Session, actor: Principal, expert_id: int) -> Expert:
    expert = session.get(Expert, expert_id)
    if expert is None or not (reads_pool(actor) or actor.user_id == expert.user_id):
        raise NotFound("未找到该专家")
    return expert


def sees_application(actor: Principal, app: ExpertApplication) -> bool:
    if actor.user_id is None:
        return False
    if actor.user_id in (app.user_id, app.submitted_by) or actor.has(*codes.REVIEWERS, *codes.APPROVERS):
        return True
    return (
        app.channel == "employer"
        and Role.ENTERPRISE_ADMIN in actor.roles
        and actor.organisation_id == app.employer_organisation_id
    )


def visible_application(session: Session, actor: Principal, application_id: int) -> ExpertApplication:
    app = session.get(ExpertApplication, application_id)
    if app is None or not sees_application(actor, app):
        raise NotFound("入库申请不存在")
    return app


def masked_mobile(value: str) -> str:
    return mask_mobile(value) if value else ""


def masked_id(value: str) -> str:
    return mask_id(value) if value else ""
