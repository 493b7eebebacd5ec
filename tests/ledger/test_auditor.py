"""The ledger for outside auditors: the listing of signed heads (paged, in size order), the time rules (a head
is signed at or after every entry it covers; heads in size order are in time order) enforced when signing even
if the clock steps back, and told by the verifier when an exported log breaks them; empty consistency proofs;
the ledger answers typed in the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sunshine.ledger import format as fmt
from sunshine.ledger import service
from sunshine.ledger.models import LedgerEntry
from sunshine.ledger.signing import platform_key
from sunshine.ledger.verify import HeadRecord, records_from_rows, verify_log

API = "/api/v1/ledger"


def _grow(db, clock, sizes, *, step=timedelta(seconds=30)):
    """Entries one by one, a head signed at each of ``sizes``."""
    n = 0
    for size in sizes:
        while n < size:
            with db.unit_of_work() as s:
                service.append(s, "trading:notice:published", f"project:{n % 3 + 1}", {"序号": n})
            n += 1
            clock.advance(step)
        with db.unit_of_work() as s:
            service.sign_head(s)


def test_heads_are_listed_in_size_order_a_page_at_a_time(client, db, clock):
    _grow(db, clock, [1, 2, 4, 7, 9])
    first = client.get(f"{API}/heads", params={"limit": 2}).json()
    assert [h["size"] for h in first["heads"]] == [1, 2]
    sizes = [h["size"] for h in first["heads"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get(f"{API}/heads", params={"limit": 2, "cursor": cursor}).json()
        sizes += [h["size"] for h in page["heads"]]
        cursor = page["next_cursor"]
    assert sizes == [1, 2, 4, 7, 9]
    listed = client.get(f"{API}/heads").json()["heads"][-1]
    assert listed == client.get(f"{API}/heads/9").json() == client.get(f"{API}/head").json()
    bad = client.get(f"{API}/heads", params={"cursor": "nonsense"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_cursor"
    # empty consistency proofs are answered, as documented: from the empty tree, and from a tree to itself
    empty = client.get(f"{API}/consistency", params={"first": 0, "second": 4}).json()
    assert empty["proof"] == [] and empty["first_head"] is None and empty["second_head"]["size"] == 4
    same = client.get(f"{API}/consistency", params={"first": 7, "second": 7}).json()
    assert same["proof"] == [] and same["first_head"] == same["second_head"]


def test_heads_honour_the_time_rules_even_when_the_clock_steps_back(client, db, clock):
    _grow(db, clock, [2, 3])
    clock.advance(-timedelta(days=20))  # a loader walking history, or a server whose clock stepped back
    _grow(db, clock, [5, 6])
    heads = client.get(f"{API}/heads").json()["heads"]
    times = [h["signed_at"] for h in heads]
    assert times == sorted(times), "heads in size order are in time order"
    entries = client.get(f"{API}/entries").json()["entries"]
    for head in heads:
        assert head["signed_at"] >= entries[head["size"] - 1]["recorded_at"], head
    with db.unit_of_work(read_only=True) as s:
        rows = list(s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq)))
        records = list(records_from_rows(rows))
    key = platform_key()
    report = verify_log(
        records, [HeadRecord(**{k: h[k] for k in HeadRecord.__annotations__}) for h in heads], key.public_bytes
    )
    assert report.ok, report.problems


def test_the_verifier_tells_a_head_signed_before_its_entries_or_out_of_order(db, clock):
    _grow(db, clock, [2, 4])
    key = platform_key()
    with db.unit_of_work(read_only=True) as s:
        records = list(records_from_rows(s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq))))

    def head(size: int, signed_at: str) -> HeadRecord:
        from sunshine.ledger import merkle

        root = merkle.root_from_leaf_hashes([bytes.fromhex(r.leaf_hash) for r in records[:size]]).hex()
        signature = key.sign(fmt.head_message(size, root, signed_at, key.key_id))
        return HeadRecord(size, root, signed_at, key.key_id, signature)

    early = head(2, "2000-01-01T00:00:00.000000Z")  # validly signed, but before the entries it covers
    late = head(4, records[-1].recorded_at)
    report = verify_log(records, [early, late], key.public_bytes)
    kinds = {p.kind for p in report.problems}
    assert "signed_early" in kinds
    backwards = verify_log(records, [head(2, "2999-01-01T00:00:00.000000Z"), late], key.public_bytes)
    assert "head_time" in {p.kind for p in backwards.problems}


def test_ledger_answers_are_typed_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert f"{API}/heads" in paths
    for path in (
        f"{API}/head",
        f"{API}/heads",
        f"{API}/heads/{{size}}",
        f"{API}/entries/{{seq}}/proof",
        f"{API}/consistency",
    ):
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema, (path, schema)
    head = doc["components"]["schemas"]["HeadOut"]["properties"]
    assert "不早于其覆盖的任何一条记录" in head["signed_at"]["description"]
    assert "404" in paths[f"{API}/entries/{{seq}}/proof"]["get"]["responses"]
