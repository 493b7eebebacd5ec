"""The records an enterprise keeps about itself (资质证书、人员、业绩): add, edit, retire, attach the scanned copy,
read with their status and history. Its enterprise administrator writes; its bidders read; anyone else meets 404.

Every change appends a ledger entry filed under the organisation that names the record's kind, number and
version and the hash of what changed — never a person's name or registration number. Never commits.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.content import Upload, checked_upload
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.core.filestore import file_store
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.qualifications import codes
from sunshine.qualifications.models import Certificate, Performance, Person, RecordChange
from sunshine.qualifications.schemas import CertificateIn, PerformanceIn, PersonIn

WRITERS = frozenset({Role.ENTERPRISE_ADMIN})
READERS = frozenset({Role.ENTERPRISE_ADMIN, Role.BIDDER})
MODELS: dict[str, type[Certificate] | type[Person] | type[Performance]] = {
    "certificate": Certificate,
    "person": Person,
    "performance": Performance,
}
MAX_FILE = 20 * 1024 * 1024
SOON_DAYS = 30  # "即将到期" on the records page; the reminder's own window is the rule pack's


def _org(actor: Principal, roles: frozenset[Role]) -> int:
    """The actor's own organisation, if it holds one of ``roles``; otherwise nothing here exists for it."""
    if actor.organisation_id is None or not (actor.roles & roles):
        raise NotFound("记录不存在")
    return actor.organisation_id


def get(session: Session, actor: Principal, kind: str, record_id: int, *, write: bool = False) -> Any:
    org = _org(actor, WRITERS if write else READERS)
    model = MODELS.get(kind)
    record = session.get(model, record_id) if model is not None else None
    if record is None or record.organisation_id != org:
        raise NotFound("记录不存在")
    return record


def page(
    session: Session,
    actor: Principal,
    kind: str,
    *,
    include_retired: bool = False,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Any]:
    """An organisation's records of ``kind`` (current ones unless ``include_retired``), in the order they were
    entered, one page at a time."""
    org = _org(actor, READERS)
    model = MODELS[kind]
    stmt = select(model).where(model.organisation_id == org)
    if not include_retired:
        stmt = stmt.where(model.retired_at.is_(None))
    order = Keyset.of(f"qualification-{kind}", Key(model.id, False))
    return paginate(session, stmt, order, cursor=cursor, limit=limit)


# --------------------------------------------------------------------------- validity


def valid_until(record: Any) -> date | None:
    """The last day a record counts: a person's is the earlier of the registration and the B证."""
    if isinstance(record, Certificate):
        return record.valid_until
    if isinstance(record, Person):
        dates = [d for d in (record.registration_valid_until, record.safety_valid_until) if d is not None]
        return min(dates)
    return None


def valid_on(record: Any, on: date) -> bool:
    if isinstance(record, Certificate) and record.valid_from > on:
        return False
    until = valid_until(record)
    return until is None or on <= until


def status(record: Any, today: date | None = None) -> str:
    today = today or clock.today_local()
    if record.retired_at is not None:
        return "已注销"
    if isinstance(record, Performance):
        return "已完工" if record.accepted_on else "在建"
    until = valid_until(record)
    if until is not None and until < today:
        return "过期"
    if until is not None and until <= today + timedelta(days=SOON_DAYS):
        return "即将到期"
    return "有效"


def title(record: Any) -> str:
    if isinstance(record, Certificate):
        return f"{codes.kind_label(record.kind)}{record.grade}（{record.number}）"
    if isinstance(record, Person):
        return f"{record.name}：{codes.POSTS.get(record.post, record.post)}"
    return record.project_name


def detail(record: Any) -> str:
    if isinstance(record, Certificate):
        return f"发证机关 {record.issuer}；有效期 {record.valid_from} 至 {record.valid_until}"
    if isinstance(record, Person):
        safety = (
            f"；B证 {codes.mask(record.safety_number)} 至 {record.safety_valid_until}" if record.safety_number else ""
        )
        return (
            f"{codes.SPECIALTIES.get(record.specialty, record.specialty)}{record.grade}，注册编号 "
            f"{codes.mask(record.registration_number)}，有效期至 {record.registration_valid_until}{safety}"
        )
    accepted = f"{record.accepted_on} 竣工验收" if record.accepted_on else "在建（未竣工验收）"
    return f"建设单位 {record.client}；合同金额 {record.amount:,.2f} 元；{record.started_on} 开工，{accepted}"


# --------------------------------------------------------------------------- checks of the input


def _text(value: str | None, field: str, label: str, high: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}", field=field)
    if len(value) > high:
        raise InvalidInput(f"{label}不超过 {high} 个字符", field=field)
    return value


def _check_certificate(data: CertificateIn) -> dict[str, Any]:
    if data.kind not in codes.CERTIFICATE_KINDS:
        raise InvalidInput("请选择资质类别", field="kind")
    scale = codes.scale_of(data.kind)
    if data.grade not in scale:
        raise InvalidInput(f"{codes.kind_label(data.kind)}的等级应为 {'、'.join(scale)} 之一", field="grade")
    if data.valid_until < data.valid_from:
        raise InvalidInput("有效期截止日期不能早于起始日期", field="valid_until")
    return {
        "kind": data.kind,
        "grade": data.grade,
        "number": _text(data.number, "number", "证书编号", 60),
        "issuer": _text(data.issuer, "issuer", "发证机关", 200),
        "valid_from": data.valid_from,
        "valid_until": data.valid_until,
        "scope": _text(data.scope, "scope", "资质范围", 2000, required=False),
    }


def _check_person(data: PersonIn) -> dict[str, Any]:
    if data.post not in codes.POSTS:
        raise InvalidInput("请选择岗位", field="post")
    if data.specialty not in codes.SPECIALTIES:
        raise InvalidInput("请选择注册专业", field="specialty")
    if data.grade not in codes.REGISTERED:
        raise InvalidInput("注册等级应为一级或二级", field="grade")
    number = _text(data.safety_number, "safety_number", "B证编号", 60, required=False) or None
    if (number is None) != (data.safety_valid_until is None):
        raise InvalidInput("安全生产考核合格证（B证）的编号和有效期须同时填写", field="safety_valid_until")
    return {
        "name": _text(data.name, "name", "姓名", 50),
        "post": data.post,
        "registration_number": _text(data.registration_number, "registration_number", "注册编号", 40),
        "specialty": data.specialty,
        "grade": data.grade,
        "registration_valid_until": data.registration_valid_until,
        "safety_number": number,
        "safety_valid_until": data.safety_valid_until,
    }


def _check_performance(session: Session, org: int, data: PerformanceIn) -> dict[str, Any]:
    if data.specialty not in codes.SPECIALTIES:
        raise InvalidInput("请选择工程类别", field="specialty")
    for later, label in ((data.ended_on, "竣工日期"), (data.accepted_on, "竣工验收日期")):
        if later is not None and later < data.started_on:
            raise InvalidInput(f"{label}不能早于开工日期", field="accepted_on" if label != "竣工日期" else "ended_on")
    if data.accepted_on is not None and data.accepted_on > clock.today_local():
        raise InvalidInput("竣工验收日期不能晚于今天", field="accepted_on")
    if data.manager_id is not None:
        manager = session.get(Person, data.manager_id)
        if manager is None or manager.organisation_id != org:
            raise InvalidInput("项目经理应为本单位登记的人员", field="manager_id")
    elif data.accepted_on is None:
        raise InvalidInput("在建项目须写明项目经理", field="manager_id")
    return {
        "project_name": _text(data.project_name, "project_name", "项目名称", 300),
        "client": _text(data.client, "client", "建设单位", 200),
        "specialty": data.specialty,
        "amount": Decimal(data.amount).quantize(Decimal("0.01")),
        "started_on": data.started_on,
        "ended_on": data.ended_on,
        "accepted_on": data.accepted_on,
        "manager_id": data.manager_id,
    }


def _fields(session: Session, org: int, kind: str, data: Any) -> dict[str, Any]:
    if kind == "certificate":
        return _check_certificate(data)
    if kind == "person":
        return _check_person(data)
    return _check_performance(session, org, data)


# --------------------------------------------------------------------------- writing


def _snapshot(record: Any) -> str:
    columns = {c.key: getattr(record, c.key) for c in record.__table__.columns}
    return json.dumps(columns, ensure_ascii=False, default=str, sort_keys=True)


def _changed(session: Session, actor: Principal, kind: str, record: Any, action: str) -> None:
    session.flush()
    snapshot = _snapshot(record)
    session.add(
        RecordChange(
            organisation_id=record.organisation_id,
            record_kind=kind,
            record_id=record.id,
            version=record.version,
            action=action,
            snapshot=snapshot,
            by_user=actor.user_id,
            at=clock.now(),
        )
    )
    # no names, no numbers: what changed is kept by its hash; the snapshot itself stays with the enterprise
    ledger.append(
        session,
        f"qualifications:{kind}:{action}",
        f"organisation:{record.organisation_id}",
        {kind: record.id, "version": record.version, "sha256": hashlib.sha256(snapshot.encode()).hexdigest()},
    )


def add(session: Session, actor: Principal, kind: str, data: Any) -> Any:
    org = _org(actor, WRITERS)
    record = MODELS[kind](organisation_id=org, version=1, updated_at=clock.now(), **_fields(session, org, kind, data))
    session.add(record)
    _changed(session, actor, kind, record, "added")
    return record


def edit(session: Session, actor: Principal, kind: str, record_id: int, data: Any) -> Any:
    record = get(session, actor, kind, record_id, write=True)
    if record.retired_at is not None:
        raise Conflict("该记录已注销，不能修改")
    for name, value in _fields(session, record.organisation_id, kind, data).items():
        setattr(record, name, value)
    record.version += 1
    record.updated_at = clock.now()
    _changed(session, actor, kind, record, "edited")
    return record


def retire(session: Session, actor: Principal, kind: str, record_id: int) -> Any:
    record = get(session, actor, kind, record_id, write=True)
    if record.retired_at is not None:
        raise Conflict("该记录已注销")
    record.retired_at = record.updated_at = clock.now()
    record.version += 1
    _changed(session, actor, kind, record, "retired")
    return record


def attach(session: Session, actor: Principal, kind: str, record_id: int, upload: Upload) -> Any:
    """The scanned certificate or the acceptance proof, into the file store by its SHA-256."""
    if kind == "person":
        raise NotFound("记录不存在")
    record = get(session, actor, kind, record_id, write=True)
    if record.retired_at is not None:
        raise Conflict("该记录已注销，不能上传")
    name, _type, data = checked_upload(upload, MAX_FILE)
    digest = file_store().put(data)
    if kind == "certificate":
        record.file_sha256, record.file_name = digest, name
    else:
        record.proof_sha256, record.proof_name = digest, name
    record.version += 1
    record.updated_at = clock.now()
    _changed(session, actor, kind, record, "edited")
    return record


def history(session: Session, actor: Principal, kind: str, record_id: int) -> list[RecordChange]:
    record = get(session, actor, kind, record_id)
    stmt = select(RecordChange).where(RecordChange.record_kind == kind, RecordChange.record_id == record.id)
    return list(session.scalars(stmt.order_by(RecordChange.id)))


def file_of(session: Session, actor: Principal, kind: str, record_id: int) -> tuple[str, bytes]:
    record = get(session, actor, kind, record_id)
    digest, name = (
        (record.file_sha256, record.file_name)
        if kind == "certificate"
        else (getattr(record, "proof_sha256", None), getattr(record, "proof_name", None))
    )
    if not digest:
        raise NotFound("尚未上传文件")
    return name or "file", file_store().open(digest)


@dataclass(frozen=True)
class Manager:
    """A project manager an enterprise may name in its bid."""

    id: int
    registration_number: str
    name: str
    label: str

    @property
    def option(self) -> tuple[str, str]:
        return (str(self.id), self.label)


def managers(session: Session, organisation_id: int) -> list[Manager]:
    stmt = select(Person).where(
        Person.organisation_id == organisation_id, Person.post == "project_manager", Person.retired_at.is_(None)
    )
    return [
        Manager(p.id, p.registration_number, p.name, f"{p.name}（{codes.SPECIALTIES.get(p.specialty, '')}{p.grade}）")
        for p in session.scalars(stmt.order_by(Person.id))
    ]


def of_candidate(session: Session, organisation_id: int) -> dict[str, list[Any]]:
    """A candidate's current records (certificates, key personnel, past performance) for the officials re-checking
    it before the award (seed 001 中标候选人资格审查); the caller decides who may read them (``results.visibility``)."""
    out: dict[str, list[Any]] = {}
    for kind, model in MODELS.items():
        stmt = select(model).where(model.organisation_id == organisation_id, model.retired_at.is_(None))
        out[kind] = list(session.scalars(stmt.order_by(model.id)))
    return out
