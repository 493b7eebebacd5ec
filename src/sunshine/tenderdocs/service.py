"""Tender documents before they go out (seed 003, 《福建省省级政府采购货物和服务招标项目实施指引》 二、编制招标文件):
the centre's templates with their mandatory clauses (编制指引与范本), the agency's draft from a template, the
purchaser's confirmation (采购人审核确认), the review by two experts drawn from the pool above the pack's threshold
(committees' ``doc_review`` draw; each reviewer's own opinion is ``opinions``; those experts are then excluded from
the evaluation), the filing with
the finance department (送财政部门备案) and the department's order to change them (责令修改) before or after
publication. Each step is a lifecycle step (``tenderdocs.steps``); the first notice waits for filed documents
where the project's pack asks for it and the centre has switched the platform check on. Never commits.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees import avoidance, packrules
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.tenderdocs import opinions
from sunshine.tenderdocs.models import DocumentChangeOrder, TenderDocument, TenderTemplate
from sunshine.trading import lifecycle, notices, visibility
from sunshine.trading.labels import TRANSACTION_TYPES
from sunshine.trading.models import Notice, Project

PACK_RULE = "tender_docs_filed_before_notice"
CENTRE_RULE = "tender_docs_platform_check"
READERS = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR})
STATUS_LABELS = {
    "drafted": "已编制，待采购人确认",
    "confirmed": "采购人已确认，待备案",
    "filed": "已送财政部门备案",
    "change_ordered": "财政部门责令修改",
}
BASIS_CONFIRM = "《福建省省级政府采购货物和服务招标项目实施指引》二（三）：招标文件需经采购人审核确认，并加盖公章"
BASIS_FILE = (
    "《福建省省级政府采购货物和服务招标项目实施指引》二（四）：经确认后的招标文件应在发布招标公告的同时，送省财政厅备案；"
    "备案过程中，省财政厅认为有违反政府采购法律法规及相关规章制度，或影响公开、公平、公正的事项，有权责令采购人、采购代理机构修改"
)
BASIS_REVIEW = (
    "《福建省省级政府采购货物和服务招标项目实施指引》二（四）：采购金额300万元及以上项目报备时，应出具从省级政府采购专家库中"
    "通过电脑随机抽取两名以上专家对招标文件作出评审意见；四（三）：项目评审专家不得参加该项目评标"
)
MAX_CLAUSE = 20_000
MAX_CLAUSES = 60


class MandatoryClausesMissing(InvalidInput):
    code = "mandatory_clauses_missing"


class TenderDocumentsNotReady(Conflict):
    code = "tender_documents_not_ready"
    title = "招标文件尚未完成确认和备案"


class TenderDocumentState(Conflict):
    code = "tender_document_state"
    title = "招标文件当前状态不能办理此步骤"


class ReviewIncomplete(Conflict):
    code = "tender_document_review_incomplete"
    title = "招标文件尚未经随机抽取的专家评审"


@dataclass(frozen=True)
class Clause:
    key: str
    title: str
    mandatory: bool


# --------------------------------------------------------------------------- templates


def clauses_of(template: TenderTemplate) -> list[Clause]:
    return [Clause(c["key"], c["title"], bool(c["mandatory"])) for c in json.loads(template.clauses)]


def templates(session: Session, transaction_type: str | None = None) -> list[TenderTemplate]:
    query = select(TenderTemplate).order_by(TenderTemplate.id)
    if transaction_type:
        query = query.where(TenderTemplate.transaction_type == transaction_type)
    return list(session.scalars(query))


def create_template(
    session: Session, actor: Principal, *, transaction_type: str, name: str, clauses: list[Clause]
) -> TenderTemplate:
    """The centre adds a template to its library (招标文件范本库): its clauses, the mandatory ones checked."""
    if not actor.has(Role.CENTRE_STAFF):
        raise Forbidden("招标文件范本由交易中心维护")
    if transaction_type not in TRANSACTION_TYPES:
        raise InvalidInput("交易类型无效", field="transaction_type")
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("请填写范本名称（最多200字）", field="name")
    keys = [c.key.strip() for c in clauses]
    if not clauses or len(clauses) > MAX_CLAUSES or any(not k or len(k) > 40 for k in keys):
        raise InvalidInput(f"范本须有1至{MAX_CLAUSES}个条款，每个条款须有代码（最多40字符）", field="clauses")
    if len(set(keys)) != len(keys):
        raise InvalidInput("条款代码不得重复", field="clauses")
    if any(not c.title.strip() or len(c.title) > 200 for c in clauses):
        raise InvalidInput("请填写每个条款的名称（最多200字）", field="clauses")
    if not any(c.mandatory for c in clauses):
        raise InvalidInput("范本至少应有一个必备条款", field="clauses")
    row = TenderTemplate(
        transaction_type=transaction_type,
        name=name,
        clauses=json.dumps(
            [
                {"key": k, "title": c.title.strip(), "mandatory": c.mandatory}
                for k, c in zip(keys, clauses, strict=True)
            ],
            ensure_ascii=False,
        ),
        created_by=actor.user_id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "tenderdocs:template:created",
        f"tender-template:{row.id}",
        {"name": name, "transaction_type": transaction_type, "clauses": json.loads(row.clauses)},
    )
    return row


# --------------------------------------------------------------------------- reading


def document_of(session: Session, project: Project) -> TenderDocument | None:
    return session.scalars(select(TenderDocument).where(TenderDocument.project_id == project.id)).first()


def orders_of(session: Session, document: TenderDocument | None) -> list[DocumentChangeOrder]:
    if document is None:
        return []
    query = select(DocumentChangeOrder).where(DocumentChangeOrder.document_id == document.id)
    return list(session.scalars(query.order_by(DocumentChangeOrder.id)))


def open_order(session: Session, document: TenderDocument | None) -> DocumentChangeOrder | None:
    return next((o for o in orders_of(session, document) if o.answered_at is None), None)


def may_read(principal: Principal, project: Project) -> bool:
    return visibility.is_party(principal, project) or principal.has(*READERS)


def readable_project(session: Session, principal: Principal, project_id: int) -> Project:
    project = visibility.get_visible(session, principal, project_id)
    if not may_read(principal, project):
        raise NotFound("项目不存在")
    return project


def review_required(session: Session, project: Project) -> bool:
    return project.transaction_type == "gov_procurement" and packrules.doc_review_required(session, project)


def reviewers(session: Session, project: Project) -> frozenset[int]:
    """The experts seated by the project's tender-document review draws (committees' ``doc_review``)."""
    return avoidance.doc_reviewers(session, project)


def required(session: Session, project: Project) -> bool:
    """Whether ``project``'s first notice waits for filed documents: its pack asks for it (seed 003) and the centre
    switched the platform check on before the project was registered (projects registered earlier keep their
    course)."""
    found = packrules.rule(session, project, PACK_RULE)
    if found is None or int(found.value) < 1:
        return False
    override = rules.active_overrides(session, packrules.CENTRE_PACK).get(CENTRE_RULE)
    if override is None or int(override.value) < 1:
        return False
    return project.registered_at >= override.set_at


def missing(session: Session, project: Project) -> list[str]:
    """What still stands between the project's documents and its first notice, in words."""
    document = document_of(session, project)
    if document is None:
        return ["代理机构尚未依范本编制招标文件"]
    out: list[str] = []
    if open_order(session, document) is not None:
        out.append("财政部门责令修改的招标文件尚未修改、确认并重新备案")
    if document.status == "drafted":
        out.append("采购人尚未审核确认招标文件")
    if review_required(session, project):
        out.extend(opinions.standing(session, project, document))
    if document.status != "filed":
        out.append("招标文件尚未送财政部门备案")
    return out


def require_ready(session: Session, event: lifecycle.StepEvent) -> None:
    """The after-step hook of ``publish_notice``: refuses the first notice while the documents are not filed."""
    project = event.project
    if not required(session, project):
        return
    absent = missing(session, project)
    if absent:
        raise TenderDocumentsNotReady(
            f"招标文件尚未就绪，暂不能发布公告：{'；'.join(absent)}。依据：{BASIS_CONFIRM}；{BASIS_FILE}",
            rule=f"{project.pack_key}/{PACK_RULE}",
        )


# --------------------------------------------------------------------------- steps


def _own_side(actor: Principal, project: Project) -> None:
    """The drafter: the project's agency, or the purchaser itself where it has none."""
    drafter = project.agency_id or project.tenderer_id
    if actor.organisation_id != drafter or not actor.has(Role.AGENCY, Role.TENDERER):
        raise Forbidden("招标文件由本项目的代理机构（无代理机构的由采购人）编制、送审和备案")


def _digest(clauses: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(clauses, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def check_clauses(template: list[Clause], given: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The clauses as filled (trimmed, one per template clause) and the titles of the mandatory ones left empty."""
    filled = {c.key: (given.get(c.key) or "").strip() for c in template}
    return filled, [c.title for c in template if c.mandatory and not filled[c.key]]


def draft(
    session: Session, actor: Principal, project_id: int, *, template_id: int, clauses: dict[str, str]
) -> TenderDocument:
    """The agency drafts (or redrafts) the documents from a template; every mandatory clause filled, else 422."""
    project = readable_project(session, actor, project_id)
    _own_side(actor, project)
    checked = lifecycle.check(project, "draft_tender_docs", actor)
    template = session.get(TenderTemplate, template_id)
    if template is None:
        raise NotFound("招标文件范本不存在", field="template_id")
    if template.transaction_type != project.transaction_type:
        raise InvalidInput("所选范本不适用于本项目的交易类型", field="template_id")
    known = {c.key: c for c in clauses_of(template)}
    unknown = sorted(set(clauses) - set(known))
    if unknown:
        raise InvalidInput(f"范本没有这些条款：{'、'.join(unknown)}", field="clauses")
    if any(len(text or "") > MAX_CLAUSE for text in clauses.values()):
        raise InvalidInput(f"每个条款最多 {MAX_CLAUSE} 字", field="clauses")
    filled, empty = check_clauses(list(known.values()), clauses)
    if empty:
        raise MandatoryClausesMissing(
            f"范本的必备条款未填写：{'、'.join(empty)}。依据：《福建省省级政府采购货物和服务招标项目实施指引》二（一）（二）："
            "应按照招标文件编制指引和范本编制招标文件，招标文件必须明确无效标标准及评标的具体方法",
            field="clauses",
        )
    document = document_of(session, project)
    order = open_order(session, document)
    if project.public_since is not None and order is None:
        raise TenderDocumentState(
            "招标文件已随公告发出；主动澄清或修改请发布澄清/更正公告，只有财政部门责令修改时在此重新编制"
        )
    now = clock.now()
    body = {k: v for k, v in filled.items() if v}
    if document is None:
        document = TenderDocument(project_id=project.id, version=1)
        session.add(document)
    else:
        document.version += 1
    document.template_id, document.clauses = template.id, json.dumps(body, ensure_ascii=False)
    document.sha256 = _digest(body)
    document.status, document.drafted_by, document.drafted_at = "drafted", actor.user_id, now
    document.confirmed_by = document.confirmed_at = document.filed_by = document.filed_at = None
    session.flush()
    lifecycle.apply(
        session,
        project,
        checked,
        actor,
        document_ref=f"tender-document:{document.id}:v{document.version}",
        payload={"template": template.id, "version": document.version, "sha256": document.sha256},
    )
    return document


def _document(session: Session, project: Project) -> TenderDocument:
    document = document_of(session, project)
    if document is None:
        raise TenderDocumentState("本项目尚未编制招标文件")
    return document


def confirm(session: Session, actor: Principal, project_id: int) -> TenderDocument:
    """The purchaser confirms the documents it read (采购人审核确认)."""
    project = readable_project(session, actor, project_id)
    if not (actor.has(Role.TENDERER) and actor.organisation_id == project.tenderer_id):
        raise Forbidden("招标文件由本项目的采购人（招标人）审核确认")
    checked = lifecycle.check(project, "confirm_tender_docs", actor)
    document = _document(session, project)
    if document.status != "drafted":
        raise TenderDocumentState(f"招标文件当前为“{STATUS_LABELS[document.status]}”，没有待确认的版本")
    document.status, document.confirmed_by, document.confirmed_at = "confirmed", actor.user_id, clock.now()
    lifecycle.apply(
        session,
        project,
        checked,
        actor,
        document_ref=f"tender-document:{document.id}:v{document.version}",
        payload={"version": document.version, "sha256": document.sha256},
    )
    return document


def file(session: Session, actor: Principal, project_id: int) -> TenderDocument:
    """The confirmed documents are filed with the finance department (送财政部门备案); a pending order before
    publication is answered by filing the changed version."""
    project = readable_project(session, actor, project_id)
    _own_side(actor, project)
    checked = lifecycle.check(project, "file_tender_docs", actor)
    document = _document(session, project)
    if document.status != "confirmed":
        raise TenderDocumentState(f"招标文件当前为“{STATUS_LABELS[document.status]}”，须经采购人确认后方可备案")
    if review_required(session, project):
        absent = opinions.standing(session, project, document)
        if absent:
            raise ReviewIncomplete(f"{'；'.join(absent)}。依据：{BASIS_REVIEW}")
    order = open_order(session, document)
    if order is not None and order.after_publication:
        raise TenderDocumentState("公告发布后被责令修改的，请以更正公告发出修改后的招标文件")
    now = clock.now()
    document.status, document.filed_by, document.filed_at = "filed", actor.user_id, now
    if order is not None:
        order.answered_at, order.answered_version = now, document.version
    lifecycle.apply(
        session,
        project,
        checked,
        actor,
        document_ref=f"tender-document:{document.id}:v{document.version}",
        payload={"version": document.version, "sha256": document.sha256, "answers_order": order.id if order else None},
    )
    return document


def order_change(session: Session, actor: Principal, project_id: int, *, reason: str) -> DocumentChangeOrder:
    """The finance department orders the filed documents changed (责令修改), before or after publication."""
    project = readable_project(session, actor, project_id)
    checked = lifecycle.check(project, "order_docs_change", actor)
    document = _document(session, project)
    if document.status != "filed":
        raise TenderDocumentState("只能对已备案的招标文件责令修改")
    reason = (reason or "").strip()
    if not reason or len(reason) > 4000:
        raise InvalidInput("请写明责令修改的事项和理由（最多4000字）", field="reason")
    now = clock.now()
    order = DocumentChangeOrder(
        document_id=document.id,
        reason=reason,
        after_publication=project.public_since is not None,
        ordered_by=actor.user_id,
        ordered_at=now,
    )
    session.add(order)
    document.status = "change_ordered"
    session.flush()
    lifecycle.apply(
        session,
        project,
        checked,
        actor,
        reason=reason,
        document_ref=f"tender-document:{document.id}:v{document.version}",
        payload={"order": order.id, "after_publication": order.after_publication},
    )
    return order


def publish_change(
    session: Session,
    actor: Principal,
    project_id: int,
    *,
    title: str,
    body_html: str,
    new_bid_deadline: datetime | None = None,
) -> Notice:
    """After publication an ordered change goes out as an amendment (更正公告) through the notices' amendment path
    (its 15-day check applies); the confirmed changed version is filed with it and the order answered."""
    project = readable_project(session, actor, project_id)
    _own_side(actor, project)
    document = _document(session, project)
    order = open_order(session, document)
    if order is None or not order.after_publication:
        raise TenderDocumentState("没有待以更正公告发出的责令修改")
    if document.status != "confirmed":
        raise TenderDocumentState("修改后的招标文件须先经采购人审核确认，再以更正公告发出")
    first = session.scalars(
        select(Notice).where(Notice.project_id == project.id, Notice.series_id.is_(None)).order_by(Notice.id)
    ).first()
    if first is None:
        raise TenderDocumentState("本项目还没有公告")
    notice = notices.publish_amendment(
        session,
        actor,
        project.id,
        first.id,
        kind="amendment",
        title=title,
        body_html=body_html,
        affects_bids=True,
        new_bid_deadline=new_bid_deadline,
    )
    now = clock.now()
    document.status, document.filed_by, document.filed_at = "filed", actor.user_id, now
    order.answered_at, order.answered_version, order.notice_id = now, document.version, notice.id
    ledger.append(
        session,
        "tenderdocs:order:answered",
        f"project:{project.code}",
        {"order": order.id, "version": document.version, "sha256": document.sha256, "notice": notice.id},
    )
    return notice


FILINGS_ORDER = Keyset.of("tender-filings", TenderDocument.drafted_at, TenderDocument.id)


def filings(
    session: Session, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[TenderDocument, Project]]:
    """The department's list: every document filed or ordered changed, newest first, one page at a time."""
    query = (
        select(TenderDocument, Project)
        .join(Project, Project.id == TenderDocument.project_id)
        .where(TenderDocument.filed_at.is_not(None) | (TenderDocument.status == "change_ordered"))
    )
    return paginate(session, query, FILINGS_ORDER, cursor=cursor, limit=limit)
