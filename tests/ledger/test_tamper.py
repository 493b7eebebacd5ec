"""Tampering with the log behind the platform's back, and catching it.

A log is built through the real services (organisations and users from tests/builders.py, direct
appends, heads signed by the tick). Each test then changes the database with raw SQL, as someone
with database access would, and checks that the verifier reports the right kind of problem: over
the live database (``verify_log``), through ``sunshine ledger verify``, and through an export
verified with ``sunshine ledger verify FILE``. Exported files are also edited by hand.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import bindparam, text
from typer.testing import CliRunner

from sunshine.cli import app
from sunshine.db import Database, UTCDateTime
from sunshine.identity.roles import Role
from sunshine.ledger import export, service
from sunshine.ledger import format as fmt
from sunshine.ledger.signing import platform_key
from sunshine.ledger.verify import EntryRecord, HeadRecord, VerifyReport, verify_log
from sunshine.tasks import tick
from tests.builders import make_org, make_user

HEADS = (4, 10, 12)  # sizes of the heads the fixture signs; the log has 12 entries, seq 0..11


# --------------------------------------------------------------------------------------------------
# The log, the CLI, and raw database access
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def log(db: Database, clock) -> Database:
    def step() -> None:
        clock.advance(timedelta(minutes=1))

    first = make_org(db, name="福州市第一建设工程有限公司")
    step()
    second = make_org(db, name="闽江路桥集团有限公司")
    step()
    make_user(db, Role.BIDDER, organisation_id=first)
    step()
    make_user(db, Role.TENDERER, organisation_id=second)
    step()
    assert tick(db).head_size == 4
    for i, title in enumerate(["招标公告", "澄清公告", "开标记录", "评标报告", "中标候选人公示", "中标结果公告"]):
        with db.unit_of_work() as s:
            service.append(
                s,
                "test:notice:published",
                f"project:{i % 2 + 1}",
                {"标题": title, "项目": "福州市鼓楼区道路改造工程", "序号": i},
            )
        step()
    assert tick(db).head_size == 10
    for i in range(2):
        with db.unit_of_work() as s:
            service.append(s, "test:contract:signed", "contract:1", {"合同金额": f"{1_234_567 + i}.00元"})
        step()
    assert tick(db).head_size == 12
    return db


@pytest.fixture
def cli(monkeypatch) -> Iterator[Callable]:
    """Runs the real command line against the test database (the environment fixture points
    SUNSHINE_DATABASE_URL and SUNSHINE_DATA_DIR at it); disposes the engines the commands open."""
    opened: list[Database] = []

    class TrackedDatabase(Database):
        def __init__(self, url: str) -> None:
            super().__init__(url)
            opened.append(self)

    monkeypatch.setattr("sunshine.cli_support.Database", TrackedDatabase)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "300"})

    yield run
    for database in opened:
        database.dispose()


ENTRY_COLUMNS = "seq, kind, subject, payload, payload_sha256, recorded_at, leaf_hash"


def read_entry(db: Database, seq: int) -> dict:
    stmt = text(f"SELECT {ENTRY_COLUMNS} FROM ledger_entry WHERE seq = :seq").columns(recorded_at=UTCDateTime())
    with db.engine.connect() as conn:
        return dict(conn.execute(stmt, {"seq": seq}).mappings().one())


def write_entry(db: Database, seq: int, **values) -> None:
    """UPDATE ledger_entry SET ... WHERE seq = :seq, with raw SQL."""
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    stmt = text(f"UPDATE ledger_entry SET {assignments} WHERE seq = :where_seq")
    if "recorded_at" in values:
        stmt = stmt.bindparams(bindparam("recorded_at", type_=UTCDateTime()))
    with db.engine.begin() as conn:
        assert conn.execute(stmt, {**values, "where_seq": seq}).rowcount == 1


def insert_entry(db: Database, **values) -> None:
    stmt = text(
        f"INSERT INTO ledger_entry ({ENTRY_COLUMNS}) VALUES "
        "(:seq, :kind, :subject, :payload, :payload_sha256, :recorded_at, :leaf_hash)"
    )
    with db.engine.begin() as conn:
        conn.execute(stmt.bindparams(bindparam("recorded_at", type_=UTCDateTime())), values)


def execute(db: Database, sql: str, **params) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def leaf_hash(seq: int, kind: str, subject: str, payload_sha256: str, recorded_at: datetime) -> str:
    data = fmt.leaf_input(seq, kind, subject, payload_sha256, fmt.iso_utc(recorded_at))
    return hashlib.sha256(b"\x00" + data).hexdigest()


def rewrite_consistently(db: Database, seq: int, **changes) -> None:
    """What an attacker who knows the formats does: change fields, then fix the digest and leaf hash."""
    row = {**read_entry(db, seq), **changes}
    row["payload_sha256"] = hashlib.sha256(row["payload"].encode()).hexdigest()
    row["leaf_hash"] = leaf_hash(seq, row["kind"], row["subject"], row["payload_sha256"], row["recorded_at"])
    del row["seq"]
    write_entry(db, seq, **row)


def shift_up_from(db: Database, seq: int) -> None:
    """Renumber entries seq.. to seq+1.. (in two steps, so no primary key collides on any backend)."""
    execute(db, "UPDATE ledger_entry SET seq = seq + 1000 WHERE seq >= :seq", seq=seq)
    execute(db, "UPDATE ledger_entry SET seq = seq - 999 WHERE seq >= :seq", seq=seq + 1000)


def forged_entry(seq: int, recorded_at: datetime) -> dict:
    payload = fmt.canonical_payload({"标题": "补录的中标结果公告", "中标人": "闽江路桥集团有限公司"}).decode()
    digest = hashlib.sha256(payload.encode()).hexdigest()
    return {
        "seq": seq,
        "kind": "test:notice:published",
        "subject": "project:1",
        "payload": payload,
        "payload_sha256": digest,
        "recorded_at": recorded_at,
        "leaf_hash": leaf_hash(seq, "test:notice:published", "project:1", digest, recorded_at),
    }


def sign_as(key: Ed25519PrivateKey, size: int, root_hash: str, signed_at: str, key_id: str) -> str:
    return base64.b64encode(key.sign(fmt.head_message(size, root_hash, signed_at, key_id))).decode()


def read_head(db: Database, size: int) -> dict:
    stmt = text("SELECT size, root_hash, signed_at, key_id, signature FROM ledger_tree_head WHERE size = :size")
    with db.engine.connect() as conn:
        row = dict(conn.execute(stmt.columns(signed_at=UTCDateTime()), {"size": size}).mappings().one())
    row["signed_at"] = fmt.iso_utc(row["signed_at"])
    return row


def live_report(db: Database) -> VerifyReport:
    with db.unit_of_work(read_only=True) as s:
        heads = list(export.iter_db_heads(s))
        return verify_log(export.iter_db_entries(s), heads, platform_key().public_bytes)


def kinds(report: VerifyReport) -> set[str]:
    return {p.kind for p in report.problems}


def found(report: VerifyReport, kind: str) -> list[int | None]:
    return [p.seq for p in report.problems if p.kind == kind]


# --------------------------------------------------------------------------------------------------
# Database tampering, one kind per scenario
# --------------------------------------------------------------------------------------------------


def payload_altered(db):
    row = read_entry(db, 5)
    write_entry(db, 5, payload=row["payload"].replace("澄清公告", "撤销公告"))


def payload_and_digest_altered(db):
    payload = read_entry(db, 5)["payload"].replace("澄清公告", "撤销公告")
    write_entry(db, 5, payload=payload, payload_sha256=hashlib.sha256(payload.encode()).hexdigest())


def payload_rewritten_consistently(db):
    rewrite_consistently(db, 5, payload=read_entry(db, 5)["payload"].replace("澄清公告", "撤销公告"))


def kind_altered(db):
    write_entry(db, 6, kind="test:notice:withdrawn")


def subject_altered(db):
    write_entry(db, 6, subject="project:99")


def recorded_at_altered(db):
    write_entry(db, 6, recorded_at=read_entry(db, 6)["recorded_at"] + timedelta(seconds=10))


def deleted_middle(db):
    execute(db, "DELETE FROM ledger_entry WHERE seq = 5")


def deleted_last(db):
    execute(db, "DELETE FROM ledger_entry WHERE seq = 11")


def deleted_under_a_forged_head(db):
    # Entries 3 and 4 removed; the head of size 4 (inside the gap) re-signed with a made-up signature.
    execute(db, "DELETE FROM ledger_entry WHERE seq IN (3, 4)")
    execute(
        db, "UPDATE ledger_tree_head SET signature = :sig WHERE size = 4", sig=base64.b64encode(b"\x01" * 64).decode()
    )


def _swap(db, a: int, b: int, *, recompute: bool) -> None:
    first, second = read_entry(db, a), read_entry(db, b)
    for seq, row in ((a, second), (b, first)):
        values = {k: v for k, v in row.items() if k != "seq"}
        if recompute:
            values["leaf_hash"] = leaf_hash(seq, row["kind"], row["subject"], row["payload_sha256"], row["recorded_at"])
        write_entry(db, seq, **values)


def swapped(db):
    _swap(db, 5, 8, recompute=False)


def swapped_and_rehashed(db):
    _swap(db, 5, 8, recompute=True)


def inserted(db):
    between = read_entry(db, 4)["recorded_at"] + timedelta(seconds=30)
    shift_up_from(db, 5)
    insert_entry(db, **forged_entry(5, between))


def inserted_and_rehashed(db):
    inserted(db)
    for seq in range(6, 13):
        rewrite_consistently(db, seq)


def back_dated(db):
    # Entry 7 claims to have been recorded before entry 6; the attacker fixes its leaf hash.
    rewrite_consistently(db, 7, recorded_at=read_entry(db, 6)["recorded_at"] - timedelta(hours=2))


def head_root_changed(db):
    execute(db, "UPDATE ledger_tree_head SET root_hash = :root WHERE size = 10", root="ab" * 32)


def head_signature_changed(db):
    # A perfectly valid signature - of another head.
    execute(db, "UPDATE ledger_tree_head SET signature = :sig WHERE size = 10", sig=read_head(db, 12)["signature"])


def head_signature_not_base64(db):
    execute(db, "UPDATE ledger_tree_head SET signature = 'not-a-signature!' WHERE size = 10")


def head_signed_by_another_key(db):
    other = Ed25519PrivateKey.generate()
    other_id = hashlib.sha256(other.public_key().public_bytes_raw()).hexdigest()
    head = read_head(db, 10)
    execute(
        db,
        "UPDATE ledger_tree_head SET key_id = :kid, signature = :sig WHERE size = 10",
        kid=other_id,
        sig=sign_as(other, 10, head["root_hash"], head["signed_at"], other_id),
    )


def history_rewritten_and_heads_resigned(db):
    """The full attack without the platform's private key: rewrite an entry consistently, recompute
    the roots of every head after it, and sign them with another key under the platform's key id."""
    rewrite_consistently(db, 5, payload=read_entry(db, 5)["payload"].replace("澄清公告", "撤销公告"))
    with db.unit_of_work(read_only=True) as s:
        leaves = [bytes.fromhex(leaf) for *_, leaf in export.iter_db_entries(s)]
    from sunshine.ledger import merkle

    other = Ed25519PrivateKey.generate()
    for size in (10, 12):
        head = read_head(db, size)
        root = merkle.root_from_leaf_hashes(leaves[:size]).hex()
        execute(
            db,
            "UPDATE ledger_tree_head SET root_hash = :root, signature = :sig WHERE size = :size",
            root=root,
            size=size,
            sig=sign_as(other, size, root, head["signed_at"], head["key_id"]),
        )


# (tamper, exact set of problem kinds, problems that must be among them, Chinese text in the report)
SCENARIOS = {
    "payload_altered": (payload_altered, {"altered"}, [("altered", 5)], "记录 5 的内容与其摘要不符"),
    "payload_and_digest_altered": (
        payload_and_digest_altered,
        {"altered", "root_mismatch"},
        [("altered", 5), ("root_mismatch", None)],
        "记录 5 的字段与其叶子哈希不符",
    ),
    "payload_rewritten_consistently": (
        payload_rewritten_consistently,
        {"root_mismatch"},
        [("root_mismatch", None)],
        "树头 10 的根哈希与重新计算的结果不符",
    ),
    "kind_altered": (kind_altered, {"altered", "root_mismatch"}, [("altered", 6)], "记录 6 的字段与其叶子哈希不符"),
    "subject_altered": (
        subject_altered,
        {"altered", "root_mismatch"},
        [("altered", 6)],
        "记录 6 的字段与其叶子哈希不符",
    ),
    "recorded_at_altered": (
        recorded_at_altered,
        {"altered", "root_mismatch"},
        [("altered", 6)],
        "记录 6 的字段与其叶子哈希不符",
    ),
    "deleted_middle": (deleted_middle, {"removed", "root_mismatch"}, [("removed", 5)], "记录 5 缺失（被删除）"),
    "deleted_last": (deleted_last, {"truncated"}, [("truncated", 12)], "树头 12 覆盖的记录在日志中缺失"),
    "deleted_under_a_forged_head": (
        deleted_under_a_forged_head,
        {"removed", "root_mismatch", "bad_signature"},
        [("removed", 3), ("bad_signature", None)],
        "树头 4 的签名无效",
    ),
    "swapped": (swapped, {"reordered", "root_mismatch"}, [("reordered", 5)], "记录 5 与记录 8 的内容被调换"),
    "swapped_and_rehashed": (
        swapped_and_rehashed,
        {"reordered", "root_mismatch"},
        [("reordered", 6)],
        "记录 6 的时间早于前一条",
    ),
    "inserted": (inserted, {"inserted", "root_mismatch"}, [("inserted", 6)], "其前被插入了 1 条记录"),
    "inserted_and_rehashed": (
        inserted_and_rehashed,
        {"root_mismatch"},
        [("root_mismatch", None)],
        "树头 12 的根哈希与重新计算的结果不符",
    ),
    "back_dated": (back_dated, {"reordered", "root_mismatch"}, [("reordered", 7)], "记录 7 的时间早于前一条"),
    "head_root_changed": (
        head_root_changed,
        {"root_mismatch", "bad_signature"},
        [("root_mismatch", None), ("bad_signature", None)],
        "树头 10 的签名无效",
    ),
    "head_signature_changed": (
        head_signature_changed,
        {"bad_signature"},
        [("bad_signature", None)],
        "树头 10 的签名无效",
    ),
    "head_signature_not_base64": (
        head_signature_not_base64,
        {"bad_signature"},
        [("bad_signature", None)],
        "树头 10 的签名无效",
    ),
    "head_signed_by_another_key": (
        head_signed_by_another_key,
        {"unknown_key"},
        [("unknown_key", None)],
        "树头 10 由未知密钥",
    ),
    "history_rewritten_and_heads_resigned": (
        history_rewritten_and_heads_resigned,
        {"bad_signature"},
        [("bad_signature", None)],
        "树头 12 的签名无效",
    ),
}


def test_clean_log_verifies(log, cli, tmp_path):
    report = live_report(log)
    assert report.ok, report.problems
    with log.unit_of_work(read_only=True) as s:
        head = service.latest_head(s)
    assert (report.entries, report.heads, report.root) == (12, 3, head.root_hash)

    result = cli("ledger", "verify")
    assert result.exit_code == 0, result.output
    assert f"校验通过：12 条记录，3 个签名树头，树根 {head.root_hash}" in result.output

    path = tmp_path / "ledger.jsonl"
    result = cli("ledger", "export", path)
    assert result.exit_code == 0, result.output
    assert "已导出 12 条记录" in result.output
    result = cli("ledger", "verify", path)
    assert result.exit_code == 0, result.output
    assert f"校验通过：12 条记录，3 个签名树头，树根 {head.root_hash}" in result.output


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_database_tampering_is_caught(log, cli, tmp_path, name):
    tamper, expected_kinds, must_include, text_shown = SCENARIOS[name]
    assert live_report(log).ok
    tamper(log)

    report = live_report(log)
    assert kinds(report) == expected_kinds, report.problems
    for kind, seq in must_include:
        assert seq in found(report, kind), (kind, seq, report.problems)
    assert any(text_shown in p.message for p in report.problems), report.problems

    result = cli("ledger", "verify")
    assert result.exit_code == 1, result.output
    assert f"发现 {len(report.problems)} 处问题" in result.output
    assert text_shown in result.output
    for kind in expected_kinds:
        assert kind in result.output

    path = tmp_path / "tampered.jsonl"
    assert cli("ledger", "export", path).exit_code == 0
    result = cli("ledger", "verify", path)
    assert result.exit_code == 1, result.output
    assert f"发现 {len(report.problems)} 处问题" in result.output
    assert text_shown in result.output


def test_specific_reports(log):
    """A closer look at what some reports say."""
    payload_rewritten_consistently(log)
    report = live_report(log)
    # Only the heads after the rewritten entry catch it; the head of size 4 is still fine.
    assert [p.message for p in report.problems] == [
        f"树头 {size} 的根哈希与重新计算的结果不符：前 {size} 条记录中有记录被修改、删除、插入或调换"
        for size in (10, 12)
    ]


def test_inclusion_proof_of_a_rewritten_entry_no_longer_verifies(log):
    """An outside verifier holding the signed head catches a consistent rewrite without the verifier
    tool: the proof served for the rewritten entry does not lead to the signed root."""
    from sunshine.ledger import merkle

    payload_rewritten_consistently(log)
    with log.unit_of_work(read_only=True) as s:
        head = service.head_at(s, 10)
        entry = service.get_entry(s, 5)
        proof = [bytes.fromhex(h) for h in service.inclusion_proof(s, 5, 10)]
    assert not merkle.verify_inclusion(bytes.fromhex(entry.leaf_hash), 5, 10, proof, bytes.fromhex(head.root_hash))


def test_unsigned_tail_is_checked_only_for_consistency(log, clock):
    """Entries after the last signed head are covered by no signature: deleting the newest unsigned
    entry cannot be detected until a head covers it; altering it without fixing hashes still is."""
    with log.unit_of_work() as s:
        for i in range(2):
            service.append(s, "test:late:entry", f"late:{i}", {"i": i})
    execute(log, "DELETE FROM ledger_entry WHERE seq = 13")
    assert live_report(log).ok
    payload_altered_row = read_entry(log, 12)
    write_entry(log, 12, payload=payload_altered_row["payload"].replace("0", "1"))
    assert kinds(live_report(log)) == {"altered"}


# --------------------------------------------------------------------------------------------------
# Any tampering under a signed head is reported (in memory, random logs)
# --------------------------------------------------------------------------------------------------

_KEY = Ed25519PrivateKey.generate()
_KEY_RAW = _KEY.public_key().public_bytes_raw()
_KEY_ID = hashlib.sha256(_KEY_RAW).hexdigest()


def _record(seq: int, payload: str, recorded_at: str, kind: str = "test:kind") -> EntryRecord:
    digest = hashlib.sha256(payload.encode()).hexdigest()
    leaf = hashlib.sha256(b"\x00" + fmt.leaf_input(seq, kind, f"s:{seq % 3}", digest, recorded_at)).hexdigest()
    return EntryRecord(seq, kind, f"s:{seq % 3}", payload, digest, recorded_at, leaf)


def _random_log(size: int, head_sizes: set[int]) -> tuple[list[EntryRecord], list[HeadRecord]]:
    from sunshine.ledger import merkle

    records = [
        _record(i, f'{{"i":{i},"名称":"公告{i}"}}', f"2026-11-23T01:{i // 60:02d}:{i % 60:02d}.000000Z")
        for i in range(size)
    ]
    leaves = [bytes.fromhex(r.leaf_hash) for r in records]
    heads = []
    for n in sorted(head_sizes | {size}):
        root = merkle.root_from_leaf_hashes(leaves[:n]).hex()
        heads.append(
            HeadRecord(
                n,
                root,
                "2026-11-23T02:00:00.000000Z",
                _KEY_ID,
                sign_as(_KEY, n, root, "2026-11-23T02:00:00.000000Z", _KEY_ID),
            )
        )
    return records, heads


def _rehash(r: EntryRecord, **changes) -> EntryRecord:
    values = {**r._asdict(), **changes}
    return _record(values["seq"], values["payload"], values["recorded_at"], values["kind"])


MUTATIONS = {
    "payload": lambda rs, i, j: rs.__setitem__(i, rs[i]._replace(payload='{"i":-1}')),
    "payload_rehashed": lambda rs, i, j: rs.__setitem__(i, _rehash(rs[i], payload='{"i":-1}')),
    "kind": lambda rs, i, j: rs.__setitem__(i, rs[i]._replace(kind="test:other")),
    "kind_rehashed": lambda rs, i, j: rs.__setitem__(i, _rehash(rs[i], kind="test:other")),
    "time_rehashed": lambda rs, i, j: rs.__setitem__(i, _rehash(rs[i], recorded_at="2026-11-23T00:59:59.000000Z")),
    "leaf": lambda rs, i, j: rs.__setitem__(i, rs[i]._replace(leaf_hash="0" * 64)),
    "delete": lambda rs, i, j: rs.pop(i),
    "duplicate": lambda rs, i, j: rs.insert(i, rs[i]),
    "move_line": lambda rs, i, j: rs.insert(j, rs.pop(i)),
    "swap_contents": lambda rs, i, j: (
        rs.__setitem__(i, rs[j]._replace(seq=rs[i].seq)),
        rs.__setitem__(j, rs[i]._replace(seq=rs[j].seq)),
    ),
    "renumber_after_delete": lambda rs, i, j: rs.__setitem__(
        slice(i, None), [r._replace(seq=r.seq - 1) for r in rs[i + 1 :]]
    ),
    "insert_renumbered": lambda rs, i, j: rs.__setitem__(
        slice(i, None), [_record(i, '{"forged":true}', rs[i].recorded_at)] + [r._replace(seq=r.seq + 1) for r in rs[i:]]
    ),
}


@settings(max_examples=300, deadline=None)
@given(
    size=st.integers(min_value=2, max_value=40),
    extra_heads=st.sets(st.integers(min_value=1, max_value=40), max_size=4),
    mutation=st.sampled_from(sorted(MUTATIONS)),
    data=st.data(),
)
def test_any_tampering_under_a_signed_head_is_reported(size, extra_heads, mutation, data):
    records, heads = _random_log(size, {h for h in extra_heads if h < size})
    assert verify_log(records, heads, _KEY_RAW).ok
    i = data.draw(st.integers(min_value=0, max_value=size - 1), label="i")
    j = data.draw(st.integers(min_value=0, max_value=size - 1).filter(lambda j: j != i), label="j")
    tampered = list(records)
    MUTATIONS[mutation](tampered, i, j)
    assume(tampered != records)
    report = verify_log(tampered, heads, _KEY_RAW)
    assert not report.ok, (mutation, i, j)
    assert all(
        p.kind in {"altered", "removed", "inserted", "reordered", "root_mismatch", "truncated"} for p in report.problems
    )


# --------------------------------------------------------------------------------------------------
# Export files edited by hand
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def exported(log, cli, tmp_path) -> Path:
    path = tmp_path / "ledger.jsonl"
    result = cli("ledger", "export", path)
    assert result.exit_code == 0, result.output
    return path


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_lines(path: Path, items: list[dict]) -> None:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")


def entry_index(items: list[dict], seq: int) -> int:
    return next(i for i, item in enumerate(items) if item["type"] == "entry" and item["seq"] == seq)


def head_index(items: list[dict], size: int) -> int:
    return next(i for i, item in enumerate(items) if item["type"] == "head" and item["size"] == size)


def edit_payload(items):
    item = items[entry_index(items, 5)]
    item["payload"] = item["payload"].replace("澄清公告", "撤销公告")


def drop_entry(items):
    del items[entry_index(items, 5)]


def drop_last_entry(items):
    del items[entry_index(items, 11)]


def swap_lines(items):
    a, b = entry_index(items, 5), entry_index(items, 8)
    items[a], items[b] = items[b], items[a]


def duplicate_line(items):
    i = entry_index(items, 5)
    items.insert(i + 1, dict(items[i]))


def insert_and_renumber(items):
    i = entry_index(items, 5)
    for item in items[i:]:
        if item["type"] == "entry":
            item["seq"] += 1
    forged = forged_entry(
        5, datetime.fromisoformat(items[i - 1]["recorded_at"].replace("Z", "+00:00")) + timedelta(seconds=30)
    )
    forged["recorded_at"] = fmt.iso_utc(forged["recorded_at"])
    items.insert(i, {"type": "entry", **forged})


def edit_head_root(items):
    items[head_index(items, 10)]["root_hash"] = "cd" * 32


def edit_head_signature(items):
    items[head_index(items, 10)]["signature"] = items[head_index(items, 12)]["signature"]


def replace_header_key(items):
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    items[0]["public_key"] = base64.b64encode(other).decode()


FILE_EDITS = {
    "payload": (edit_payload, {"altered"}, "记录 5 的内容与其摘要不符"),
    "entry_removed": (drop_entry, {"removed", "root_mismatch"}, "记录 5 缺失（被删除）"),
    "last_entry_removed": (drop_last_entry, {"truncated"}, "树头 12 覆盖的记录在日志中缺失"),
    "lines_swapped": (swap_lines, {"reordered", "removed", "inserted", "root_mismatch"}, "记录 6 的时间早于前一条"),
    "line_duplicated": (duplicate_line, {"inserted", "root_mismatch"}, "记录序号 5 重复或顺序错乱"),
    "inserted_and_renumbered": (insert_and_renumber, {"inserted", "root_mismatch"}, "其前被插入了 1 条记录"),
    "head_root": (edit_head_root, {"root_mismatch", "bad_signature"}, "树头 10 的签名无效"),
    "head_signature": (edit_head_signature, {"bad_signature"}, "树头 10 的签名无效"),
    "header_key": (replace_header_key, {"unknown_key"}, "树头 4 由未知密钥"),
}


@pytest.mark.parametrize("name", list(FILE_EDITS))
def test_edited_export_is_caught(exported, cli, name):
    edit, expected_kinds, text_shown = FILE_EDITS[name]
    items = read_lines(exported)
    edit(items)
    write_lines(exported, items)

    export_file = export.ExportFile(exported)
    report = verify_log(export_file.entries(), export_file.heads(), export_file.public_key)
    assert kinds(report) == expected_kinds, report.problems

    result = cli("ledger", "verify", exported)
    assert result.exit_code == 1, result.output
    assert f"发现 {len(report.problems)} 处问题" in result.output
    assert text_shown in result.output


def test_export_rewritten_by_another_json_tool_still_verifies(exported, cli):
    """The reader does not depend on how write_export lays out a line (key order, escapes)."""
    items = read_lines(exported)
    lines = [json.dumps(item, sort_keys=True) for item in items]  # "type" no longer first, \\u escapes
    lines[3] = lines[3].replace('"type": "entry"', '"type": "\\u0065ntry"')
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("ledger", "verify", exported)
    assert result.exit_code == 0, result.output
    assert "校验通过：12 条记录，3 个签名树头" in result.output


def test_line_cut_inside_its_type_is_an_error(exported, cli):
    lines = exported.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = '{"type": "ent\n'
    exported.write_text("".join(lines), encoding="utf-8")
    result = cli("ledger", "verify", exported)
    assert result.exit_code == 1, result.output
    assert "第 6 行不是有效的 JSON" in result.output


def test_export_format(exported, log):
    items = read_lines(exported)
    key = platform_key()
    assert items[0] == {
        "type": "header",
        "format": "sunshine-ledger-export/1",
        "log_id": "sunshine-ledger-v1",
        "algorithm": "Ed25519",
        "public_key": base64.b64encode(key.public_bytes).decode(),
        "key_id": key.key_id,
    }
    entries = [i for i in items if i["type"] == "entry"]
    heads = [i for i in items if i["type"] == "head"]
    assert [e["seq"] for e in entries] == list(range(12))
    assert [h["size"] for h in heads] == list(HEADS)
    assert items == [items[0], *entries, *heads]  # header, entries in order, then heads
    assert set(entries[0]) == {
        "type",
        "seq",
        "kind",
        "subject",
        "payload",
        "payload_sha256",
        "recorded_at",
        "leaf_hash",
    }
    assert set(heads[0]) == {"type", "size", "root_hash", "signed_at", "key_id", "signature"}
    assert "福州市鼓楼区道路改造工程" in exported.read_text(encoding="utf-8")  # UTF-8, not \\u escapes
    with log.unit_of_work(read_only=True) as s:
        assert entries[5]["payload"] == service.get_entry(s, 5).payload


# --------------------------------------------------------------------------------------------------
# Files that are not exports
# --------------------------------------------------------------------------------------------------


def _header() -> str:
    key = platform_key()
    return (
        json.dumps(
            {
                "type": "header",
                "format": "sunshine-ledger-export/1",
                "log_id": "sunshine-ledger-v1",
                "algorithm": "Ed25519",
                "public_key": base64.b64encode(key.public_bytes).decode(),
                "key_id": key.key_id,
            }
        )
        + "\n"
    )


BAD_FILES = {
    "empty": (lambda: b"", "首行不是 JSON"),
    "text": (lambda: "这不是导出文件\n".encode(), "首行不是 JSON"),
    "other_json": (lambda: b'{"format": "something-else/1"}\n', "不是留痕日志导出文件"),
    "json_array": (lambda: b"[1, 2, 3]\n", "不是留痕日志导出文件"),
    "binary": (lambda: b"\xff\xfe\x00\x01\x89PNG\r\n", "不是 UTF-8"),
    "bad_key": (lambda: _header().replace('"public_key": "', '"public_key": "!!').encode(), "公钥"),
    "short_key": (lambda: json.dumps({"format": "sunshine-ledger-export/1", "public_key": "AAAA"}).encode(), "公钥"),
    "no_key": (lambda: b'{"format": "sunshine-ledger-export/1"}\n', "第 1 行缺少字段 public_key"),
    "broken_line": (lambda: (_header() + '{"type": "entry", "seq": 0, \n').encode(), "第 2 行不是有效的 JSON"),
    "not_an_object": (lambda: (_header() + "[]\n").encode(), "第 2 行不是 JSON 对象"),
    "missing_field": (lambda: (_header() + '{"type": "entry", "seq": 0}\n').encode(), "第 2 行缺少字段 kind"),
    "wrong_type": (
        lambda: (
            _header()
            + json.dumps(
                {
                    "type": "entry",
                    "seq": "0",
                    "kind": "k",
                    "subject": "s",
                    "payload": "{}",
                    "payload_sha256": "0",
                    "recorded_at": "t",
                }
            )
            + "\n"
        ).encode(),
        "第 2 行的字段 seq 类型不正确",
    ),
    "bad_head": (lambda: (_header() + '{"type": "head", "size": 1}\n').encode(), "第 2 行缺少字段 root_hash"),
    "non_utf8_later": (lambda: (_header() + "\n").encode() + b"\xff\xff\n", "UTF-8"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_file_that_is_not_an_export_gives_a_clear_error(cli, tmp_path, name):
    content, message = BAD_FILES[name]
    path = tmp_path / "file.jsonl"
    path.write_bytes(content())
    result = cli("ledger", "verify", path)
    assert result.exit_code == 1, result.output
    assert "错误：导出文件无法读取" in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_truncated_export_gives_a_clear_error(exported, cli):
    content = exported.read_bytes()
    exported.write_bytes(content[: len(content) // 2])  # cut in the middle of a line
    result = cli("ledger", "verify", exported)
    assert result.exit_code == 1, result.output
    assert "行不是有效的 JSON" in result.output
    assert isinstance(result.exception, SystemExit)


def test_missing_file_or_directory(cli, tmp_path):
    result = cli("ledger", "verify", tmp_path / "nothing.jsonl")
    assert result.exit_code == 1
    assert "文件不存在" in result.output
    result = cli("ledger", "verify", tmp_path)
    assert result.exit_code == 1
    assert "无法读取" in result.output
    assert isinstance(result.exception, SystemExit)


def test_export_resigned_with_another_key_is_caught_with_a_trusted_key(db, tmp_path):
    """Whoever holds an export could re-sign it with a key of their own; --key pins the platform's."""
    import base64
    import json

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from typer.testing import CliRunner

    from sunshine.cli import app as cli
    from sunshine.ledger import format as fmt
    from sunshine.ledger import service as ledger
    from sunshine.ledger.signing import platform_key

    with db.unit_of_work() as s:
        ledger.append(s, "test:entry:made", "thing:1", {"n": 1})
        ledger.sign_head(s)
    export = tmp_path / "ledger.jsonl"
    assert CliRunner().invoke(cli, ["ledger", "export", str(export)]).exit_code == 0
    forger = Ed25519PrivateKey.generate()
    raw = forger.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    import hashlib

    key_id = hashlib.sha256(raw).hexdigest()
    lines = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    for item in lines:
        if item["type"] == "header":
            item["public_key"], item["key_id"] = base64.b64encode(raw).decode(), key_id
        if item["type"] == "head":
            item["key_id"] = key_id
            item["signature"] = base64.b64encode(
                forger.sign(fmt.head_message(item["size"], item["root_hash"], item["signed_at"], key_id))
            ).decode()
    export.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in lines) + "\n", encoding="utf-8")

    trusting_the_file = CliRunner().invoke(cli, ["ledger", "verify", str(export)])
    assert trusting_the_file.exit_code == 0
    assert "请与平台公布的密钥标识核对" in trusting_the_file.output.replace("\n", "")
    platform = base64.b64encode(platform_key().public_bytes).decode()
    pinned = CliRunner().invoke(cli, ["ledger", "verify", str(export), "--key", platform])
    assert pinned.exit_code == 1
    assert "未知密钥" in pinned.output.replace("\n", "")
