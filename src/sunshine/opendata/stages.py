"""The stages that become OCDS releases, as a registry: each stage reads a project's public facts
(``opendata.facts``) and gives the releases of that stage that exist — none before its publication is public.

| stage | when it exists | tag |
|---|---|---|
| tender | the first notice (招标/采购/挂牌/拍卖/抽取公告) | tender |
| amendment | each 更正公告 / 开标时间变更公告 | tenderAmendment |
| clarification | each 澄清公告 | tenderUpdate |
| bids | the opening record (开标记录) once published: bid statistics and the bids (bids extension) | tenderUpdate |
| award | the result notice (中标/成交结果公告) once public: each section's winner | award |
| contract | the contract announcement (合同公告) once public: each signed contract | contract |
| cancellation | 流标 or 终止 (and the 终止公告) | tenderCancellation |
| implementation | the 履约验收结果公告 once public: each contract's payment milestones, the payments made by then
(transactions) and the acceptance | implementation |
| payment | each payment recorded after that publication | implementationUpdate |
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from sunshine.opendata import ocds
from sunshine.opendata.facts import Facts
from sunshine.trading import classification
from sunshine.trading.labels import method_label, type_label
from sunshine.trading.notice_kinds import AMENDMENT_KINDS, FIRST_KINDS, KIND_LABELS


@dataclass(frozen=True)
class Release:
    """One release as a stage built it, before it is stored."""

    release_id: str
    stage: str
    tag: str
    date: datetime
    ledger_seq: int | None
    data: dict[str, Any]


@dataclass(frozen=True)
class Stage:
    name: str
    title: str  # in people's words, for the 数据开放 page
    tag: str
    build: Callable[[Facts], list[Release]]


STAGES: list[Stage] = []


def register(stage: Stage) -> Stage:
    """Add a stage (idempotent by name)."""
    if all(s.name != stage.name for s in STAGES):
        STAGES.append(stage)
    return stage


def releases_of(facts: Facts) -> list[Release]:
    """Every release that exists for the project, oldest first."""
    out = [r for stage in STAGES for r in stage.build(facts)]
    return sorted(out, key=lambda r: (r.date, r.release_id))


# --------------------------------------------------------------------------- what every release carries


def _ledger(seq: int | None) -> dict[str, Any] | None:
    if seq is None:
        return None
    return {"seq": seq, "uri": f"{ocds.site()}/api/v1/ledger/entries/{seq}"}


def _release(f: Facts, stage: str, key: str, tag: str, date: datetime, seq: int | None) -> dict[str, Any]:
    p = f.project
    ocid = ocds.ocid_of(p.code)
    doc: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{stage}-{key}",
        "date": ocds.iso(date),
        "tag": [tag],
        "initiationType": "tender",
        "language": ocds.LANGUAGE,
        "parties": _parties(f),
        "publicResourceTrading": {
            "transactionCode": p.code,
            "transactionType": p.transaction_type,
            "transactionTypeName": type_label(p.transaction_type),
            "methodName": method_label(p.method),
            "rulePack": p.pack_key,
            "rulePackVersion": p.pack_version,
            "regionCode": p.region_code,
            "projectPage": f"{ocds.site()}/projects/{p.id}",
        },
    }
    ledger = _ledger(seq)
    if ledger:
        doc["publicResourceTrading"]["ledgerEntry"] = ledger
    if ocds.BUYER_ROLES.get(p.transaction_type) and p.tenderer_id in f.orgs:
        doc["buyer"] = ocds.ref(f.orgs[p.tenderer_id])
    return doc


def _parties(f: Facts) -> list[dict[str, Any]]:
    p = f.project
    out = []
    if p.tenderer_id in f.orgs:
        role = ocds.BUYER_ROLES.get(p.transaction_type)
        out.append(ocds.party(f.orgs[p.tenderer_id], [role or ocds.SELLER_ROLE]))
    if p.agency_id and p.agency_id in f.orgs:
        out.append(ocds.party(f.orgs[p.agency_id], ["procuringEntity"]))
    return out


def _procuring(f: Facts) -> dict[str, str] | None:
    p = f.project
    org = f.orgs.get(p.agency_id or p.tenderer_id)
    return ocds.ref(org) if org else None


def _notice_document(n: Any, document_type: str) -> dict[str, Any]:
    return {
        "id": f"notice-{n.id}",
        "documentType": document_type,
        "title": n.title,
        "description": KIND_LABELS.get(n.kind, n.kind),
        "url": f"{ocds.site()}/notices/{n.id}",
        "datePublished": ocds.iso(n.published_at),
        "format": "text/html",
        "language": ocds.LANGUAGE,
    }


def _add_supplier(doc: dict[str, Any], org: Any) -> None:
    party = ocds.party(org, ["supplier"])
    for existing in doc["parties"]:
        if existing["id"] == party["id"]:
            existing["roles"] = sorted({*existing["roles"], "supplier"})
            return
    doc["parties"].append(party)


# --------------------------------------------------------------------------- the stages


def _first_notice(f: Facts) -> Any:
    kinds = FIRST_KINDS.get(f.project.lifecycle, ())
    return next((n for n in f.notices if n.series_id is None and n.kind in kinds), None) or next(
        (n for n in f.notices if n.series_id is None and n.kind not in (*AMENDMENT_KINDS, "termination")), None
    )


def _item(section: Any) -> dict[str, Any]:
    """What a section buys, as an OCDS item of its lot, classified by the centre's item catalogue."""
    cat = classification.catalogue()
    scheme = {"scheme": cat.scheme, "id": section.item_classification}
    if name := cat.name_of(section.item_classification):
        scheme["description"] = name
    return {
        "id": str(section.number),
        "description": section.name,
        "classification": scheme,
        "relatedLot": str(section.number),
    }


def _tender(f: Facts) -> list[Release]:
    notice = _first_notice(f)
    if notice is None:
        return []
    p = f.project
    doc = _release(f, "tender", f"notice{notice.id}", "tender", notice.published_at, notice.ledger_seq)
    tender: dict[str, Any] = {
        "id": p.code,
        "title": p.name,
        "status": "active",
        "value": ocds.money(p.budget),
        "procurementMethod": ocds.METHODS.get(p.method, "open"),
        "procurementMethodDetails": method_label(p.method),
        "documents": [_notice_document(notice, "tenderNotice")],
        "lots": [
            {"id": str(s.number), "title": s.name, "value": ocds.money(s.estimate), "status": "active"}
            for s in f.sections
        ],
    }
    if items := [_item(s) for s in f.sections if s.item_classification]:
        tender["items"] = items
    if p.description:
        tender["description"] = p.description
    if p.evaluation_method:
        tender["awardCriteriaDetails"] = p.evaluation_method
    if ocds.CATEGORIES.get(p.transaction_type):
        tender["mainProcurementCategory"] = ocds.CATEGORIES[p.transaction_type]
    if (procuring := _procuring(f)) is not None:
        tender["procuringEntity"] = procuring
    period = {}
    if p.docs_issued_at or p.public_since:
        period["startDate"] = ocds.iso(p.docs_issued_at or p.public_since)
    if p.bid_deadline:
        period["endDate"] = ocds.iso(p.bid_deadline)
    if period:
        tender["tenderPeriod"] = period
    if p.docs_issued_at and p.docs_sale_end:
        tender["enquiryPeriod"] = {"startDate": ocds.iso(p.docs_issued_at), "endDate": ocds.iso(p.docs_sale_end)}
    if p.opening_at:
        tender["awardPeriod"] = {"startDate": ocds.iso(p.opening_at)}
    doc["tender"] = tender
    return [Release(doc["id"], "tender", "tender", notice.published_at, notice.ledger_seq, doc)]


def _changes(f: Facts, kinds: tuple[str, ...], stage: str, tag: str) -> list[Release]:
    first = _first_notice(f)
    if first is None:
        return []
    out = []
    for n in f.notices:
        if n.kind not in kinds or n.id == first.id:
            continue
        doc = _release(f, stage, f"notice{n.id}", tag, n.published_at, n.ledger_seq)
        tender: dict[str, Any] = {"id": f.project.code, "documents": [_notice_document(n, "clarifications")]}
        if tag == "tenderAmendment":
            tender["amendments"] = [
                {
                    "id": f"notice-{n.id}",
                    "date": ocds.iso(n.published_at),
                    "rationale": n.title,
                    "description": KIND_LABELS.get(n.kind, n.kind),
                }
            ]
            tender["documents"][0]["documentType"] = "tenderNotice"
        if n.new_bid_deadline:
            tender["tenderPeriod"] = {"endDate": ocds.iso(n.new_bid_deadline)}
        if n.new_opening_at:
            tender["awardPeriod"] = {"startDate": ocds.iso(n.new_opening_at)}
        doc["tender"] = tender
        out.append(Release(doc["id"], stage, tag, n.published_at, n.ledger_seq, doc))
    return out


def _amendments(f: Facts) -> list[Release]:
    return _changes(f, ("amendment", "opening_change"), "amendment", "tenderAmendment")


def _clarifications(f: Facts) -> list[Release]:
    return _changes(f, ("clarification",), "clarification", "tenderUpdate")


BID_STATUS = {"decrypted": "pending", "failed": "withdrawn", "expired": "withdrawn"}


def _bids(f: Facts) -> list[Release]:
    """After the opening, what its published record shows: each bid's bidder, time and price (开标记录 is public,
    《招标投标法》第三十六条), and the counts per section. A bid not decrypted in time is deemed withdrawn
    (《电子招标投标办法》第三十一条)."""
    if f.opening is None or f.opening_record is None:
        return []
    pub = f.publication(f"opening:{f.opening.id}")
    date = pub.published_at if pub and pub.published_at else f.opening.published_at or f.opening.started_at
    doc = _release(f, "bids", f"opening{f.opening.id}", "tenderUpdate", date, f.opening.record_ledger_seq)
    statistics, details = [], []
    for section in f.opening_record.get("sections", []):
        lot = str(section["number"])
        bids = section.get("bids", [])
        statistics.append({"id": f"{lot}-bids", "measure": "bids", "value": len(bids), "relatedLot": lot})
        statistics.append(
            {"id": f"{lot}-bidders", "measure": "bidders", "value": len({b["bidder"] for b in bids}), "relatedLot": lot}
        )
        statistics.append(
            {"id": f"{lot}-electronicBids", "measure": "electronicBids", "value": len(bids), "relatedLot": lot}
        )
        for b in bids:
            detail: dict[str, Any] = {
                "id": b["bid_no"],
                "date": b["submitted_at"],
                "status": BID_STATUS.get(b.get("decryption") or "", "withdrawn"),
                "tenderers": [{"name": b["bidder"]}],
                "relatedLots": [lot],
            }
            if b.get("price") not in (None, ""):
                detail["value"] = ocds.money(b["price"])
            details.append(detail)
    doc["tender"] = {"id": f.project.code, "numberOfTenderers": len({d["tenderers"][0]["name"] for d in details})}
    doc["bids"] = {"statistics": statistics, "details": details}
    return [Release(doc["id"], "bids", "tenderUpdate", date, f.opening.record_ledger_seq, doc)]


def _result_transition(f: Facts) -> Any:
    return next((t for t in f.transitions if t.to_state == "result_published"), None)


def _award(f: Facts) -> list[Release]:
    if not f.winners:
        return []
    pub = f.publication("results:notice:", "smallworks:", "auction:")
    step = _result_transition(f)
    date = pub.published_at if pub and pub.published_at else step.at
    seq = step.ledger_seq if step else None
    doc = _release(f, "award", "result", "award", date, seq)
    awards = []
    for w in f.winners:
        org = f.orgs.get(w.organisation_id)
        if org is None:
            continue
        _add_supplier(doc, org)
        lot = str(f.section_number(w.section_id))
        awards.append(
            {
                "id": f"{f.project.code}-{lot}",
                "title": f"第{lot}标段（包）",
                "description": w.source,
                "status": "active",
                "date": ocds.iso(w.decided_at),
                "value": ocds.money(w.amount),
                "suppliers": [ocds.ref(org)],
                "relatedLots": [lot],
                **_award_items(f, w.section_id),
            }
        )
    doc["awards"] = awards
    if len(f.winners) == len(f.sections):
        doc["tender"] = {"id": f.project.code, "status": "complete"}
    return [Release(doc["id"], "award", "award", date, seq, doc)]


def _award_items(f: Facts, section_id: int) -> dict[str, Any]:
    section = next((s for s in f.sections if s.id == section_id), None)
    return {"items": [_item(section)]} if section is not None and section.item_classification else {}


def _contract(f: Facts) -> list[Release]:
    if not f.contracts:
        return []
    pub = f.publication("contracts:")
    date = pub.published_at if pub and pub.published_at else max(c.winner_signed_at for c in f.contracts)
    seq = f.contracts[0].ledger_seq
    doc = _release(f, "contract", "signed", "contract", date, seq)
    contracts = []
    for c in f.contracts:
        lot = str(f.section_number(c.section_id))
        if (org := f.orgs.get(c.winner_id)) is not None:
            _add_supplier(doc, org)
        signed = max(c.tenderer_signed_at, c.winner_signed_at)
        contracts.append(
            {
                "id": c.number,
                "awardID": f"{f.project.code}-{lot}",
                "title": f"{c.title}（{c.subject}）",
                "status": "active",
                "value": ocds.money(c.amount),
                "dateSigned": ocds.iso(signed),
                "description": f"履行期限：{c.term}；付款方式：{c.payment}",
                "documents": [
                    {
                        "id": f"contract-{c.id}",
                        "documentType": "contractSigned",
                        "title": c.title,
                        "url": f"{ocds.site()}/projects/{f.project.id}",
                        "datePublished": ocds.iso(date),
                        "language": ocds.LANGUAGE,
                    }
                ],
            }
        )
    doc["contracts"] = contracts
    return [Release(doc["id"], "contract", "contract", date, seq, doc)]


def _cancellation(f: Facts) -> list[Release]:
    step = next((t for t in f.transitions if t.to_state in ("failed", "terminated")), None)
    if step is None:
        return []
    notice = next((n for n in f.notices if n.kind == "termination"), None)
    doc = _release(f, "cancellation", f"step{step.id}", "tenderCancellation", step.at, step.ledger_seq)
    failed = step.to_state == "failed"
    tender: dict[str, Any] = {
        "id": f.project.code,
        "status": "unsuccessful" if failed else "cancelled",
        "statusDetails": ("流标" if failed else "已终止") + (f"：{step.reason}" if step.reason else ""),
    }
    if notice is not None:
        tender["documents"] = [_notice_document(notice, "tenderNotice")]
    doc["tender"] = tender
    return [Release(doc["id"], "cancellation", "tenderCancellation", step.at, step.ledger_seq, doc)]


BEIJING = timezone(timedelta(hours=8))


def _day(value: date) -> str:
    """A calendar date (Beijing) as an OCDS date-time: that day's midnight in Beijing."""
    return ocds.iso(datetime.combine(value, time(0), tzinfo=BEIJING))


def _milestones(f: Facts, done: Any, until: datetime) -> list[dict[str, Any]]:
    """The contract's payment milestones as they stood at ``until``: met once fully paid by payments recorded then."""
    out = []
    for m in done.milestones:
        paid = [p for p in done.payments if p.milestone_id == m.id and _utc(p.recorded_at) <= until]
        total = sum((p.amount for p in paid), Decimal(0))
        status = "met" if total >= m.amount else "partiallyMet" if total > 0 else "scheduled"
        row: dict[str, Any] = {
            "id": f"milestone-{m.id}",
            "title": m.title,
            "type": "payment",
            "description": f"第{m.seq}期，计划支付人民币{m.amount:,.2f}元，已支付人民币{total:,.2f}元",
            "dueDate": _day(m.planned_on),
            "status": status,
            "dateModified": ocds.iso(until),
        }
        if status == "met":
            row["dateMet"] = _day(max(p.paid_on for p in paid))
        out.append(row)
    return out


def _transaction(f: Facts, contract: Any, payment: Any) -> dict[str, Any]:
    """A payment of the tenderer (purchaser) to the winner; the bank's serial number is not published."""
    row: dict[str, Any] = {
        "id": f"payment-{payment.id}",
        "date": _day(payment.paid_on),
        "value": ocds.money(payment.amount),
    }
    if (payer := f.orgs.get(f.project.tenderer_id)) is not None:
        row["payer"] = ocds.ref(payer)
    if (payee := f.orgs.get(contract.winner_id)) is not None:
        row["payee"] = ocds.ref(payee)
    return row


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _accepted_at(f: Facts) -> tuple[Any, datetime] | None:
    """The acceptance's public result notice and when it became public, once there is one."""
    pub = f.publication("acceptance:")
    if pub is None or pub.published_at is None or not f.implementation:
        return None
    return pub, _utc(pub.published_at)


def _implementation(f: Facts) -> list[Release]:
    """At the acceptance's result notice: each contract's payment schedule, the payments made by then and the
    acceptance (验收时间、方式、结论, ZC.JG.03)."""
    if (found := _accepted_at(f)) is None:
        return []
    pub, at = found
    step = next((t for t in f.transitions if t.to_state == "performance_accepted"), None)
    seq = step.ledger_seq if step else None
    doc = _release(f, "implementation", "accepted", "implementation", at, seq)
    contracts = []
    for c in f.contracts:
        if (done := f.implementation.get(c.id)) is None:
            continue
        accepted = done.accepted
        implementation = {
            "transactions": [_transaction(f, c, p) for p in done.payments if _utc(p.recorded_at) <= at],
            "milestones": _milestones(f, done, at),
            "documents": [
                {
                    "id": f"acceptance-{accepted.id}",
                    "documentType": "completionCertificate",
                    "title": f"{c.title}履约验收结果（验收书）",
                    "description": f"验收时间：{accepted.accepted_on}；验收方式：{accepted.method}；验收结论：合格",
                    "url": f"{ocds.site()}/disclosure/publications/{pub.id}",
                    "datePublished": ocds.iso(at),
                    "format": "text/html",
                    "language": ocds.LANGUAGE,
                }
            ],
        }
        contracts.append({"id": c.number, "awardID": _award_id(f, c), "implementation": implementation})
    if not contracts:
        return []
    doc["contracts"] = contracts
    return [Release(doc["id"], "implementation", "implementation", at, seq, doc)]


def _payments(f: Facts) -> list[Release]:
    """Each payment recorded after the acceptance's result notice: an ``implementationUpdate`` with the payment and
    its milestone as it then stood."""
    if (found := _accepted_at(f)) is None:
        return []
    _, at = found
    out = []
    for c in f.contracts:
        if (done := f.implementation.get(c.id)) is None:
            continue
        for p in done.payments:
            if (when := _utc(p.recorded_at)) <= at:
                continue
            doc = _release(f, "payment", f"payment{p.id}", "implementationUpdate", when, None)
            milestones = [m for m in _milestones(f, done, when) if m["id"] == f"milestone-{p.milestone_id}"]
            doc["contracts"] = [
                {
                    "id": c.number,
                    "awardID": _award_id(f, c),
                    "implementation": {"transactions": [_transaction(f, c, p)], "milestones": milestones},
                }
            ]
            out.append(Release(doc["id"], "payment", "implementationUpdate", when, None, doc))
    return out


def _award_id(f: Facts, c: Any) -> str:
    return f"{f.project.code}-{f.section_number(c.section_id)}"


register(Stage("tender", "招标（采购、出让）公告", "tender", _tender))
register(Stage("amendment", "更正公告、开标时间变更", "tenderAmendment", _amendments))
register(Stage("clarification", "澄清公告", "tenderUpdate", _clarifications))
register(Stage("bids", "开标记录（投标统计与投标明细）", "tenderUpdate", _bids))
register(Stage("award", "中标（成交）结果公告", "award", _award))
register(Stage("contract", "合同公告", "contract", _contract))
register(Stage("cancellation", "流标、终止", "tenderCancellation", _cancellation))
register(Stage("implementation", "履约验收结果公告（付款计划、付款与验收）", "implementation", _implementation))
register(Stage("payment", "验收后的付款", "implementationUpdate", _payments))
