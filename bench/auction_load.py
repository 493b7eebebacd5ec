"""Auction load: concurrent bidders over HTTP against a running server, then a consistency check.

    .venv/bin/python bench/auction_load.py --base-url http://127.0.0.1:8000 --auction 2 \\
        --user bidder --user bidder2 --password sunshine-demo-2026 --seconds 10 --concurrency 8

``run`` is the reusable part (``bench/bidding.py`` calls it): each of ``concurrency`` threads, with the API
token ``tokens[i % len(tokens)]``, repeatedly reads the auction's state and bids its ``minimum_bid`` (the
current price plus the increment) until ``seconds`` have passed or the auction stops accepting bids. Every
answer is counted: 201 accepted, 409 refused (lost the race, leading already, closed), other 4xx rejected,
5xx and transport failures errors. Afterwards it reads the bid list through the API and checks the final
state: as many new bids as accepted answers, sequence numbers without gaps, amounts strictly increasing,
the state's price equal to the last bid. It prints figures and never asserts timings.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import httpx


@dataclass
class _Worker:
    accepted_seqs: list[int] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)
    rejected: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    bid_latencies: list[float] = field(default_factory=list)
    attempts: int = 0
    stopped_because: str | None = None


def _code(response: httpx.Response) -> str:
    try:
        return str(response.json().get("code") or response.status_code)
    except (ValueError, AttributeError):
        return str(response.status_code)


def _loop(base_url: str, auction_id: int, token: str, until: float, start: threading.Barrier, out: _Worker) -> None:
    headers = {"authorization": f"Bearer {token}", "accept": "application/json"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30.0) as client:
        start.wait()
        while time.monotonic() < until:
            try:
                state = client.get(f"/api/v1/auctions/{auction_id}")
                if state.status_code != 200:
                    out.errors[f"state {state.status_code}"] += 1
                    continue
                data = state.json()
                if not data["accepting_bids"]:
                    out.stopped_because = data["phase"]
                    return
                out.attempts += 1
                began = time.perf_counter()
                answer = client.post(f"/api/v1/auctions/{auction_id}/bids", json={"amount": data["minimum_bid"]})
                out.bid_latencies.append(time.perf_counter() - began)
            except httpx.HTTPError as exc:
                out.errors[type(exc).__name__] += 1
                continue
            if answer.status_code == 201:
                out.accepted_seqs.append(answer.json()["seq"])
            elif answer.status_code == 409:
                out.refused[_code(answer)] += 1
            elif 400 <= answer.status_code < 500:
                out.rejected[_code(answer)] += 1
            else:
                out.errors[str(answer.status_code)] += 1


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def check_consistency(base_url: str, auction_id: int, before: int, accepted: list[int]) -> tuple[dict, list[str]]:
    """The auction as the API shows it now, and every way it disagrees with what the bidders were told."""
    problems: list[str] = []
    with httpx.Client(base_url=base_url, timeout=30.0) as client:
        state = client.get(f"/api/v1/auctions/{auction_id}").json()
        bids = client.get(f"/api/v1/auctions/{auction_id}/bids").json()
    seqs = [b["seq"] for b in bids]
    amounts = [Decimal(b["amount"]) for b in bids]
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append("sequence numbers have gaps or repeats")
    if any(a >= b for a, b in zip(amounts, amounts[1:], strict=False)):
        problems.append("amounts are not strictly increasing")
    new = [s for s in seqs if s > before]
    if len(new) != len(accepted):
        problems.append(f"{len(accepted)} bids were acknowledged but {len(new)} new bids are listed")
    if sorted(accepted) != new:
        problems.append("the acknowledged sequence numbers differ from the listed ones")
    if state["bid_count"] != len(bids):
        problems.append(f"state says {state['bid_count']} bids, the list has {len(bids)}")
    if bids and Decimal(state["current_price"]) != amounts[-1]:
        problems.append("the current price is not the last bid")
    return {"state": state, "bids": len(bids)}, problems


def run(base_url: str, auction_id: int, tokens: list[str], seconds: float, concurrency: int) -> dict:
    """Drive ``concurrency`` bidders for ``seconds``; return the counts, latencies and the consistency check."""
    if not tokens:
        raise ValueError("at least one API token is needed")
    with httpx.Client(base_url=base_url, timeout=30.0) as client:
        initial = client.get(f"/api/v1/auctions/{auction_id}")
        initial.raise_for_status()
    before = initial.json()["bid_count"]
    workers = [_Worker() for _ in range(concurrency)]
    start = threading.Barrier(concurrency)
    began = time.monotonic()
    until = began + seconds
    threads = [
        threading.Thread(
            target=_loop, args=(base_url, auction_id, tokens[i % len(tokens)], until, start, workers[i]), daemon=True
        )
        for i in range(concurrency)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    accepted = [seq for w in workers for seq in w.accepted_seqs]
    latencies = [x for w in workers for x in w.bid_latencies]
    final, problems = check_consistency(base_url, auction_id, before, accepted)
    total = lambda name: sum((getattr(w, name) for w in workers), Counter())  # noqa: E731
    return {
        "auction": auction_id,
        "seconds": round(elapsed, 3),
        "concurrency": concurrency,
        "bidders": len(set(tokens)),
        "attempts": sum(w.attempts for w in workers),
        "accepted": len(accepted),
        "refused": sum(total("refused").values()),
        "refused_by_code": dict(total("refused")),
        "rejected": sum(total("rejected").values()),
        "rejected_by_code": dict(total("rejected")),
        "errors": sum(total("errors").values()),
        "errors_by_kind": dict(total("errors")),
        "accepted_per_second": round(len(accepted) / elapsed, 2) if elapsed else None,
        "attempts_per_second": round(sum(w.attempts for w in workers) / elapsed, 2) if elapsed else None,
        "bid_latency_ms": {
            "p50": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p95": round(_percentile(latencies, 0.95) * 1000, 1) if latencies else None,
            "max": round(max(latencies) * 1000, 1) if latencies else None,
        },
        "stopped_because": next((w.stopped_because for w in workers if w.stopped_because), None),
        "bids_before": before,
        "bids_after": final["bids"],
        "final_price": final["state"]["current_price"],
        "consistent": not problems,
        "problems": problems,
    }


def tokens_for(base_url: str, usernames: list[str], password: str) -> list[str]:
    """API tokens of the given accounts (POST /api/v1/auth/token)."""
    out = []
    with httpx.Client(base_url=base_url, timeout=30.0) as client:
        for name in usernames:
            response = client.post("/api/v1/auth/token", json={"username": name, "password": password})
            response.raise_for_status()
            out.append(response.json()["access_token"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="网上竞价并发报价压测（对运行中的服务器）")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--auction", type=int, required=True, help="竞价编号")
    parser.add_argument("--token", action="append", default=[], help="竞买人的 API 令牌（可重复）")
    parser.add_argument("--user", action="append", default=[], help="竞买人账号（可重复；与 --password 一起换取令牌）")
    parser.add_argument("--password", default="sunshine-demo-2026")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    tokens = args.token + (tokens_for(args.base_url, args.user, args.password) if args.user else [])
    result = run(args.base_url, args.auction, tokens, args.seconds, args.concurrency)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if not result["consistent"]:
        print("最终状态不一致：" + "；".join(result["problems"]))


if __name__ == "__main__":
    main()
