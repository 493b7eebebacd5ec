"""What the red flags read, as plain values: for each section with opened bids, its project's type, method,
tenderer, agency and dates, its item classification, every counting bid (bidder, price, time, client address and
device hashes, whether the committee kept or rejected it) and the decided winner. Read through the trading domains'
own reading functions (``bidding.service.sealed_bids``, ``evaluation.service``, ``trading.outcomes``); the flags
themselves (``flags.py``) are pure functions of these values. ``dumps``/``loads``: the same values as the JSON the
population rules keep between ticks (``population.py``)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import service as bidding
from sunshine.bidding.models import Bid
from sunshine.evaluation import service as evaluation
from sunshine.identity.models import Organisation
from sunshine.trading import outcomes
from sunshine.trading.models import Project, Section


@dataclass(frozen=True)
class BidFact:
    bid_id: int
    bid_no: str
    organisation_id: int
    bidder: str
    price: Decimal | None
    submitted_at: datetime
    valid: bool | None = None  # None: not reviewed; False: rejected (否决/无效投标 = Cardinal "disqualified")
    client_ip: str | None = None
    device: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SectionFacts:
    project_id: int
    project_code: str
    project_name: str
    section_id: int
    section_number: int
    transaction_type: str
    method: str
    tenderer_id: int
    agency_id: int | None
    docs_issued_at: datetime | None
    bid_deadline: datetime | None
    bids: tuple[BidFact, ...]
    winner_id: int | None = None
    winner_amount: Decimal | None = None
    decided_at: datetime | None = None
    classification: str | None = None  # the section's 品目分类代码 (trading/classification.py)


def _device(bid: Bid) -> dict:
    try:
        return json.loads(bid.device_json) if bid.device_json else {}
    except ValueError:
        return {}


def _section_facts(
    session: Session, project: Project, sections: dict[int, Section], bids: list[Bid], names: dict[int, str]
) -> list[SectionFacts]:
    winners = {w.section_id: w for w in outcomes.winners(session, project)}
    out = []
    for section_id in sorted({b.section_id for b in bids}):
        row = evaluation.of_section(session, section_id)
        reviewed = {e.bid_id: e for e in evaluation.bids_of(session, row)} if row is not None else {}
        facts = []
        for bid in (b for b in bids if b.section_id == section_id):
            review = reviewed.get(bid.id)
            valid = None
            if review is not None and "rejected" in (review.qualification, review.compliance):
                valid = False
            elif review is not None and (review.qualification or review.compliance):
                valid = True
            price = bid.price if bid.price is not None else (review.price if review is not None else None)
            facts.append(
                BidFact(
                    bid_id=bid.id,
                    bid_no=bid.bid_no,
                    organisation_id=bid.organisation_id,
                    bidder=names.get(bid.organisation_id, ""),
                    price=price,
                    submitted_at=bid.submitted_at,
                    valid=valid,
                    client_ip=bid.client_ip,
                    device=_device(bid),
                )
            )
        winner = winners.get(section_id)
        section = sections[section_id]
        out.append(
            SectionFacts(
                project_id=project.id,
                project_code=project.code,
                project_name=project.name,
                section_id=section_id,
                section_number=section.number,
                transaction_type=project.transaction_type,
                method=project.method,
                tenderer_id=project.tenderer_id,
                agency_id=project.agency_id,
                docs_issued_at=project.docs_issued_at or project.public_since,
                bid_deadline=project.bid_deadline,
                bids=tuple(facts),
                winner_id=winner.organisation_id if winner else None,
                winner_amount=winner.amount if winner else None,
                decided_at=winner.decided_at if winner else None,
                classification=section.item_classification,
            )
        )
    return out


def of_project(session: Session, project: Project) -> list[SectionFacts]:
    bids = bidding.sealed_bids(session, project.id)
    if not bids:
        return []
    sections = {s.id: s for s in session.scalars(select(Section).where(Section.project_id == project.id))}
    org_ids = {b.organisation_id for b in bids}
    names = dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))).all())
    return _section_facts(session, project, sections, bids, names)


def all_sections(session: Session) -> list[SectionFacts]:
    """Every section with counting bids, across projects (the population the fences are computed over)."""
    project_ids = session.scalars(select(Bid.project_id).where(Bid.status == "sealed").distinct()).all()
    out: list[SectionFacts] = []
    for project in session.scalars(select(Project).where(Project.id.in_(project_ids)).order_by(Project.id)):
        out.extend(of_project(session, project))
    return out


# ---- kept between ticks (monitoring_section_fact) ----


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


def dumps(s: SectionFacts) -> str:
    return json.dumps(asdict(s), default=_plain, ensure_ascii=False, sort_keys=True)


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _amount(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def loads(text: str) -> SectionFacts:
    d = json.loads(text)
    bids = tuple(
        BidFact(**{**b, "price": _amount(b["price"]), "submitted_at": _when(b["submitted_at"])}) for b in d["bids"]
    )
    return SectionFacts(
        **{
            **d,
            "bids": bids,
            "docs_issued_at": _when(d["docs_issued_at"]),
            "bid_deadline": _when(d["bid_deadline"]),
            "decided_at": _when(d["decided_at"]),
            "winner_amount": _amount(d["winner_amount"]),
        }
    )
