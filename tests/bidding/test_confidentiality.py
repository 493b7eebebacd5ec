"""Nobody reads a bid before its bidder reveals the key: not through any route as any role (the
administrator included), and not from a dump of the database or the file store. The same scans find the
price once the bid is decrypted at opening, so they are able to see it when it is there."""

from __future__ import annotations

import warnings
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import MetaData, select
from sqlalchemy.exc import SAWarning

from sunshine import tasks
from sunshine.bidding import envelope, opening, service
from sunshine.identity.roles import Role
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.trading.builders import actor, cheap_password_hashing

SECRET_PRICE = "4812345.67"
SECRET_TEXT = "机密施工方案：钢箱梁整体顶推，编号Q7X-94031"
NEEDLES = (SECRET_PRICE, "4,812,345.67", "481234567", SECRET_TEXT, SECRET_TEXT.encode().hex())


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


def _dump_database(db) -> str:
    """Every value of every row of every table, as text: what a database dump would show."""
    metadata = MetaData()
    with warnings.catch_warnings():  # an index on an expression (statistics by month) holds no row values
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index", SAWarning)
        metadata.reflect(db.engine)
    out = []
    with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                out.extend(str(v) for v in row)
    return "\n".join(out)


def _dump_files(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file())


def _found(haystack_text: str, haystack_bytes: bytes) -> list[str]:
    hits = [n for n in NEEDLES if n in haystack_text]
    hits += [n for n in NEEDLES if n.encode() in haystack_bytes]
    return hits


def _get_routes(app) -> list[str]:
    """GET routes of the JSON API whose parameters this test can fill."""
    return sorted(
        {
            ctx.path
            for ctx in iter_route_contexts(app.routes)
            if isinstance(ctx.original_route, APIRoute) and "GET" in ctx.methods and ctx.path.startswith("/api/v1")
        }
    )


def test_no_dump_and_no_route_reveals_a_bid_before_opening(db, app, client, clock, environment):
    w = tender_with_bidders(db)
    document = envelope.Document("技术标.txt", "text/plain", SECRET_TEXT.encode())
    kept = []
    for i, bidder in enumerate(w.bidders):
        price = SECRET_PRICE if i == 0 else f"49{i}0000.00"
        sealed = seal_for(w, bidder, price, documents=[document])
        with db.unit_of_work() as s:
            bid = service.submit(
                s,
                bidder,
                w.section_id,
                sealed.sealed,
                key_commitment=sealed.commitment,
                idempotency_key=sealed.idempotency_key,
            ).bid
            kept.append((bidder, sealed, bid.bid_no))

    # 1. the database and the file store, dumped whole
    assert _found(_dump_database(db), _dump_files(environment)) == []
    assert kept[0][1].key_text not in _dump_database(db)

    # 2. every role, the administrator included, through every GET route it can fill in
    from tests.builders import api_token

    fill = {"project_id": str(w.project_id), "section_id": str(w.section_id), "bid_no": kept[0][2], "seq": "0"}
    routes = [p for p in _get_routes(app) if all(("{" + k + "}") not in p or k in fill for k in _params(p))]
    assert "/api/v1/projects/{project_id}/opening" in routes
    for role in Role:
        person = actor(db, role, organisation_id=w.school if role in (Role.TENDERER,) else None)
        headers = api_token(client, person.username)
        for path in routes:
            response = client.get(
                path.format(**{k: v for k, v in fill.items() if "{" + k + "}" in path}), headers=headers
            )
            assert response.status_code < 500, path
            assert [n for n in NEEDLES if n in response.text] == [], (role, path)
    for path in ("/", f"/projects/{w.project_id}", "/ledger"):
        assert [n for n in NEEDLES if n in client.get(path).text] == []

    # 3. at opening, once the bidder reveals its key, the same scans find the price
    clock.advance(timedelta(days=30))
    tasks.tick(db)
    for bidder, sealed, bid_no in kept:
        with db.unit_of_work() as s:
            opening.reveal(s, bidder, bid_no, sealed.key_text)
    assert SECRET_PRICE in _dump_database(db)
    assert SECRET_TEXT.encode() in _dump_files(environment)
    assert SECRET_PRICE in client.get(f"/api/v1/projects/{w.project_id}/opening").text


def _params(path: str) -> list[str]:
    import re

    return re.findall(r"{(\w+)}", path)
