"""Demo expert pool (评标专家库): about 300 experts across the specialty tree with generated Chinese names, each
flagged 演示数据 (``is_demo``, shown on staff pages), employed by the demo organisations and a few dedicated
employers (a design institute, a university, a hospital…); some on leave, some suspended, one banned, one removed
(published), some whose term has ended or ends within the reminder window; the previous year's assessment
published; applications waiting at each stage; and demo login accounts for a few experts, who were admitted
through the real procedure (apply → review → approve).

The bulk pool stands for the experts taken over from the former pool when the platform opened: written
directly (one shared unusable password hash; they cannot sign in), with one ledger entry for the import.
Idempotent: nothing is done once a demo expert exists."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.core import clock, serials
from sunshine.core.auth import Principal
from sunshine.credit.models import CreditBan
from sunshine.demo.base import DEMO_PASSWORD, org_ids, principal
from sunshine.disclosure.detectors import id_check_character
from sunshine.experts import admission, publish, records, reminders, specialties
from sunshine.experts.models import (
    ACTIVE,
    Expert,
    ExpertConflict,
    ExpertEvaluation,
    ExpertLeave,
    ExpertSpecialty,
    ExpertTraining,
)
from sunshine.identity import credit_code
from sunshine.identity import service as identity
from sunshine.identity.models import Organisation, OrganisationKind, User, UserRole
from sunshine.identity.passwords import hash_password
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger

POOL_SIZE = 300
SEED = 20261202

EMPLOYERS = [  # (name, first 17 characters of the credit code, kind)
    ("示范市建筑设计研究院有限公司", "91350100MA3EXP001", OrganisationKind.ENTERPRISE),
    ("示范市市政工程设计院", "12350100MB0EXP002", OrganisationKind.PURCHASER),
    ("福建示范理工大学", "12350100MB0EXP003", OrganisationKind.PURCHASER),
    ("示范市第一人民医院", "12350100MB0EXP004", OrganisationKind.PURCHASER),
    ("示范水利水电勘测设计研究院有限公司", "91350100MA3EXP005", OrganisationKind.ENTERPRISE),
    ("示范电力设计院有限公司", "91350100MA3EXP006", OrganisationKind.ENTERPRISE),
    ("示范正信会计师事务所（特殊普通合伙）", "91350100MA3EXP007", OrganisationKind.ENTERPRISE),
    ("福建示范律师事务所", "31350000MD0EXP008", OrganisationKind.ENTERPRISE),
]
OTHER_EMPLOYERS = ("build1", "build2", "build3", "supply1", "supply2", "state_capital", "water")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐"
    "许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢"
    "姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江"
    "尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向"
    "常汤康易乔赖文"
)
GIVEN = [
    "建国",
    "建华",
    "志强",
    "志明",
    "国栋",
    "国华",
    "海涛",
    "海波",
    "文斌",
    "文杰",
    "立新",
    "立军",
    "明远",
    "明华",
    "晓东",
    "晓峰",
    "伟",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "勇",
    "杰",
    "涛",
    "斌",
    "峰",
    "霞",
    "燕",
    "芳",
    "娟",
    "红",
    "玲",
    "宏伟",
    "振华",
    "永强",
    "德明",
    "光明",
    "新民",
    "长青",
    "春生",
    "秋云",
    "雪梅",
    "玉兰",
    "桂英",
    "淑珍",
    "凤英",
    "慧敏",
    "嘉琪",
    "思远",
    "子涵",
    "浩然",
    "宇航",
    "晨曦",
    "雨桐",
    "佳怡",
    "一鸣",
    "子豪",
    "博文",
    "锦程",
    "鹏飞",
    "鸿飞",
    "云龙",
    "天宇",
    "泽民",
    "荣华",
    "耀东",
    "卫东",
    "向阳",
    "少华",
    "家乐",
    "俊杰",
]
TITLES = {
    "A": [
        ("教授级高级工程师", "senior_full"),
        ("高级工程师", "senior"),
        ("高级工程师", "senior"),
        ("高级经济师", "senior"),
        ("正高级工程师", "senior_full"),
    ],
    "B": [
        ("高级工程师", "senior"),
        ("研究员", "senior_full"),
        ("副研究员", "senior"),
        ("主任医师", "senior_full"),
        ("副主任医师", "senior"),
    ],
    "C": [
        ("高级会计师", "senior"),
        ("高级经济师", "senior"),
        ("律师（一级）", "senior_full"),
        ("副教授", "senior"),
        ("教授", "senior_full"),
    ],
}
LOGINS = [  # demo experts who sign in: (username, name, employer index, main, other specialties)
    ("expert2", "演示专家 郑文斌", 1, "A0201", ["A0202"]),
    ("expert3", "演示专家 方丽娟", 3, "B0301", ["B0302"]),
    ("expert4", "演示专家 黄立新", 6, "C0501", ["C0502"]),
]
PENDING = [  # new applicants: (name, main specialty, the stage their application waits at)
    ("潘志远", "A0501", "submitted"),
    ("骆晓燕", "C0201", "submitted"),
    ("樊国庆", "A0303", "reviewed"),
    ("邝慧琳", "B0201", "reviewed"),
    ("戚永安", "A0104", "refused"),
]
#: accounts the demo pool creates: the pool taken over, the login experts, the applicants
DEMO_USERS = POOL_SIZE + len(LOGINS) + len(PENDING)
ACCOUNT_ROWS = [(u, "评标专家（在库）", n) for u, n, *_ in LOGINS] + [("expert", "评标专家（在库）", "评标专家 高建国")]


@dataclass
class _Ctx:
    rng: random.Random
    today: date
    employer_ids: list[int]


def _leaf_codes(session) -> dict[str, list[str]]:
    nodes = specialties.nodes(session)
    leaves = [n.code for n in nodes.values() if not n.children and n.parent]
    return {top: [c for c in leaves if c.startswith(top)] for top in ("A", "B", "C")}


def _employers(session) -> list[int]:
    ids = []
    for name, prefix, kind in EMPLOYERS:
        code = credit_code.complete(prefix)
        org = identity.find_organisation_by_code(session, code) or identity.create_organisation(
            session, name=name, credit_code_value=code, kind=kind, region_code="350100"
        )
        ids.append(org.id)
    known = org_ids(session)
    return ids + [known[k] for k in OTHER_EMPLOYERS if k in known]


def _id_number(born: date, n: int) -> str:
    body = f"350102{born:%Y%m%d}{n % 1000:03d}"
    return body + id_check_character(body)


def _bulk(session, ctx: _Ctx, by_top: dict[str, list[str]]) -> list[Expert]:
    rng = ctx.rng
    unusable = hash_password(secrets.token_urlsafe(32))
    now = clock.now()
    made: list[Expert] = []
    names: set[str] = set()
    for n in range(1, POOL_SIZE + 1):
        top = rng.choices(("A", "B", "C"), weights=(6, 2, 2))[0]
        main = rng.choice(by_top[top])
        extra = rng.sample([c for c in by_top[top] if c != main], k=rng.choice((0, 0, 1, 2)))
        while True:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if name not in names:
                names.add(name)
                break
        born = date(rng.randint(1958, 1986), rng.randint(1, 12), rng.randint(1, 28))
        title, level = rng.choice(TITLES[top])
        admitted = ctx.today - timedelta(days=rng.randint(200, 1000))
        user = User(
            username=f"demo-expert-{n:03d}",
            display_name=name,
            password_hash=unusable,
            organisation_id=None,
            is_active=True,
            created_at=now,
            roles=[UserRole(role=Role.EXPERT.value)],
        )
        session.add(user)
        session.flush()
        expert = Expert(
            code=f"ZJ{serials.next_serial(session, 'ZJ'):06d}",
            user_id=user.id,
            name=name,
            employer_organisation_id=rng.choice(ctx.employer_ids),
            title=title,
            title_level=level,
            practice_since=rng.randint(born.year + 23, min(born.year + 32, 2016)),
            education=rng.choice(("doctor", "master", "master", "bachelor", "bachelor")),
            regions=rng.choice((" 350100 ", " 350100 350200 ", " 350100 350300 ", " 350000 ")),
            date_of_birth=born,
            mobile=f"139{rng.randint(0, 99_999_999):08d}",
            id_number=_id_number(born, n),
            email="",
            status=ACTIVE,
            admitted_on=admitted,
            term_starts_on=admitted,
            term_ends_on=admission.term_end(session, admitted),
            is_demo=True,
            created_at=now,
            updated_at=now,
        )
        session.add(expert)
        session.flush()
        for i, code in enumerate([main, *extra]):
            session.add(ExpertSpecialty(expert_id=expert.id, specialty_code=code, is_main=i == 0))
        made.append(expert)
    return made


def _situations(session, ctx: _Ctx, pool: list[Expert], office: Principal, industry: Principal) -> None:
    rng, today, now = ctx.rng, ctx.today, clock.now()
    picks = rng.sample(pool, 60)
    for e in picks[:12]:  # on leave now or soon
        start = today + timedelta(days=rng.randint(-3, 20))
        session.add(
            ExpertLeave(
                expert_id=e.id,
                starts_on=start,
                ends_on=start + timedelta(days=rng.randint(2, 14)),
                reason=rng.choice(("出差", "外出学习", "身体原因", "单位工作安排")),
                created_by=e.user_id,
                created_at=now,
            )
        )
    for e in picks[12:20]:  # suspended
        start = today - timedelta(days=rng.randint(5, 60))
        session.add(
            CreditBan(
                expert_id=e.id,
                kind="suspension",
                starts_on=start,
                ends_on=start + timedelta(days=180),
                basis="无正当理由不参加已确认的评标活动",
                department="公共资源交易管理委员会办公室",
                created_by=office.user_id,
                created_at=now,
                ledger_seq=0,
            )
        )
    banned = picks[20]
    session.add(
        CreditBan(
            expert_id=banned.id,
            kind="ban",
            starts_on=today - timedelta(days=40),
            ends_on=None,
            basis="评标中未按招标文件规定的评标标准和方法评标（《招标投标法实施条例》第七十一条）",
            decision_no="示住建罚〔2026〕12号",
            department="示范市住房和城乡建设局",
            created_by=industry.user_id,
            created_at=now,
            ledger_seq=0,
        )
    )
    for e in picks[21:31]:  # the term has ended: waiting for re-assessment
        e.term_ends_on = today - timedelta(days=rng.randint(1, 40))
    for e in picks[31:37]:  # the term ends within the reminder window
        e.term_ends_on = today + timedelta(days=rng.randint(5, 50))
    orgs = ctx.employer_ids
    for e in picks[37:45]:  # standing conflicts
        other = rng.choice([o for o in orgs if o != e.employer_organisation_id])
        session.add(
            ExpertConflict(
                expert_id=e.id,
                organisation_id=other,
                relation=rng.choice(("former_employer", "relative", "interest")),
                note="",
                declared_by=e.user_id,
                declared_at=now,
            )
        )
    for e in rng.sample(pool, 120):  # training
        session.add(
            ExpertTraining(
                expert_id=e.id,
                title=rng.choice(
                    (
                        "《招标投标法实施条例》与评标实务",
                        "电子招标投标评标操作培训",
                        "政府采购评审专家业务培训",
                        "评标专家廉洁自律教育",
                    )
                ),
                organiser="示范市公共资源交易中心",
                held_on=today - timedelta(days=rng.randint(30, 400)),
                hours=rng.choice((4, 8, 16)),
                passed=True,
                certificate_no="",
                recorded_by=office.user_id,
                recorded_at=now,
            )
        )
    last_year = str(today.year - 1)
    for e in pool:  # last year's assessment, for the experts admitted before this year
        if e.admitted_on.year < today.year:
            score = rng.randint(62, 98)
            grade = "excellent" if score >= 90 else "good" if score >= 75 else "basic"
            session.add(
                ExpertEvaluation(
                    expert_id=e.id,
                    period=last_year,
                    score=score,
                    grade=grade,
                    notes="",
                    assessed_by=office.user_id,
                    assessed_at=now,
                )
            )
    session.flush()
    for e in picks[12:21]:
        records.refresh(session, e)
    for e in picks[21:31]:
        records.refresh(session, e)
    publish.evaluations(session, office, last_year)
    removed = picks[45]
    records.remove(session, office, removed.id, reason="年度考核不合格且拒不参加培训（演示数据）")


def _facts(name: str, main: str, other: list[str], n: int, rng: random.Random) -> admission.Facts:
    born = date(1970 + n, 3 + n, 10 + n)
    return admission.Facts(
        name=name,
        title="高级工程师",
        title_level="senior",
        practice_since=1995 + n,
        education="master",
        regions=["350100"],
        specialties=[main, *other],
        date_of_birth=born,
        mobile=f"1370591{rng.randint(0, 9999):04d}",
        id_number=_id_number(born, 900 + n),
        statement="演示数据：由示范数据加载程序提交的申请。",
    )


def _walk_logins(session, ctx: _Ctx, industry: Principal, office: Principal) -> None:
    """The demo login experts apply, are reviewed and approved through the service; the account ``expert`` too."""
    employers = ctx.employer_ids
    for n, (username, name, emp, main, other) in enumerate(LOGINS):
        user = identity.create_user(session, username=username, display_name=name, password=DEMO_PASSWORD, roles=[])
        me = Principal(user_id=user.id, username=username, display_name=name)
        app = admission.apply_self(
            session,
            me,
            facts=_facts(name.split()[-1], main, other, n, ctx.rng),
            employer_credit_code=session.get(Organisation, employers[emp]).credit_code,
        )
        app.is_demo = True
        admission.review(session, industry, app.id, decision="pass", note="材料齐全，符合入库条件")
        admission.decide(session, office, app.id, decision="approve", note="")
    existing = session.scalar(select(User).where(User.username == "expert"))
    if existing is not None and session.scalar(select(Expert.id).where(Expert.user_id == existing.id)) is None:
        me = Principal(user_id=existing.id, username="expert", display_name=existing.display_name)
        app = admission.apply_self(
            session,
            me,
            facts=_facts("高建国", "A0101", ["A0102", "A0701"], 3, ctx.rng),
            employer_credit_code=session.get(Organisation, employers[0]).credit_code,
        )
        app.is_demo = True
        admission.review(session, industry, app.id, decision="pass", note="材料齐全，符合入库条件")
        admission.decide(session, office, app.id, decision="approve", note="")


def _pending(session, ctx: _Ctx, industry: Principal) -> None:
    """Applications waiting at each stage (and one refused), by new applicants."""
    employers = ctx.employer_ids
    for n, (name, main, stage) in enumerate(PENDING):
        anonymous = Principal()
        facts = _facts(name, main, [], 5 + n, ctx.rng)
        if stage == "refused":
            facts = admission.Facts(**{**facts.__dict__, "practice_since": ctx.today.year - 4})
        app = admission.apply_self(
            session,
            anonymous,
            facts=facts,
            employer_credit_code=session.get(Organisation, employers[n % 4]).credit_code,
            username=f"applicant{n + 1}",
            password=secrets.token_urlsafe(16),
        )
        app.is_demo = True
        if stage == "reviewed":
            admission.review(session, industry, app.id, decision="pass", note="材料齐全，符合入库条件")
        elif stage == "refused":
            admission.review(
                session, industry, app.id, decision="refuse", note="从事相关领域工作不满8年（《招标投标法》第三十七条）"
            )


def load_demo_experts(session_factory, real_now: datetime) -> int:
    """The demo pool, unless a demo expert exists. Returns how many experts were made."""
    with session_factory() as session:
        if session.scalar(select(Expert.id).where(Expert.is_demo.is_(True)).limit(1)) is not None:
            return 0
        if session.scalar(select(User.id).where(User.username == "committee")) is None:
            return 0
        ctx = _Ctx(random.Random(SEED), real_now.astimezone(get_settings().tz).date(), _employers(session))
        office, industry = principal(session, "committee"), principal(session, "industry")
        pool = _bulk(session, ctx, _leaf_codes(session))
        ledger.append(session, "experts:demo_pool_imported", "experts:pool", {"experts": len(pool)})
        _situations(session, ctx, pool, office, industry)
        _walk_logins(session, ctx, industry, office)
        _pending(session, ctx, industry)
        reminders.tick(session)
        return len(pool) + len(LOGINS) + 1
