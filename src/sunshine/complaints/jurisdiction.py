"""Which supervisory department a case goes to (管辖): the department that supervises the project's kind of
trading — procurement complaints to the finance department (94号令 第六条), engineering to the department the
local division of duties names — read from ``jurisdiction.yaml``. A complaint addressed to another department is
refused with the competent one named (422 ``wrong_department``); a department's account sees and handles the cases
of its own jurisdiction only. An account whose organisation matches no configured department (a supervisor of
the centre's own) sees every case, as before jurisdiction was configured."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import InvalidInput
from sunshine.identity.models import Organisation
from sunshine.trading.models import Project


class WrongDepartment(InvalidInput):
    code = "wrong_department"
    title = "不属于本部门管辖"


@dataclass(frozen=True)
class Department:
    code: str
    label: str
    names: tuple[str, ...]
    basis: str


@cache
def _data() -> dict:
    return yaml.safe_load(Path(__file__).with_name("jurisdiction.yaml").read_text(encoding="utf-8"))


def departments() -> dict[str, Department]:
    return {
        code: Department(code, d["label"], tuple(d["organisation_names"]), d["basis"])
        for code, d in _data()["departments"].items()
    }


def competent(project: Project) -> Department | None:
    """The department that handles the project's complaints, or None for a kind of trading not configured."""
    code = _data()["routes"].get(project.transaction_type)
    return departments().get(code) if code else None


def label(code: str | None) -> str | None:
    d = departments().get(code or "")
    return d.label if d else None


def of_actor(session: Session, actor: Principal) -> str | None:
    """The configured department an account belongs to, from its organisation's name; None when none matches."""
    if actor.organisation_id is None:
        return None
    org = session.get(Organisation, actor.organisation_id)
    if org is None:
        return None
    for d in departments().values():
        if any(n in org.name for n in d.names):
            return d.code
    return None


def check_addressed(project: Project, addressed: str | None) -> str | None:
    """The department a case is filed to: the competent one; a complaint addressed elsewhere is refused."""
    right = competent(project)
    if addressed and right is not None and addressed != right.code:
        wrong = label(addressed) or addressed
        raise WrongDepartment(
            f"本项目的投诉不属于{wrong}管辖，应向{right.label}提出（{right.basis}）",
            field="department",
            competent=right.code,
            competent_label=right.label,
        )
    if addressed and right is None and addressed not in departments():
        raise InvalidInput("受理部门不正确", field="department")
    return right.code if right is not None else addressed


def options() -> list[tuple[str, str]]:
    return [(d.code, d.label) for d in departments().values()]
