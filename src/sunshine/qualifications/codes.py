"""The coded lists of qualifications with their Chinese labels: certificate kinds, grades and their order, posts
and specialties. Pure data and the grade comparison; no database."""

from __future__ import annotations

# grade scales: a lower rank is a higher grade; grades of different scales do not compare
CONSTRUCTION = ("特级", "一级", "二级", "三级")
LETTERED = ("综合", "甲级", "乙级", "丙级")
REGISTERED = ("一级", "二级")

CERTIFICATE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "building": ("建筑工程施工总承包", CONSTRUCTION),
    "municipal": ("市政公用工程施工总承包", CONSTRUCTION),
    "highway": ("公路工程施工总承包", CONSTRUCTION),
    "water": ("水利水电工程施工总承包", CONSTRUCTION),
    "electromechanical": ("机电工程施工总承包", CONSTRUCTION),
    "supervision": ("工程监理", LETTERED),
    "cost_consulting": ("工程造价咨询", LETTERED),
    "design": ("工程设计", LETTERED),
}
GRADES: tuple[str, ...] = ("特级", "一级", "二级", "三级", "综合", "甲级", "乙级", "丙级")

POSTS: dict[str, str] = {
    "project_manager": "项目经理（注册建造师）",
    "chief_supervisor": "总监理工程师",
    "technical_lead": "技术负责人",
}
SPECIALTIES: dict[str, str] = {
    "building": "建筑工程",
    "municipal": "市政公用工程",
    "highway": "公路工程",
    "water": "水利水电工程",
    "electromechanical": "机电工程",
}
REQUIREMENT_KINDS = {"certificate": "资质要求", "person": "人员要求", "performance": "业绩要求"}
RECORD_KINDS = {"certificate": "资质证书", "person": "人员", "performance": "业绩"}
ACTIONS = {"added": "新增", "edited": "修改", "retired": "注销"}


def kind_label(kind: str | None) -> str:
    return CERTIFICATE_KINDS[kind][0] if kind in CERTIFICATE_KINDS else (kind or "")


def scale_of(kind: str | None) -> tuple[str, ...]:
    return CERTIFICATE_KINDS[kind][1] if kind in CERTIFICATE_KINDS else REGISTERED


def at_least(grade: str, minimum: str | None, scale: tuple[str, ...]) -> bool:
    """``grade`` is ``minimum`` or higher on ``scale``; no minimum asks for nothing; off-scale never meets."""
    if minimum is None or minimum == "":
        return grade in scale
    if grade not in scale or minimum not in scale:
        return False
    return scale.index(grade) <= scale.index(minimum)


def mask(number: str | None) -> str:
    """A registration or certificate number on pages of people: the first two and last two characters."""
    if not number:
        return ""
    if len(number) <= 4:
        return number[0] + "*" * (len(number) - 1)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]
