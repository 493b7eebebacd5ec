"""Demo sealed bidding: a tender open for bids now (the demo bidder registered with the documents, so a
browser can seal and submit), an opening under way now (its deadline ten minutes before the demo was
loaded, so the one-hour decryption window is still running: three sealed bids, two decrypted, the demo
bidder's pending) and a finished opening with its published record.

Every bid is sealed with ``sunshine.bidding.envelope`` exactly as a bidder's machine seals it and submitted
through ``bidding.service.submit``; the opening goes through ``bidding.opening`` on a clock walked over the
last weeks. The keys of these bids are written to ``<data_dir>/demo-bid-keys.json`` so that the demo can be
played through (reveal the demo bidder's key in the opening room). That file exists for the DEMO ONLY: in
real life only the bidder holds its key, and the platform never sees it before the opening.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import envelope, opening, opening_confirmation
from sunshine.bidding import service as bidding
from sunshine.complaints import objections
from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo import qualifications
from sunshine.demo import signing as demo_signing
from sunshine.demo.base import DemoProject, org_ids, principal, register_project
from sunshine.identity.models import Organisation
from sunshine.trading import deposits, notices, registrations, visibility
from sunshine.trading import service as trading
from sunshine.trading.models import Project

KEYS_FILE = "demo-bid-keys.json"
KEYS_NOTE = (
    "仅供演示：示范数据中各投标人的解密密钥。现实中密钥只由投标人自己保管，平台在开标前从不接触密钥。"
    "DEMO ONLY: in real life only the bidder holds its key."
)
BIDDERS = ("bidder", "bidder2", "bidder3")
PHONES = {"bidder": "13905910001", "bidder2": "13805910002", "bidder3": "13705910003"}


@dataclass(frozen=True)
class DemoBid:
    username: str
    price: str
    duration_days: int
    commitments: str


@dataclass(frozen=True)
class DemoTender:
    project: DemoProject
    stage: str  # open | opening | opened
    bids: tuple[DemoBid, ...]


TENDERS: tuple[DemoTender, ...] = (
    DemoTender(
        DemoProject(
            "engineering.open_tender",
            "示范市闽江大道（福新路—鹤林路）人行道及慢行系统改造工程",
            "transport",
            "8650000.00",
            (("人行道及慢行系统改造施工", "8650000.00"),),
            "open",
        ),
        "open",
        (
            DemoBid("bidder2", "8390000.00", 210, "项目经理：许工（一级建造师，市政公用工程）；夜间施工降噪措施"),
            DemoBid("bidder3", "8452000.00", 200, "项目经理：陈工（一级建造师）；分段施工，保障行人通行"),
        ),
    ),
    DemoTender(
        DemoProject(
            "engineering.open_tender",
            "示范水务集团二次供水设施提升改造工程",
            "water",
            "5280000.00",
            (("二次供水泵房及管网改造施工", "5280000.00"),),
            "open",
            funding="企业自有资金",
        ),
        "opening",
        (
            DemoBid("bidder", "5136800.00", 150, "项目经理：何工（一级建造师，市政公用工程）；不停水切换施工方案"),
            DemoBid("bidder2", "5098000.00", 160, "项目经理：许工（一级建造师）；质保期三年"),
            DemoBid("bidder3", "5175500.00", 140, "项目经理：陈工（一级建造师）；承诺提前10天完工"),
        ),
    ),
    DemoTender(
        DemoProject(
            "engineering.open_tender",
            "示范市第一中学田径场及风雨操场改造工程",
            "school",
            "3960000.00",
            (("田径场及风雨操场改造施工", "3960000.00"),),
            "open",
        ),
        "opened",
        (
            DemoBid("bidder", "3862000.00", 120, "项目经理：何工（二级建造师）；暑期完成主体施工，不影响教学"),
            DemoBid("bidder2", "3815600.00", 130, "项目经理：许工（二级建造师）；塑胶面层环保检测报告随竣工资料提交"),
            DemoBid("bidder3", "3889000.00", 115, "项目经理：陈工（二级建造师）；质保期两年"),
        ),
    ),
)


def _documents(demo: DemoTender, bid: DemoBid) -> list[envelope.Document]:
    return [
        envelope.Document(
            "技术标-施工组织设计.txt",
            "text/plain",
            f"{demo.project.name}\n施工组织设计：工期 {bid.duration_days} 日历天。\n{bid.commitments}\n".encode(),
        ),
        envelope.Document(
            "商务标-已标价工程量清单.csv",
            "text/csv",
            f"序号,项目,金额（元）\n1,合计,{bid.price}\n".encode(),
        ),
    ]


def _at(moment: datetime, hour: int = 9, minute: int = 30) -> datetime:
    """That day at hour:minute, Beijing time (notices fix deadlines at office hours)."""
    local = moment.astimezone(get_settings().tz)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _publish(session: Session, agency: Principal, project: Project, deadline: datetime) -> None:
    for section in project.sections:
        if deposits.maximum_amount(project, section) is not None:
            deposits.set_section_deposit(
                session, agency, project.id, section.id, (section.estimate * Decimal("0.01")).quantize(Decimal("0.01"))
            )
    now = clock.now()
    notices.publish_first_notice(
        session,
        agency,
        project.id,
        kind="tender",
        title=f"{project.name}招标公告",
        body_html=(
            f"<h2>{project.name}</h2><p>统一交易标识码：{project.code}</p>"
            "<p>一、招标条件与项目概况：详见招标文件。</p><p>二、投标人资格要求：见标段资格条件。</p>"
            "<p>三、招标文件获取：在本平台报名后在线获取。</p>"
            "<p>四、投标文件递交：本项目实行全流程电子化，投标文件须在本平台加密递交，不见面开标，"
            "投标人须在开标后1小时内在线解密。</p>"
            "<p>五、监督部门及电话：示范市住房和城乡建设局 0591-87110000。</p>"
        ),
        bid_deadline=deadline,
        docs_issued_at=now,
        docs_sale_end=now + timedelta(days=8),
    )


def _register_bidders(session: Session, people: dict[str, Principal], project: Project) -> None:
    for i, username in enumerate(BIDDERS):
        bidder = people[username]
        for section in project.sections:
            reg = registrations.register_bidder(
                session, bidder, project.id, section.id, bidder.display_name[-2:], PHONES[username]
            )
            registrations.obtain_documents(session, bidder, reg.id)
            if section.deposit_amount is None:
                continue
            method = "transfer" if i % 2 == 0 else "guarantee"
            deposit = deposits.open_deposit(session, bidder, reg.id, method)
            if method == "transfer":
                deposits.confirm_transfer(session, people["centre"], deposit.id, section.deposit_amount)
            else:
                deposits.submit_guarantee(
                    session, bidder, deposit.id, f"BH{project.code[-8:]}{section.number:02d}", "示范市融资担保有限公司"
                )


def _seal_and_submit(
    session: Session, bidder: Principal, project: Project, credit_code: str, demo: DemoTender, bid: DemoBid
) -> dict:
    """What a bidder's machine does (envelope), then the submission (service): returns what the bidder keeps."""
    section = project.sections[0]
    key = envelope.new_key()
    manager = qualifications.manager_of(session, bidder.organisation_id)
    form = envelope.make_form(bid.price, bid.duration_days, "合格", bid.commitments, manager)
    plaintext = envelope.build_package(form, _documents(demo, bid))
    aad = envelope.binding(project.code, section.number, credit_code)
    sealed = envelope.seal(plaintext, key, aad)
    # signed by the bidder's signer where it has a demo signing key (demo/signing.py)
    signed = demo_signing.sign_bid(
        session, bidder.organisation_id, envelope.signed_message(sealed, aad, envelope.key_commitment(key))
    )
    submitted = bidding.submit(
        session,
        bidder,
        section.id,
        sealed,
        key_commitment=envelope.key_commitment(key),
        idempotency_key=f"demo-{project.code}-{bid.username}",
        signing_key_id=signed[0] if signed else None,
        signature=signed[1] if signed else None,
    )
    return {
        "username": bid.username,
        "bidder": bidder.display_name,
        "credit_code": credit_code,
        "section_number": section.number,
        "bid_no": submitted.bid.bid_no,
        "key": envelope.key_to_text(key),
        "key_commitment": envelope.key_commitment(key),
        "price": f"{form.price:.2f}",
        "decrypted": False,
    }


def _write_keys(data_dir: Path, entries: list[dict]) -> None:
    path = data_dir / KEYS_FILE
    doc = {"note": KEYS_NOTE, "projects": []}
    if path.exists():
        with contextlib.suppress(OSError, ValueError):  # an unreadable file is rewritten
            doc = json.loads(path.read_text(encoding="utf-8"))
    kept = {p["project_code"]: p for p in doc.get("projects", [])}
    for entry in entries:
        kept[entry["project_code"]] = entry
    doc = {"note": KEYS_NOTE, "projects": list(kept.values())}
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


def load_demo_bidding(session_factory, real_now: datetime, data_dir: Path | None = None) -> int:
    """Create the demo tenders that are not there yet. Returns how many were made."""
    with session_factory() as session:
        names = [t.project.name for t in TENDERS]
        existing = set(session.scalars(select(Project.name).where(Project.name.in_(names))))
        todo = [t for t in TENDERS if t.project.name not in existing]
        if not todo:
            return 0
        people = {name: principal(session, name) for name in ("agency", "centre", "supervisor", *BIDDERS)}
        orgs = org_ids(session)
        credit = {o.id: o.credit_code for o in session.scalars(select(Organisation))}

    walk = AdjustableClock(real_now)
    keys: list[dict] = []
    with use_clock(walk):
        for demo in todo:
            keys.append(_make(session_factory, walk, real_now, demo, people, orgs, credit))
    _write_keys(data_dir or get_settings().data_dir, keys)
    return len(todo)


def _make(
    session_factory,
    walk: AdjustableClock,
    real_now: datetime,
    demo: DemoTender,
    people: dict[str, Principal],
    orgs: dict[str, int],
    credit: dict[int, str],
) -> dict:
    if demo.stage == "open":  # bids taken until about three weeks from now
        walk.set(_at(real_now - timedelta(days=6), 9, 10))
        deadline = _at(real_now + timedelta(days=20))
    elif demo.stage == "opening":  # the deadline ten minutes before the demo was loaded
        walk.set(_at(real_now - timedelta(days=30), 9, 10))
        deadline = (real_now - timedelta(minutes=10)).replace(second=0, microsecond=0)
    else:
        walk.set(_at(real_now - timedelta(days=45), 9, 10))
        deadline = _at(real_now - timedelta(days=20))

    with session_factory() as session:
        project_id = register_project(session, people, orgs, demo.project).id
    walk.advance(timedelta(hours=3))
    with session_factory() as session:
        trading.accept(session, people["centre"], project_id)
    with session_factory() as session:
        qualifications.add_requirements(session, people["agency"], project_id)
    walk.advance(timedelta(hours=2))
    with session_factory() as session:
        _publish(session, people["agency"], visibility.get_visible(session, people["agency"], project_id), deadline)
    walk.advance(timedelta(days=1, hours=2))
    with session_factory() as session:
        _register_bidders(session, people, visibility.get_visible(session, people["agency"], project_id))

    # Sealed bids over the last days before the deadline, in the order the bidders happen to submit.
    kept = []
    last = _at(real_now - timedelta(days=1)) if demo.stage == "open" else deadline
    leads = [timedelta(days=2, hours=18), timedelta(days=1, hours=20, minutes=12), timedelta(hours=22, minutes=5)]
    for bid, lead in zip(demo.bids, leads, strict=False):
        walk.set(last - lead)
        with session_factory() as session:
            bidder = people[bid.username]
            project = visibility.get_visible(session, bidder, project_id)
            kept.append(_seal_and_submit(session, bidder, project, credit[bidder.organisation_id], demo, bid))
    with session_factory() as session:
        code = visibility.get_visible(session, people["agency"], project_id).code
    entry = {"project_id": project_id, "project_code": code, "project_name": demo.project.name, "stage": demo.stage}
    entry["bids"] = kept
    if demo.stage == "open":
        return entry

    walk.set(deadline)  # 开标 at the deadline, by the server clock (what the tick does)
    with session_factory() as session:
        opening.start(session, trading.SYSTEM, visibility.get_visible(session, people["agency"], project_id))
    # The other bidders reveal first; in the opening under way the demo bidder's bid stays pending.
    revealing = [k for k in kept if demo.stage == "opened" or k["username"] != "bidder"]
    for minutes, bid in zip((3, 5, 8), sorted(revealing, key=lambda k: k["username"] != "bidder2"), strict=False):
        walk.set(deadline + timedelta(minutes=minutes))
        with session_factory() as session:
            opening.reveal(session, people[bid["username"]], bid["bid_no"], bid["key"])
        bid["decrypted"] = True
    if demo.stage == "opening":
        return entry

    walk.set(deadline + timedelta(minutes=12))
    with session_factory() as session:
        objection = objections.raise_at_opening(
            session,
            people["bidder3"],
            project_id,
            "请核实第二名投标人的项目经理是否有在建工程（招标文件要求无在建项目）",
        )
        objection_id = objection.id
    walk.set(deadline + timedelta(minutes=16))
    with session_factory() as session:
        objections.answer_at_opening(
            session,
            people["agency"],
            objection_id,
            "已记录。项目经理在建情况属资格审查内容，将提交评标委员会依据招标文件审查，并在评标报告中载明。",
        )
    for minutes, who in ((18, "supervisor"), (19, "agency"), (21, "centre")):
        walk.set(deadline + timedelta(minutes=minutes))
        with session_factory() as session:
            opening_confirmation.confirm(session, people[who], project_id)
    return entry


__all__ = ["load_demo_bidding", "KEYS_FILE"]
