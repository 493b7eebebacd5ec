"""Declarations of no interest (无利害关系声明): before the first notice of a project with an agency is
published, each of the agency's drafting staff declares in writing, and signs with their own key, that they
have no interest in the potential bidders (《中华人民共和国政府采购法》第十二条: 采购人员及相关人员与供应商
有利害关系的，必须回避; 《福建省省级政府采购货物和服务招标项目实施指引》: 与潜在投标人有利害关系的人员，必须回避).

Drafting staff (编制人员) are the agency's users who registered the project, who publish its notice, and any
other of its users who drew up a declaration for it (joining the drafting team). Whether the first notice
waits for their signed declarations is the rule ``interest_declaration_before_notice`` of the centre.service
pack (平台默认值, configurable; docs/seals.md). Never commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden
from sunshine.declarations.models import InterestDeclaration
from sunshine.identity.models import Organisation, User
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.seals.models import DocumentSeal
from sunshine.trading import lifecycle, visibility
from sunshine.trading.models import Project

KIND = "interest_declaration"
RULE = "interest_declaration_before_notice"
BASIS = (
    "《中华人民共和国政府采购法》第十二条：在政府采购活动中，采购人员及相关人员与供应商有利害关系的，必须回避；"
    "《福建省省级政府采购货物和服务招标项目实施指引》：编制招标文件时，与潜在投标人有利害关系的人员，必须回避"
)
READERS = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR})


class DeclarationsMissing(Conflict):
    code = "declarations_missing"
    title = "编制人员尚未签署无利害关系声明"


@dataclass(frozen=True)
class StaffStatus:
    user_id: int
    name: str
    declaration: InterestDeclaration | None
    seal: DocumentSeal | None

    @property
    def declared(self) -> bool:
        return self.seal is not None


def statement_text(project: Project, agency: Organisation, user: User) -> str:
    return (
        f"本人{user.display_name}系{agency.name}工作人员，参与{project.name}（项目编号 {project.code}）"
        "招标（采购）文件的编制工作。\n"
        "本人郑重声明：本人与该项目的潜在投标人（供应商）不存在利害关系；"
        "在项目实施过程中如发现存在利害关系，本人将立即书面报告并主动回避。\n"
        "本人对本声明的真实性负责。"
    )


def required(session: Session) -> bool:
    """Whether first notices of agency projects wait for the drafting staff's signed declarations."""
    pack = rules.resolve(session, "centre.service", clock.today_local())
    return pack.has(RULE) and int(pack.rule(RULE).value) >= 1


def _agency_users(session: Session, project: Project, ids: set[int]) -> set[int]:
    if project.agency_id is None or not ids:
        return set()
    rows = session.scalars(select(User.id).where(User.id.in_(ids), User.organisation_id == project.agency_id))
    return set(rows)


def drafting_staff(session: Session, project: Project, publisher: Principal | None = None) -> set[int]:
    """The agency's users who draft the project's documents (see the module's description)."""
    ids = {project.registered_by}
    if publisher is not None and publisher.user_id is not None:
        ids.add(publisher.user_id)
    ids.update(session.scalars(select(InterestDeclaration.user_id).where(InterestDeclaration.project_id == project.id)))
    return _agency_users(session, project, ids)


def status(session: Session, project: Project, publisher: Principal | None = None) -> list[StaffStatus]:
    staff = drafting_staff(session, project, publisher)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(staff)))} if staff else {}
    declarations = {
        d.user_id: d
        for d in session.scalars(select(InterestDeclaration).where(InterestDeclaration.project_id == project.id))
    }
    seals = {}
    if declarations:
        for row in session.scalars(
            select(DocumentSeal)
            .where(DocumentSeal.kind == KIND, DocumentSeal.document_id.in_([d.id for d in declarations.values()]))
            .order_by(DocumentSeal.id)
        ):
            seals[row.document_id] = row
    out = []
    for user_id in sorted(staff):
        d = declarations.get(user_id)
        out.append(StaffStatus(user_id, users[user_id].display_name, d, seals.get(d.id) if d else None))
    return out


def missing(session: Session, project: Project, publisher: Principal | None = None) -> list[StaffStatus]:
    return [s for s in status(session, project, publisher) if not s.declared]


def may_read(actor: Principal, project: Project, declaration: InterestDeclaration) -> bool:
    return actor.user_id == declaration.user_id or visibility.is_party(actor, project) or actor.has(*READERS)


def draw_up(session: Session, actor: Principal, project_id: int) -> InterestDeclaration:
    """起草声明: the agency user's own declaration for the project (the same one again if already drawn up);
    it counts once signed on its sealing page."""
    project = visibility.get_visible(session, actor, project_id)
    if project.agency_id is None or actor.organisation_id != project.agency_id or not actor.has(Role.AGENCY):
        raise Forbidden("只有受委托代理机构的工作人员可以签署本项目的无利害关系声明")
    existing = session.scalar(
        select(InterestDeclaration).where(
            InterestDeclaration.project_id == project.id, InterestDeclaration.user_id == actor.user_id
        )
    )
    if existing is not None:
        return existing
    agency = session.get(Organisation, project.agency_id)
    user = session.get(User, actor.user_id)
    row = InterestDeclaration(
        project_id=project.id,
        organisation_id=agency.id,
        user_id=user.id,
        statement=statement_text(project, agency, user),
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "declarations:interest:drawn_up",
        f"project:{project.code}",
        {"declaration": row.id, "project": project.code, "by": user.id},
    )
    return row


def require_declarations(session: Session, event: lifecycle.StepEvent) -> None:
    """The after-step hook of ``publish_notice``: refuses the step (and so the notice) while a drafting staff
    member of the agency has not signed a declaration, where the rule asks for them."""
    project = event.project
    if project.agency_id is None or not required(session):
        return
    absent = missing(session, project, event.actor)
    if absent:
        names = "、".join(s.name for s in absent)
        raise DeclarationsMissing(
            f"代理机构编制人员尚未签署无利害关系声明：{names}。请先在项目的“无利害关系声明”页签署后再发布公告。"
            f"依据：{BASIS}",
            rule=f"centre.service/{RULE}",
        )
