"""The draw's value types (groups, candidates, parties, witnesses, seats) and its refusals, each with a stable
code and a Chinese title. Re-exported by ``draws.service``, which owners code against."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from sunshine.core.errors import Conflict, InvalidInput


class DrawStateConflict(Conflict):
    code = "draw_wrong_state"
    title = "抽取当前所处阶段不允许此操作"


class SecretMismatch(InvalidInput):
    code = "draw_secret_mismatch"
    title = "揭示的随机数与此前提交的承诺不符"


class WitnessesMissing(Conflict):
    code = "draw_witnesses_missing"
    title = "规定的见证人尚未全部签到，不能开始抽取"


class CommitmentsMissing(Conflict):
    code = "draw_commitments_missing"
    title = "尚有参与方未提交承诺，不能开始抽取"


class NotSignedIn(Conflict):
    code = "draw_not_signed_in"
    title = "请先签到进入抽取室"


class RevealWindowOpen(Conflict):
    code = "draw_reveal_window_open"
    title = "揭示期限未到，尚有参与方未揭示随机数"


class BeaconMissing(Conflict):
    code = "draw_beacon_missing"
    title = "尚未录入公开信标的发布值"


class TooEarly(Conflict):
    code = "draw_not_yet"
    title = "未到预定的抽取时间"


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    count: int
    reserve: int = 0


class Candidate(NamedTuple):
    """A pool member as its owner hands it to ``prepare`` (a named tuple: pools run to 100,000 members)."""

    ref: str
    groups: list[str]
    status: str


@dataclass(frozen=True)
class CandidateColumns:
    """A large pool handed to ``prepare`` in columns rather than one ``Candidate`` each: ``refs`` (unique; sorted
    saves a sort), each entry's ``groups`` (entries sharing a combination may share one list) and ``statuses``
    (position → exclusion reason code; every other entry is eligible)."""

    refs: Sequence[str]
    groups: Sequence[list[str]]
    statuses: Mapping[int, str]

    def __len__(self) -> int:
        return len(self.refs)

    def status(self, i: int) -> str:
        return self.statuses.get(i, "eligible")

    def candidates(self) -> list[Candidate]:
        return [
            Candidate(r, list(g), self.status(i)) for i, (r, g) in enumerate(zip(self.refs, self.groups, strict=True))
        ]

    @classmethod
    def of(cls, candidates: Sequence[Candidate]) -> CandidateColumns:
        return cls(
            [c.ref for c in candidates],
            [c.groups for c in candidates],
            {i: c.status for i, c in enumerate(candidates) if c.status != "eligible"},
        )


@dataclass(frozen=True)
class PartySpec:
    key: str
    label: str
    user_id: int


@dataclass(frozen=True)
class WitnessSpec:
    """A role that must be signed in before the draw starts; ``user_ids``/``organisation_ids`` narrow who fills it."""

    role: str
    label: str
    user_ids: frozenset[int] = field(default_factory=frozenset)
    organisation_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Seat:
    leaf: str
    ref: str
    group: str
    position: int
    state: str
    kind: str = "seat"
    replaces: str | None = None
