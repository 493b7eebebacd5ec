"""Demo expert draw requests at every stage, over the demo projects and the expert pool (run after the pool's
demo, which fills it):

- the school's laboratory retrofit (open for bids): an evaluation request waiting for the supervisor;
- the school's smart-classroom procurement (bid deadline passed): approved, its draw open in the room with the
  supervisor and the centre signed in, waiting for the agency;
- the Binjiang road works (bid deadline passed): drawn — seats as positions and hashes, names confidential;
- the school's own library digitisation procurement above 3,000,000 yuan (no agency): its tender documents
  reviewed by two drawn experts, then the procurement terminated, so the draw is disclosed with its replay data.

Specialties are those the pool holds most (engineering codes for works). Where the pool is too small for a
draw, the requests stop before it. Idempotent: nothing is made when any request exists.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.committees import drawing, service
from sunshine.committees.models import CommitteeSeat, DrawRequest
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import SunshineError
from sunshine.demo.base import REGION, principal
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.experts.models import ExpertSpecialty
from sunshine.trading import service as trading
from sunshine.trading.models import Project, Section
from sunshine.trading.schemas import ProjectIn, SectionIn

LIBRARY = "示范市第一中学图书馆古籍数字化加工服务采购项目"
LIBRARY_BUDGET = Decimal("3260000.00")


def _library(session: Session, tenderer: Principal) -> Project:
    """A procurement the school conducts itself (自行组织采购, no agency), registered by its own staff."""
    data = ProjectIn(
        name=LIBRARY,
        transaction_type="gov_procurement",
        method="open_tender",
        tenderer_id=tenderer.organisation_id,
        agency_id=None,
        budget=LIBRARY_BUDGET,
        region_code=REGION,
        funding_source="财政资金",
        evaluation_method="综合评估法",
        description=f"{LIBRARY}。采购金额300万元以上，招标文件须经随机抽取的专家审查。",
        sections=[
            SectionIn(
                name="古籍数字化加工服务",
                estimate=LIBRARY_BUDGET,
                qualification="具有独立法人资格，近三年无重大违法记录",
            )
        ],
    )
    return trading.register(session, tenderer, data)


def _codes(session: Session, prefix: str, n: int = 2) -> list[str]:
    """The ``n`` leaf specialties under ``prefix`` held by the most experts not yet drawn in the demo: the draws are
    random, and an expert drawn for a tenderer is avoided for its next projects for a while (recent_same_tenderer),
    so counting every holder could pick a specialty whose few holders were all drawn before."""
    drawn = set(session.scalars(select(CommitteeSeat.expert_id)))
    held = Counter(
        code
        for code, expert_id in session.execute(select(ExpertSpecialty.specialty_code, ExpertSpecialty.expert_id))
        if code.startswith(prefix) and len(code) >= 5 and expert_id not in drawn
    )
    return [code for code, _ in sorted(held.items(), key=lambda item: (-item[1], item[0]))[:n]]


def _project(session: Session, name: str) -> Project | None:
    return session.scalar(select(Project).where(Project.name == name))


def _section(session: Session, project: Project) -> int:
    return session.scalar(select(Section.id).where(Section.project_id == project.id).order_by(Section.number))


def _ask(session: Session, who: Principal, project: Project, purpose: str, codes: list[str], **kw) -> DrawRequest:
    meeting = max(project.bid_deadline or clock.now(), clock.now()) + timedelta(days=1)
    if purpose != "evaluation":
        counts = [2]
    else:
        counts = [3, 2] if len(codes) > 1 else [5]
    data = service.RequestIn(
        section_id=_section(session, project),
        purpose=purpose,
        specialties=list(zip(codes, counts, strict=False)),
        reserve=kw.pop("reserve", 1),
        representatives=kw.pop("representatives", 2 if purpose == "evaluation" else 0),
        meeting_at=meeting.replace(hour=1, minute=30, second=0, microsecond=0),  # 09:30 Beijing
        place_kind=kw.pop("place_kind", "room"),
        place=kw.pop("place", "第二评标室"),
    )
    return service.submit(session, who, project.id, data)


def _room(
    session_factory, people: dict[str, Principal], code: str, supervisor: str, *, finish: bool, party: str = "agency"
) -> None:
    secret = engine.new_secret()
    who = people[supervisor]
    with session_factory() as session:
        draws.sign_in(session, who, code)
        draws.sign_in(session, people["centre"], code)
        draws.commit(session, who, code, engine.commitment(code, f"supervisor:{who.user_id}", secret))
    if not finish:
        return
    with session_factory() as session:
        draws.sign_in(session, people[party], code)
        draws.start_reveal(session, people["centre"], code)
        draws.reveal(session, who, code, secret)


def load_demo_committees(session_factory) -> int:
    """Create the demo requests (see the module's description). Returns how many requests were made."""
    with session_factory() as session:
        if session.scalar(select(func.count()).select_from(DrawRequest)):
            return 0
        people = {n: principal(session, n) for n in ("agency", "centre", "supervisor", "finance", "tenderer")}
        works, goods = _codes(session, "A"), _codes(session, "B") or _codes(session, "C")
        lab = _project(session, "示范市第一中学实验楼抗震加固工程施工")
        classroom = _project(session, "示范市第一中学智慧教室设备采购项目")
        road = _project(session, "示范市滨江路（湖东路—五一路）道路提升改造工程施工")
        pool_size = session.scalar(select(func.count()).select_from(ExpertSpecialty))
    if len(works) < 2 or not goods or pool_size < 20:
        return 0  # the pool's demo has not run: nothing to draw from
    made = 0
    if lab is not None:  # open for bids: the request waits for the supervisor
        with session_factory() as session:
            _ask(session, people["agency"], session.get(Project, lab.id), "evaluation", works)
            made += 1

    def drawn(project: Project | None, codes, supervisor: str, finish: bool) -> str | None:
        nonlocal made
        if project is None:
            return None
        with session_factory() as session:
            row = _ask(session, people["agency"], session.get(Project, project.id), "evaluation", codes)
            service.approve(session, people[supervisor], row.id)
            rid = row.id
            made += 1
        try:
            with session_factory() as session:
                code = drawing.start_draw(session, people["centre"], rid).draw_code
        except SunshineError:
            return None  # too early or too few experts: the request stays approved, waiting for the centre
        _room(session_factory, people, code, supervisor, finish=finish)
        return code

    drawn(classroom, goods, "finance", finish=False)
    drawn(road, works, "supervisor", finish=True)
    with session_factory() as session:
        library_id = _library(session, people["tenderer"]).id
        trading.accept(session, people["centre"], library_id)
    with session_factory() as session:
        row = _ask(session, people["tenderer"], session.get(Project, library_id), "doc_review", goods[:1], reserve=1)
        service.approve(session, people["finance"], row.id)
        rid = row.id
        made += 1
    try:
        with session_factory() as session:
            code = drawing.start_draw(session, people["centre"], rid).draw_code
    except SunshineError:
        return made
    _room(session_factory, people, code, "finance", finish=True, party="tenderer")
    with session_factory() as session:
        trading.terminate(
            session, people["tenderer"], library_id, "采购人因预算调整取消本项目，经批准终止采购（招标文件审查已完成）"
        )
    return made
