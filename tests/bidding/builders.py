"""Builders for sealed-bid tests: a published tender with bidders registered and holding the documents,
and bids sealed exactly as a bidder's machine seals them (``sunshine.bidding.envelope``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from sunshine.bidding import envelope
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.db import Database
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.trading import registrations, visibility
from sunshine.trading.models import Section
from tests.builders import make_org
from tests.trading.builders import accepted_project, actor, publish_notice, tender_world


@dataclass
class Sealed:
    """What a bidder keeps: the sealed bytes, the key and what it put inside."""

    sealed: bytes
    key: bytes
    commitment: str
    price: Decimal
    idempotency_key: str = field(default_factory=lambda: "idem-" + secrets.token_hex(8))

    @property
    def key_text(self) -> str:
        return envelope.key_to_text(self.key)


def seal_bid(
    code: str,
    section_number: int,
    credit_code: str,
    price: str | Decimal = "4800000.00",
    *,
    duration_days: int = 365,
    documents: list[envelope.Document] | None = None,
) -> Sealed:
    key = envelope.new_key()
    form = envelope.make_form(price, duration_days, "合格", "项目经理：王工；承诺按期完工")
    documents = (
        documents if documents is not None else [envelope.Document("技术标.txt", "text/plain", "施工组织设计".encode())]
    )
    plaintext = envelope.build_package(form, documents)
    sealed = envelope.seal(plaintext, key, envelope.binding(code, section_number, credit_code))
    return Sealed(sealed, key, envelope.key_commitment(key), form.price)


def tender_with_bidders(
    db: Database, *, bidders: int = 3, deadline_days: int = 30, attachments: list | None = None
) -> SimpleNamespace:
    """An accepted engineering open tender whose notice is out (with ``attachments``, ``content.Upload``s),
    with ``bidders`` registered bidders that obtained the documents. The deadline is ``deadline_days`` from
    the test clock."""
    w = SimpleNamespace(**tender_world(db))
    firms = list(w.firms)
    people = list(w.bidders)
    for i in range(len(firms), bidders):
        org = make_org(db, name=f"第{i + 1}建设工程有限公司")
        firms.append(org)
        people.append(actor(db, Role.BIDDER, organisation_id=org))
    pid = accepted_project(db, vars(w))
    publish_notice(db, w.agency, pid, bid_deadline=clock.now() + timedelta(days=deadline_days), attachments=attachments)
    with db.unit_of_work() as s:
        project = visibility.get_visible(s, w.agency, pid)
        section = s.query(Section).filter_by(project_id=pid).one()
        code, section_id = project.code, section.id
        credit = {f: s.get(Organisation, f).credit_code for f in firms}
    for person in people[:bidders]:
        with db.unit_of_work() as s:
            reg = registrations.register_bidder(s, person, pid, section_id, "王经理", "13800138000")
            registrations.obtain_documents(s, person, reg.id)
    w.project_id, w.code, w.section_id = pid, code, section_id
    w.firms, w.bidders = firms[:bidders], people[:bidders]
    w.credit = credit
    return w


def seal_for(w: SimpleNamespace, bidder: Principal, price: str | Decimal = "4800000.00", **kwargs) -> Sealed:
    return seal_bid(w.code, 1, w.credit[bidder.organisation_id], price, **kwargs)
