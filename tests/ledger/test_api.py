"""The public ledger API, checked the way an outsider would check it.

The verifier at the top of this file uses only hashlib, base64, json and cryptography, and the
formats documented in docs/ledger.md: it does not import anything from sunshine. The tests compare
it with sunshine.ledger.merkle too, and run the example verifier printed in docs/ledger.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key
from sqlalchemy import text

from sunshine.identity.roles import Role
from sunshine.ledger import merkle, service
from sunshine.tasks import tick
from tests.builders import make_org, make_user

API = "/api/v1/ledger"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "ledger.md"

# --------------------------------------------------------------------------------------------------
# An independent verifier: hashlib + cryptography and the documented formats, nothing else.
# --------------------------------------------------------------------------------------------------


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def canonical_json(value) -> bytes:
    """RFC 8785 for payloads of strings, integers, booleans, null, lists and objects (all the log holds)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def leaf_input(entry: dict) -> bytes:
    return (
        f"sunshine-ledger-v1|{entry['seq']}|{entry['kind']}|{entry['subject']}|"
        f"{entry['payload_sha256']}|{entry['recorded_at']}"
    ).encode()


def head_message(head: dict) -> bytes:
    return (
        f"sunshine-ledger-v1|tree-head|{head['size']}|{head['root_hash']}|{head['signed_at']}|{head['key_id']}"
    ).encode()


def head_signature_ok(head: dict, public_key: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(base64.b64decode(head["signature"]), head_message(head))
    except InvalidSignature:
        return False
    return head["key_id"] == hashlib.sha256(public_key).hexdigest()


def root_from_inclusion(leaf: bytes, index: int, size: int, path: list[bytes]) -> bytes | None:
    """RFC 9162 §2.1.3.2; None if the path has the wrong length for (index, size)."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn % 2 == 1 or fn == sn:
            r = _h(b"\x01" + p + r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _h(b"\x01" + r + p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def consistent(first: int, second: int, first_root: bytes, second_root: bytes, path: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2."""
    if first == second:
        return not path and first_root == second_root
    if first == 0:
        return not path
    if not path or first > second:
        return False
    if first & (first - 1) == 0:
        path = [first_root, *path]
    fn, sn = first - 1, second - 1
    while fn % 2 == 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr, sr = _h(b"\x01" + c + fr), _h(b"\x01" + c + sr)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _h(b"\x01" + sr + c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


# --------------------------------------------------------------------------------------------------
# The log under test
# --------------------------------------------------------------------------------------------------

HEAD_SIZES = (1, 3, 8, 13, 20)


@pytest.fixture
def log(db, clock):
    """20 entries from real services, heads signed by the tick at HEAD_SIZES, one entry unsigned."""
    org = make_org(db, name="福州市第一建设工程有限公司")
    clock.advance(timedelta(minutes=1))
    tick(db)
    make_user(db, Role.BIDDER, organisation_id=org, username="zhangsan")
    make_user(db, Role.TENDERER, username="lisi")
    clock.advance(timedelta(minutes=1))
    tick(db)
    for i in range(17):
        with db.unit_of_work() as s:
            service.append(
                s,
                "test:notice:published",
                f"project:{i % 3 + 1}",
                {"标题": f"第{i}号公告", "项目": "福州市鼓楼区道路改造工程", "序号": i},
            )
        clock.advance(timedelta(seconds=30))
        if 3 + i + 1 in HEAD_SIZES:
            tick(db)
    with db.unit_of_work() as s:
        service.append(s, "test:notice:published", "project:9", {"标题": "尚未签名"})
    return db


@pytest.fixture
def public_key(client) -> bytes:
    return base64.b64decode(client.get(f"{API}/key").json()["public_key"])


def assert_problem(response, status: int, code: str, detail: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert re.search(r"[\u4e00-\u9fff]", body["detail"]), body  # a Chinese message
    if detail is not None:
        assert detail in body["detail"], body
    return body


# --------------------------------------------------------------------------------------------------
# Key and heads
# --------------------------------------------------------------------------------------------------


def test_key(client):
    response = client.get(f"{API}/key")
    assert response.status_code == 200
    body = response.json()
    raw = base64.b64decode(body["public_key"])
    assert body["algorithm"] == "Ed25519"
    assert body["log_id"] == "sunshine-ledger-v1"
    assert len(raw) == 32
    assert body["key_id"] == hashlib.sha256(raw).hexdigest()
    pem_key = load_pem_public_key(body["public_key_pem"].encode())
    assert pem_key.public_bytes(Encoding.Raw, PublicFormat.Raw) == raw
    pem = client.get(f"{API}/key.pem")
    assert pem.status_code == 200
    assert pem.text == body["public_key_pem"]


def test_no_head_yet(client):
    assert_problem(client.get(f"{API}/head"), 404, "not_found", "留痕日志尚无签名树头")


def test_heads_are_signed_by_the_published_key(client, log, public_key):
    latest = client.get(f"{API}/head").json()
    assert latest["size"] == 20
    assert set(latest) == {"log_id", "size", "root_hash", "signed_at", "key_id", "signature"}
    for size in HEAD_SIZES:
        response = client.get(f"{API}/heads/{size}")
        assert response.status_code == 200
        head = response.json()
        assert head["size"] == size
        assert head_signature_ok(head, public_key)
        assert not head_signature_ok({**head, "size": size + 1}, public_key)
        assert not head_signature_ok({**head, "root_hash": "00" * 32}, public_key)
    assert client.get(f"{API}/heads/20").json() == latest


def test_a_size_without_a_head_is_not_found(client, log):
    for size in (2, 21, 0, -1, 99999999999999999999):
        assert_problem(client.get(f"{API}/heads/{size}"), 404, "not_found", f"没有大小为 {size} 的签名树头")


# --------------------------------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------------------------------


def test_entries_page_through_the_whole_log(client, log):
    seen, start, pages = [], 0, 0
    while start is not None:
        body = client.get(f"{API}/entries", params={"start": start, "limit": 6}).json()
        assert len(body["entries"]) <= 6
        seen += body["entries"]
        start = body["next_start"]
        pages += 1
    assert pages == 4  # 6 + 6 + 6 + 3
    assert [e["seq"] for e in seen] == list(range(21))
    assert seen[0]["kind"] == "identity:organisation:registered"
    assert seen[0]["payload"]["name"] == "福州市第一建设工程有限公司"
    for entry in seen:
        assert hashlib.sha256(canonical_json(entry["payload"])).hexdigest() == entry["payload_sha256"]
        assert hashlib.sha256(b"\x00" + leaf_input(entry)).hexdigest() == entry["leaf_hash"]
    default = client.get(f"{API}/entries").json()
    assert [e["seq"] for e in default["entries"]] == list(range(21))
    assert default["next_start"] is None


def test_entries_filtered_by_subject(client, log):
    body = client.get(f"{API}/entries", params={"subject": "project:2"}).json()
    assert [e["seq"] for e in body["entries"]] == [4, 7, 10, 13, 16, 19]
    assert {e["subject"] for e in body["entries"]} == {"project:2"}
    first = client.get(f"{API}/entries", params={"subject": "project:2", "limit": 4}).json()
    assert [e["seq"] for e in first["entries"]] == [4, 7, 10, 13]
    rest = client.get(
        f"{API}/entries", params={"subject": "project:2", "limit": 4, "start": first["next_start"]}
    ).json()
    assert [e["seq"] for e in rest["entries"]] == [16, 19]
    assert rest["next_start"] is None
    assert client.get(f"{API}/entries", params={"subject": "project:404"}).json() == {"entries": [], "next_start": None}


def test_single_entry(client, log):
    response = client.get(f"{API}/entries/5")
    assert response.status_code == 200
    entry = response.json()
    assert entry == {
        "seq": 5,
        "kind": "test:notice:published",
        "subject": "project:3",
        "payload": {"标题": "第2号公告", "项目": "福州市鼓楼区道路改造工程", "序号": 2},
        "payload_sha256": entry["payload_sha256"],
        "recorded_at": entry["recorded_at"],
        "leaf_hash": entry["leaf_hash"],
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", entry["recorded_at"])
    assert hashlib.sha256(canonical_json(entry["payload"])).hexdigest() == entry["payload_sha256"]


BAD_ENTRY_REQUESTS = [
    (f"{API}/entries/abc", 422, "invalid_input", "seq：应为整数"),
    (f"{API}/entries/1.5", 422, "invalid_input", "应为整数"),
    (f"{API}/entries/abc/proof", 422, "invalid_input", "seq：应为整数"),
    (f"{API}/heads/abc", 422, "invalid_input", "size：应为整数"),
    (f"{API}/entries/21", 404, "not_found", "留痕记录 21 不存在"),
    (f"{API}/entries/-1", 404, "not_found", "留痕记录 -1 不存在"),
    (f"{API}/entries/99999999999999999999", 404, "not_found", "不存在"),
    (f"{API}/entries/99/proof", 404, "not_found", "留痕记录 99 不存在"),
    (f"{API}/entries?limit=0", 422, "invalid_input", "limit：不得小于 1"),
    (f"{API}/entries?limit=1001", 422, "invalid_input", "limit：不得大于 1000"),
    (f"{API}/entries?start=-1", 422, "invalid_input", "start：不得小于 0"),
    (f"{API}/entries?start=99999999999999999999", 422, "invalid_input", "start：不得大于"),
    (f"{API}/entries?start=x", 422, "invalid_input", "start：应为整数"),
]


def test_bad_entry_requests(client, log):
    # One log for all cases (building it is the slow part); the URL names the failing case.
    for url, status, code, detail in BAD_ENTRY_REQUESTS:
        body = assert_problem(client.get(url), status, code, detail)
        assert body["instance"] == url.split("?")[0], url


# --------------------------------------------------------------------------------------------------
# Inclusion proofs
# --------------------------------------------------------------------------------------------------


def test_every_inclusion_proof_verifies_independently(client, log, public_key):
    fits_another_size = []
    for size in HEAD_SIZES:
        for seq in range(size):
            response = client.get(f"{API}/entries/{seq}/proof", params={"tree_size": size})
            assert response.status_code == 200, response.text
            proof = response.json()
            head, entry = proof["head"], proof["entry"]
            assert (proof["leaf_index"], proof["tree_size"], head["size"]) == (seq, size, size)
            assert head_signature_ok(head, public_key)
            # The leaf input is rebuilt from the entry, not trusted from the response.
            assert hashlib.sha256(canonical_json(entry["payload"])).hexdigest() == entry["payload_sha256"]
            assert leaf_input(entry).decode() == proof["leaf_input"]
            leaf = _h(b"\x00" + leaf_input(entry))
            path = [bytes.fromhex(h) for h in proof["audit_path"]]
            root = bytes.fromhex(head["root_hash"])
            assert root_from_inclusion(leaf, seq, size, path) == root
            assert merkle.verify_inclusion(leaf, seq, size, path, root)
            if path:
                assert root_from_inclusion(leaf, seq, size, path[:-1]) is None
                assert root_from_inclusion(leaf, seq ^ 1, size, path) != root
            if root_from_inclusion(leaf, seq, size + 1, path) == root:
                fits_another_size.append((seq, size))
    # The RFC 9162 caveat: a proof alone does not fix the tree size (entry 0's path in the tree of 3
    # also "verifies" for 4 leaves). That is why the size must come from a signed head.
    assert (0, 3) in fits_another_size


def test_proof_defaults_to_the_latest_head(client, log):
    proof = client.get(f"{API}/entries/4/proof").json()
    assert proof["tree_size"] == 20
    assert proof["head"] == client.get(f"{API}/head").json()


def test_proof_of_an_entry_no_head_covers_yet(client, log):
    assert_problem(client.get(f"{API}/entries/20/proof"), 404, "not_found", "尚未被签名树头覆盖")
    assert_problem(client.get(f"{API}/entries/5/proof?tree_size=3"), 404, "not_found", "尚未被签名树头覆盖")


def test_bad_proof_requests(client, log):
    for query, status, detail in [
        ("tree_size=7", 404, "没有大小为 7 的签名树头"),
        ("tree_size=0", 422, "tree_size：不得小于 1"),
        ("tree_size=abc", 422, "tree_size：应为整数"),
        ("tree_size=99999999999999999999", 404, "签名树头"),
    ]:
        assert_problem(
            client.get(f"{API}/entries/2/proof?{query}"),
            status,
            "not_found" if status == 404 else "invalid_input",
            detail,
        )


def test_proof_no_longer_verifies_after_a_consistent_rewrite(client, log, db, public_key):
    """Someone with database access rewrites entry 5 and fixes its digest and leaf hash. The signed
    head still holds the old root, so an outsider's check of the served proof fails."""
    body = client.get(f"{API}/entries/5").json()
    body["payload"]["标题"] = "被篡改的公告"
    payload = canonical_json(body["payload"])
    body["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    body["leaf_hash"] = hashlib.sha256(b"\x00" + leaf_input(body)).hexdigest()
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE ledger_entry SET payload = :p, payload_sha256 = :d, leaf_hash = :l WHERE seq = 5"),
            {"p": payload.decode(), "d": body["payload_sha256"], "l": body["leaf_hash"]},
        )
    proof = client.get(f"{API}/entries/5/proof", params={"tree_size": 8}).json()
    assert proof["entry"]["payload"]["标题"] == "被篡改的公告"
    assert head_signature_ok(proof["head"], public_key)  # the head is genuine ...
    leaf = _h(b"\x00" + leaf_input(proof["entry"]))
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    assert root_from_inclusion(leaf, 5, 8, path) != bytes.fromhex(proof["head"]["root_hash"])  # ... and disagrees


# --------------------------------------------------------------------------------------------------
# Consistency proofs
# --------------------------------------------------------------------------------------------------


def test_every_consistency_proof_verifies_independently(client, log, public_key):
    for second in HEAD_SIZES:
        for first in (0, *[s for s in HEAD_SIZES if s <= second]):
            response = client.get(f"{API}/consistency", params={"first": first, "second": second})
            assert response.status_code == 200, response.text
            body = response.json()
            assert (body["first"], body["second"]) == (first, second)
            new = body["second_head"]
            assert new["size"] == second and head_signature_ok(new, public_key)
            if first:
                old = body["first_head"]
                assert old["size"] == first and head_signature_ok(old, public_key)
                old_root = bytes.fromhex(old["root_hash"])
            else:
                assert body["first_head"] is None
                old_root = hashlib.sha256(b"").digest()
            new_root = bytes.fromhex(new["root_hash"])
            path = [bytes.fromhex(h) for h in body["proof"]]
            assert consistent(first, second, old_root, new_root, path)
            assert merkle.verify_consistency(first, second, old_root, new_root, path)
            if 0 < first < second:
                assert not consistent(first, second, new_root, new_root, path)


def test_bad_consistency_requests(client, log):
    for query, status, detail in [
        ("first=13&second=8", 422, "一致性证明要求 0 ≤ 旧树大小 ≤ 新树大小"),
        ("first=3&second=7", 404, "没有大小为 7 的签名树头"),
        ("first=7&second=8", 404, "没有大小为 7 的签名树头"),
        ("first=3", 422, "second：缺少必填项"),
        ("first=a&second=8", 422, "first：应为整数"),
        ("first=-1&second=8", 422, "first：不得小于 0"),
        ("first=0&second=0", 422, "second：不得小于 1"),
        ("first=1&second=99999999999999999999", 404, "签名树头"),
    ]:
        assert_problem(
            client.get(f"{API}/consistency?{query}"), status, "not_found" if status == 404 else "invalid_input", detail
        )


# --------------------------------------------------------------------------------------------------
# The example verifier printed in docs/ledger.md
# --------------------------------------------------------------------------------------------------


def docs_verifier(client) -> dict:
    """Runs the Python block of docs/ledger.md marked ``verify_entry.py``, fetching through the test client."""
    blocks = re.findall(r"```python\n# verify_entry\.py.*?\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "docs/ledger.md should contain one ```python block starting with '# verify_entry.py'"
    namespace: dict = {"__name__": "docs_example"}
    exec(compile(blocks[0], str(DOCS), "exec"), namespace)  # noqa: S102 - our own documentation

    def fetch(url: str) -> dict:
        response = client.get(url.removeprefix("https://testserver"))
        assert response.status_code == 200, response.text
        return response.json()

    namespace["fetch"] = fetch
    return namespace


def test_docs_example_verifier_accepts_genuine_entries(client, log):
    verifier = docs_verifier(client)
    key_id = client.get(f"{API}/key").json()["key_id"]
    for seq in (0, 5, 19):
        head = verifier["verify_entry"]("https://testserver", seq, key_id)
        assert head["size"] == 20


def test_docs_example_verifier_rejects_forgeries(client, log, db):
    verifier = docs_verifier(client)
    key_id = client.get(f"{API}/key").json()["key_id"]
    with pytest.raises(ValueError, match="公钥"):
        verifier["verify_entry"]("https://testserver", 5, "0" * 64)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE ledger_entry SET payload = :p WHERE seq = 5"), {"p": '{"标题":"伪造"}'})
    with pytest.raises(ValueError, match="摘要"):
        verifier["verify_entry"]("https://testserver", 5, key_id)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE ledger_tree_head SET root_hash = :r WHERE size = 20"), {"r": "ab" * 32})
    with pytest.raises(ValueError, match="签名"):
        verifier["verify_entry"]("https://testserver", 3, key_id)
