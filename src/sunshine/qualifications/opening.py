"""Qualifications at the opening: the project managers named in the opened bids checked for conflicts
(项目经理在建/重复投标), and the block of the opening room that shows the officials each bidder's findings.

Bidding offers the hooks (``bidding.hooks``); this module registers into them and reads the decrypted bids
through bidding's service. A conflict is: the same project manager (by registration number) named in two bids
of the same opening, or named in a bid while an unaccepted performance record (在建) of any enterprise names
them as its project manager. When decryption ends each conflict is raised once as an alert to the supervisory
department and recorded in the ledger by bid numbers and record numbers only (no name, no registration number).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import hooks
from sunshine.bidding import service as bidding
from sunshine.bidding.models import Bid
from sunshine.core import alerts
from sunshine.core.auth import Principal
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.qualifications import codes, records, service
from sunshine.qualifications.models import Performance, Person
from sunshine.trading import visibility
from sunshine.trading.models import Project, Section

KINDS = {"two_bids": "同一项目经理在本次开标的两份投标文件中被拟派", "unfinished": "项目经理尚有在建项目"}


@dataclass
class BidRef:
    bid_no: str
    organisation: str
    section_number: int


@dataclass
class ManagerConflict:
    kind: str
    registration_number: str
    name: str
    bids: list[BidRef]
    record: Performance | None = None
    record_organisation: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def masked_number(self) -> str:
        return codes.mask(self.registration_number)

    @property
    def key(self) -> str:
        """The fact, without personal data: kind, bids and record."""
        parts = [self.kind, *sorted(b.bid_no for b in self.bids), str(self.record.id if self.record else "")]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def named_manager(bid: Bid) -> dict[str, str] | None:
    """The project manager a decrypted bid names, if any (older bids name none)."""
    if not bid.form_json:
        return None
    try:
        manager = json.loads(bid.form_json).get("project_manager")
    except (ValueError, AttributeError):
        return None
    return manager if isinstance(manager, dict) and manager.get("registration_number") else None


def conflicts(session: Session, project: Project) -> list[ManagerConflict]:
    bids = [b for b in bidding.sealed_bids(session, project.id) if b.decryption == "decrypted"]
    named: dict[str, list[tuple[Bid, dict[str, str]]]] = {}
    for bid in bids:
        manager = named_manager(bid)
        if manager:
            named.setdefault(manager["registration_number"], []).append((bid, manager))
    if not named:
        return []
    org_ids = {b.organisation_id for b in bids}
    numbers = {s.id: s.number for s in session.scalars(select(Section).where(Section.project_id == project.id))}
    unfinished = list(
        session.execute(
            select(Performance, Person.registration_number)
            .join(Person, Person.id == Performance.manager_id)
            .where(
                Person.registration_number.in_(list(named)),
                Performance.accepted_on.is_(None),
                Performance.retired_at.is_(None),
            )
            .order_by(Performance.id)
        )
    )
    org_ids |= {p.organisation_id for p, _ in unfinished}
    names = dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))).all())

    def ref(bid: Bid) -> BidRef:
        return BidRef(bid.bid_no, names.get(bid.organisation_id, ""), numbers.get(bid.section_id, 0))

    found = []
    for number, entries in named.items():
        name = entries[0][1].get("name", "")
        if len(entries) >= 2:
            found.append(ManagerConflict("two_bids", number, name, [ref(b) for b, _ in entries]))
        for record, record_number in unfinished:
            if record_number == number:
                found.append(
                    ManagerConflict(
                        "unfinished",
                        number,
                        name,
                        [ref(b) for b, _ in entries],
                        record,
                        names.get(record.organisation_id, ""),
                    )
                )
    return found


def on_decryption_closed(session: Session, project: Project) -> None:
    """Raise each conflict once to the supervisory department and record it (registered with bidding)."""
    for conflict in conflicts(session, project):
        bids = "、".join(b.bid_no for b in conflict.bids)
        record = f"；在建项目记录 {conflict.record.id}（{conflict.record_organisation}）" if conflict.record else ""
        raised = alerts.raise_once(
            session,
            key=f"pm_conflict:{project.id}:{conflict.key}",
            domain="qualifications",
            kind="pm_conflict",
            subject_kind="project",
            subject_id=project.id,
            message=f"{project.name}（{project.code}）开标发现：{conflict.kind_label}。投标文件 {bids}{record}",
            audience=[Role.SUPERVISOR],
        )
        if raised is not None:
            ledger.append(
                session,
                "qualifications:manager-conflict:found",
                f"project:{project.code}",
                {
                    "kind": conflict.kind,
                    "bids": sorted(b.bid_no for b in conflict.bids),
                    "performance": conflict.record.id if conflict.record else None,
                },
            )


# --------------------------------------------------------------------------- the opening room's block


@dataclass
class BidderRow:
    organisation_id: int
    organisation: str
    bid_no: str
    manager: str
    findings: list[service.Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def is_official(actor: Principal, project: Project) -> bool:
    return visibility.is_party(actor, project) or bool(actor.roles & {Role.CENTRE_STAFF, Role.SUPERVISOR})


def room_panel(session: Session, actor: Principal, project: Project) -> hooks.RoomPanel | None:
    """Each opened bid's findings on the deadline day, and the project-manager conflicts (officials only)."""
    if not is_official(actor, project):
        return None
    bids = [b for b in bidding.sealed_bids(session, project.id) if b.decryption == "decrypted"]
    if not bids:
        return None
    day = service.deadline_day(project)
    sections = {s.id: s for s in session.scalars(select(Section).where(Section.project_id == project.id))}
    names = dict(
        session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_({b.organisation_id for b in bids}))
        ).all()
    )
    warned: dict[tuple[int, int], list[str]] = {}
    for w in service.warnings_of(session, list(sections)):
        warned.setdefault((w.section_id, w.organisation_id), []).append(w.message)
    rows: dict[int, list[BidderRow]] = {}
    for bid in bids:
        section = sections[bid.section_id]
        manager = named_manager(bid)
        rows.setdefault(section.id, []).append(
            BidderRow(
                bid.organisation_id,
                names.get(bid.organisation_id, ""),
                bid.bid_no,
                f"{manager.get('name', '')}（注册编号 {codes.mask(manager['registration_number'])}）"
                if manager
                else "未填写",
                service.assess(session, section, bid.organisation_id, on=day) if day else [],
                warned.get((section.id, bid.organisation_id), []),
            )
        )
    return hooks.RoomPanel(
        "资格审查参考：资质、人员、业绩与项目经理",
        "_qualifications_opening.html",
        {
            "day": day,
            "sections": [
                (sections[sid], found) for sid, found in sorted(rows.items(), key=lambda i: sections[i[0]].number)
            ],
            "conflicts": conflicts(session, project),
            "project_id": project.id,
        },
    )


def bid_people(session: Session, organisation_id: int) -> list[tuple[str, str, str]]:
    """The enterprise's project managers, for the bid form's 拟派项目经理 (registered with bidding)."""
    return [(m.registration_number, m.name, m.label) for m in records.managers(session, organisation_id)]
