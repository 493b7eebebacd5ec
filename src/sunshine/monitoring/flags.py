"""The red flags and collusion signals as pure functions of the facts (``facts.py``): each returns the findings it
makes, one per fact, with a stable key (the alert is raised once per key) and the evidence a supervisor reads.

Cardinal's indicators follow its published definitions (open-contracting/cardinal-rs, docs/cli/indicators/R/);
quartiles are computed with linear interpolation between order statistics (``statistics.quantiles``, inclusive),
fences are Q1 − 1.5·IQR and Q3 + 1.5·IQR. Where a rule sets ``threshold`` the fence is that value instead; where it
does not and fewer cases than ``min_processes``/``min_population`` exist, a fence would be noise and nothing is
flagged.
"""

from __future__ import annotations

import hashlib
import ipaddress
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sunshine.monitoring.facts import BidFact, SectionFacts
from sunshine.monitoring.ruleset import Rule


@dataclass(frozen=True)
class Finding:
    rule_id: str
    key: str  # the fact: the alert is raised once per key
    message: str
    project_id: int | None = None
    subject_kind: str = "project"  # project | organisation
    subject_id: int = 0
    value: str | None = None
    evidence: dict = field(default_factory=dict)
    restricted: dict | None = None  # hashed identifiers and addresses: the supervisory department only


@dataclass(frozen=True)
class Period:
    project_id: int
    project_code: str
    project_name: str
    method: str
    starts: datetime | None
    ends: datetime | None


def fences(values: Sequence[float]) -> tuple[float, float] | None:
    if len(values) < 2:
        return None
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    iqr = q3 - q1
    return q1 - 1.5 * iqr, q3 + 1.5 * iqr


def _bids(s: SectionFacts) -> list[dict]:
    return [
        {
            "bid_no": b.bid_no,
            "bidder": b.bidder,
            "price": str(b.price) if b.price is not None else None,
            "valid": b.valid,
            "submitted_at": b.submitted_at.isoformat(),
        }
        for b in s.bids
    ]


def _where(s: SectionFacts) -> str:
    return f"项目 {s.project_code}「{s.project_name}」第{s.section_number}标段"


def _section(rule: Rule, s: SectionFacts, key: str, message: str, value=None, **evidence) -> Finding:
    return Finding(
        rule.id,
        key,
        message,
        project_id=s.project_id,
        subject_id=s.project_id,
        value=None if value is None else str(value),
        evidence={"project_code": s.project_code, "section": s.section_number, "bids": _bids(s), **evidence},
    )


# ---- Cardinal ----


def r003(rule: Rule, periods: Iterable[Period]) -> list[Finding]:
    by_method = rule.param("by_method", {})
    methods = rule.param("methods")
    out = []
    for p in periods:
        if p.starts is None or p.ends is None or (methods is not None and p.method not in methods):
            continue
        days = (p.ends - p.starts).days  # whole days
        threshold = int(by_method.get(p.method, rule.param("threshold_days", 15)))
        if days < threshold:
            out.append(
                Finding(
                    rule.id,
                    f"R003:project:{p.project_id}",
                    f"项目 {p.project_code}「{p.project_name}」自招标文件发出至投标截止仅 {days} 日，"
                    f"少于 {threshold} 日",
                    project_id=p.project_id,
                    subject_id=p.project_id,
                    value=str(days),
                    evidence={
                        "project_code": p.project_code,
                        "starts": p.starts.isoformat(),
                        "ends": p.ends.isoformat(),
                        "days": days,
                        "threshold": threshold,
                    },
                )
            )
    return out


def r018(rule: Rule, sections: Iterable[SectionFacts], now: datetime) -> list[Finding]:
    methods = set(rule.param("competitive_methods", ["open_tender", "invited_tender"]))
    out = []
    for s in sections:
        if s.method in methods and s.bid_deadline is not None and s.bid_deadline <= now:
            tenderers = {b.organisation_id for b in s.bids}
            if len(tenderers) == 1:
                out.append(_section(rule, s, f"R018:section:{s.section_id}", f"{_where(s)}只收到一家投标", 1))
    return out


def _price_gaps(sections: Iterable[SectionFacts]) -> list[tuple[SectionFacts, float, BidFact, BidFact]]:
    """(section, (2nd-lowest valid − winner)/winner, winner's bid, runner-up's bid) where the winner bid lowest."""
    out = []
    for s in sections:
        if s.winner_id is None:
            continue
        valid = sorted((b for b in s.bids if b.valid is not False and b.price is not None), key=lambda b: b.price)
        win = next((b for b in valid if b.organisation_id == s.winner_id), None)
        others = [b for b in valid if b.organisation_id != s.winner_id]
        if win is None or not others or win.price <= 0 or valid[0].organisation_id != s.winner_id:
            continue  # Cardinal: excluded where the winning bid is not the lowest
        out.append((s, float((others[0].price - win.price) / win.price), win, others[0]))
    return out


def _gap_threshold(rule: Rule, gaps: list, lower: bool) -> float | None:
    if rule.param("threshold") is not None:
        return float(rule.param("threshold"))
    if len(gaps) < int(rule.param("min_processes", 8)):
        return None
    f = fences([g[1] for g in gaps])
    return None if f is None else f[0 if lower else 1]


def r024(rule: Rule, sections: Iterable[SectionFacts]) -> list[Finding]:
    gaps = _price_gaps(sections)
    limit = _gap_threshold(rule, gaps, lower=True)
    if limit is None:
        return []
    return [
        _section(
            rule,
            s,
            f"R024:section:{s.section_id}",
            f"{_where(s)}次低有效报价（{b.bidder}）仅比中标价（{w.bidder}）高 {gap:.2%}，不高于下限 {limit:.2%}",
            f"{gap:.4f}",
            flagged=[w.bidder, b.bidder],
            difference=round(gap, 6),
            fence=round(limit, 6),
        )
        for s, gap, w, b in gaps
        if gap <= limit
    ]


def r058(rule: Rule, sections: Iterable[SectionFacts]) -> list[Finding]:
    gaps = _price_gaps(sections)
    limit = _gap_threshold(rule, gaps, lower=False)
    if limit is None:
        return []
    return [
        _section(
            rule,
            s,
            f"R058:section:{s.section_id}",
            f"{_where(s)}中标价（{w.bidder}）比次低有效报价低 {gap:.2%}，不低于上限 {limit:.2%}",
            f"{gap:.4f}",
            flagged=[w.bidder],
            difference=round(gap, 6),
            fence=round(limit, 6),
        )
        for s, gap, w, b in gaps
        if gap >= limit
    ]


def r025(rule: Rule, sections: Iterable[SectionFacts]) -> list[Finding]:
    bids: dict[int, int] = defaultdict(int)
    wins: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for s in sections:
        if s.winner_id is None:
            continue
        for org in {b.organisation_id for b in s.bids if b.valid is not False}:
            bids[org] += 1
            wins[org] += org == s.winner_id
        names.update({b.organisation_id: b.bidder for b in s.bids})
    if len(bids) < int(rule.param("min_tenderers", 8)) and rule.param("threshold") is None:
        return []
    counts = sorted(bids.values())
    if len(counts) < 2:
        return []
    top = statistics.quantiles(counts, n=100, method="inclusive")[int(rule.param("percentile", 75)) - 1]
    ratios = {org: wins[org] / n for org, n in bids.items()}
    if rule.param("threshold") is not None:
        lower = float(rule.param("threshold"))
    else:
        f = fences(list(ratios.values()))
        if f is None:
            return []
        lower = f[0]
    return [
        Finding(
            rule.id,
            f"R025:tenderer:{org}",
            f"{names.get(org, org)} 有效投标 {bids[org]} 次仅中标 {wins[org]} 次"
            f"（{ratios[org]:.2%}，不高于下限 {max(lower, 0):.2%}）",
            subject_kind="organisation",
            subject_id=org,
            value=f"{ratios[org]:.4f}",
            evidence={
                "tenderer": names.get(org),
                "valid_bids": bids[org],
                "wins": wins[org],
                "top_bids_from": top,
                "fence": lower,
            },
        )
        for org in sorted(bids)
        if bids[org] >= top and ratios[org] <= lower
    ]


def r028(rule: Rule, sections: Iterable[SectionFacts]) -> list[Finding]:
    out = []
    for s in sections:
        by_price: dict[Decimal, set[str]] = defaultdict(set)
        for b in s.bids:
            if b.price is not None:
                by_price[b.price].add(b.bidder)
        for price, bidders in sorted(by_price.items()):
            if len(bidders) > 1:
                out.append(
                    _section(
                        rule,
                        s,
                        f"R028:section:{s.section_id}:{price}",
                        f"{_where(s)}{'、'.join(sorted(bidders))}报价相同（{price} 元）",
                        1,
                        flagged=sorted(bidders),
                        price=str(price),
                    )
                )
    return out


def r030(rule: Rule, sections: Iterable[SectionFacts]) -> list[Finding]:
    out = []
    for s in sections:
        if s.winner_id is None or s.bid_deadline is None:
            continue
        late = [
            b
            for b in s.bids
            if b.organisation_id == s.winner_id and b.valid is not False and b.submitted_at > s.bid_deadline
        ]
        if late:
            out.append(
                _section(
                    rule,
                    s,
                    f"R030:section:{s.section_id}",
                    f"{_where(s)}中标人 {late[0].bidder} 的投标文件递交于投标截止时间之后",
                    1,
                    deadline=s.bid_deadline.isoformat(),
                    flagged=[late[0].bidder],
                )
            )
    return out


def r035(rule: Rule, sections: Iterable[SectionFacts]) -> list[Finding]:
    out = []
    for s in sections:
        if s.winner_id is None:
            continue
        valid = {b.organisation_id for b in s.bids if b.valid is True}
        rejected = {b.organisation_id for b in s.bids if b.valid is False} - valid
        if valid == {s.winner_id} and len(rejected) >= int(rule.param("threshold", 1)):
            out.append(
                _section(
                    rule,
                    s,
                    f"R035:section:{s.section_id}",
                    f"{_where(s)}除中标人外其余 {len(rejected)} 家投标均被否决",
                    len(rejected),
                )
            )
    return out


def r036(rule: Rule, sections: Iterable[SectionFacts]) -> list[Finding]:
    out = []
    for s in sections:
        priced = [b for b in s.bids if b.price is not None]
        if s.winner_id is None or not any(b.valid is not False for b in priced):
            continue
        lowest = min(priced, key=lambda b: b.price)
        if lowest.valid is False:
            out.append(
                _section(
                    rule,
                    s,
                    f"R036:section:{s.section_id}",
                    f"{_where(s)}最低报价（{lowest.bidder}，{lowest.price} 元）被否决",
                    1,
                    flagged=[lowest.bidder],
                )
            )
    return out


def r038(rule: Rule, sections: Iterable[SectionFacts], names: dict[int, str]) -> list[Finding]:
    groups = {
        "buyer": ("招标人（采购人）", lambda s, b: s.tenderer_id),
        "procuring_entity": ("代理机构", lambda s, b: s.agency_id),
        "tenderer": ("投标人", lambda s, b: b.organisation_id),
    }
    out = []
    for group, (label, of) in groups.items():
        submitted: dict[int, int] = defaultdict(int)
        disqualified: dict[int, int] = defaultdict(int)
        processes: dict[int, set[int]] = defaultdict(set)
        for s in sections:
            for b in s.bids:
                if b.valid is None:
                    continue
                who = of(s, b)
                if who is None:
                    continue
                submitted[who] += 1
                disqualified[who] += b.valid is False
                processes[who].add(s.project_id)
        if group == "tenderer":
            keep = {k for k, n in submitted.items() if n >= int(rule.param("minimum_submitted_bids", 2))}
        else:
            keep = {k for k, p in processes.items() if len(p) >= int(rule.param("minimum_contracting_processes", 2))}
        ratios = {k: disqualified[k] / submitted[k] for k in keep}
        if rule.param("threshold") is not None:
            upper = float(rule.param("threshold"))
        elif len(ratios) >= int(rule.param("min_population", 8)) and (f := fences(list(ratios.values()))):
            upper = f[1]
        else:
            continue
        for k in sorted(ratios):
            if ratios[k] >= upper and disqualified[k] > 0:
                out.append(
                    Finding(
                        rule.id,
                        f"R038:{group}:{k}",
                        f"{label} {names.get(k, k)} 的投标被否决 {disqualified[k]}/{submitted[k]}（{ratios[k]:.0%}），"
                        f"不低于上限 {upper:.0%}",
                        subject_kind="organisation",
                        subject_id=k,
                        value=f"{ratios[k]:.4f}",
                        evidence={
                            "group": label,
                            "organisation": names.get(k),
                            "disqualified": disqualified[k],
                            "submitted": submitted[k],
                            "fence": upper,
                        },
                    )
                )
    return out


def r048(rule: Rule, sections: Iterable[SectionFacts], names: dict[int, str]) -> list[Finding]:
    """Heterogeneous supplier: per winner awarded in at least ``minimum_contracting_processes`` projects, the number
    of distinct classifications (the first ``digits`` characters of the sections' 品目分类代码) it won; flagged at or
    above the upper fence of those winners' varieties (or ``threshold``), and at least ``minimum_variety``."""
    length = int(rule.param("digits", 3))
    processes: dict[int, set[int]] = defaultdict(set)
    kinds: dict[int, set[str]] = defaultdict(set)
    for s in sections:
        if s.winner_id is None:
            continue
        processes[s.winner_id].add(s.project_id)
        if s.classification:
            kinds[s.winner_id].add(s.classification[:length])
    minimum = int(rule.param("minimum_contracting_processes", 20))
    variety = {org: len(kinds[org]) for org, p in processes.items() if len(p) >= minimum and kinds[org]}
    if rule.param("threshold") is not None:
        upper = float(rule.param("threshold"))
    elif len(variety) >= int(rule.param("min_population", 8)) and (f := fences(list(variety.values()))):
        upper = f[1]
    else:
        return []
    least = int(rule.param("minimum_variety", 2))
    return [
        Finding(
            rule.id,
            f"R048:tenderer:{org}",
            f"{names.get(org, org)} 在 {len(processes[org])} 个项目中标，标的涉及 {n} 类品目"
            f"（{'、'.join(sorted(kinds[org]))}），不低于上限 {upper:g}",
            subject_kind="organisation",
            subject_id=org,
            value=str(n),
            evidence={
                "tenderer": names.get(org),
                "projects": len(processes[org]),
                "classes": sorted(kinds[org]),
                "variety": n,
                "fence": upper,
            },
        )
        for org, n in sorted(variety.items())
        if n >= upper and n >= least
    ]


# ---- China's collusion signals ----


def _shared(rule: Rule, s: SectionFacts, keyof, what: str, shown: bool) -> list[Finding]:
    """Bids of different bidders in one section sharing a value (an address, a device hash)."""
    by_value: dict[str, dict[int, BidFact]] = defaultdict(dict)
    for b in s.bids:
        for value in keyof(b):
            if value:
                by_value[value].setdefault(b.organisation_id, b)
    out = []
    for value, bids in sorted(by_value.items()):
        if len(bids) > 1:
            who = sorted(b.bidder for b in bids.values())
            digest = hashlib.sha256(value.encode()).hexdigest()[:16]
            f = _section(
                rule,
                s,
                f"{rule.id}:section:{s.section_id}:{digest}",
                f"{_where(s)}{'、'.join(who)}的投标文件{what}",
                len(bids),
                flagged=who,
                bid_nos=sorted(b.bid_no for b in bids.values()),
            )
            out.append(Finding(**{**f.__dict__, "restricted": {"value": value if shown else digest}}))
    return out


def _address(rule: Rule):
    ignored = [ipaddress.ip_network(n) for n in rule.param("ignore_networks", ["127.0.0.0/8", "::1/128"])]

    def of(b: BidFact) -> list[str]:
        try:
            address = ipaddress.ip_address(b.client_ip or "")
        except ValueError:
            return []  # not an address the server saw (a test client, a missing value)
        return [] if any(address in n for n in ignored) else [str(address)]

    return of


def c01(rule: Rule, sections: Iterable[SectionFacts]) -> list[Finding]:
    """Loopback addresses are left out (a reverse proxy that does not pass the client's address shows as one)."""
    return [f for s in sections for f in _shared(rule, s, _address(rule), "从同一 IP 地址递交", True)]


def _device_values(b: BidFact) -> list[str]:
    d = b.device or {}
    macs = d.get("mac") or []
    return [f"mac:{m}" for m in macs if isinstance(m, str)] + [
        f"{k}:{d[k]}" for k in ("machine", "browser") if isinstance(d.get(k), str)
    ]


def c02(rule: Rule, sections: Iterable[SectionFacts]) -> list[Finding]:
    return [f for s in sections for f in _shared(rule, s, _device_values, "出自同一设备（硬件标识哈希相同）", True)]


@dataclass(frozen=True)
class Mark:
    bid_id: int
    mark: str
    author: str | None
    last_modified_by: str | None
    producer: str | None


def c03(rule: Rule, sections: Iterable[SectionFacts], marks: dict[int, list[Mark]]) -> list[Finding]:
    ignored = {a.casefold() for a in rule.param("ignore_authors", [])}
    out = []
    for s in sections:

        def values(b: BidFact) -> list[str]:
            return [m.mark for m in marks.get(b.bid_id, []) if m.mark and (m.author or "").casefold() not in ignored]

        for f in _shared(rule, s, values, "特征码相同（作者、最后修改人、制作软件一致）", True):
            sample = next(m for b in s.bids for m in marks.get(b.bid_id, []) if m.mark == f.restricted["value"])
            restricted = {
                **f.restricted,
                "author": sample.author,
                "last_modified_by": sample.last_modified_by,
                "producer": sample.producer,
            }
            out.append(Finding(**{**f.__dict__, "restricted": restricted}))
    return out


def c04(rule: Rule, sections: Iterable[SectionFacts], now: datetime, names: dict[int, str]) -> list[Finding]:
    since = now - timedelta(days=int(rule.param("window_days", 365)))
    out = []
    for group, label, of in (
        ("buyer", "招标人（采购人）", lambda s: s.tenderer_id),
        ("agency", "代理机构", lambda s: s.agency_id),
    ):
        amounts: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        counts: dict[int, int] = defaultdict(int)
        for s in sections:
            if s.winner_id is None or s.decided_at is None or s.decided_at < since or of(s) is None:
                continue
            amounts[of(s)][s.winner_id] += s.winner_amount or Decimal(0)
            counts[of(s)] += 1
        for who, by_winner in sorted(amounts.items()):
            total = sum(by_winner.values())
            if counts[who] < int(rule.param("minimum_awards", 4)) or total <= 0:
                continue
            hhi = float(sum((v / total) ** 2 for v in by_winner.values()))
            if hhi >= float(rule.param("threshold", 0.25)):
                top = max(by_winner, key=by_winner.get)
                out.append(
                    Finding(
                        rule.id,
                        f"C04:{group}:{who}:{now.year}",
                        f"{label} {names.get(who, who)} 近 {rule.param('window_days', 365)} 日 {counts[who]} 个中标的"
                        f"金额集中度 HHI={hhi:.2f}，最大份额为 {names.get(top, top)}"
                        f"（{float(by_winner[top] / total):.0%}）",
                        subject_kind="organisation",
                        subject_id=who,
                        value=f"{hhi:.4f}",
                        evidence={
                            "group": label,
                            "organisation": names.get(who),
                            "awards": counts[who],
                            "hhi": hhi,
                            "shares": {names.get(k, str(k)): f"{float(v / total):.4f}" for k, v in by_winner.items()},
                        },
                    )
                )
    return out


def c05(rule: Rule, sections: Iterable[SectionFacts], now: datetime, names: dict[int, str]) -> list[Finding]:
    since = now - timedelta(days=int(rule.param("window_days", 365)))
    met: dict[tuple[int, int], list[str]] = defaultdict(list)  # (loser, winner) -> projects where they met
    for s in sections:
        if s.winner_id is None or s.decided_at is None or s.decided_at < since:
            continue
        for org in {b.organisation_id for b in s.bids} - {s.winner_id}:
            met[(org, s.winner_id)].append(s.project_code)
    # every meeting of the pair must have been won by the same winner: a pair that met with roles swapped is not
    out = []
    for (loser, winner), projects in sorted(met.items()):
        if (winner, loser) in met or len(projects) < int(rule.param("minimum_losses", 3)):
            continue
        out.append(
            Finding(
                rule.id,
                f"C05:{loser}:{winner}",
                f"{names.get(loser, loser)} 与 {names.get(winner, winner)} 同场投标 {len(projects)} 次，"
                "每次都由后者中标",
                subject_kind="organisation",
                subject_id=loser,
                value=str(len(projects)),
                evidence={"loser": names.get(loser), "winner": names.get(winner), "projects": projects},
            )
        )
    return out
