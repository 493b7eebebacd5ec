"""The bidder's command line ``sunshine bid …`` against a real HTTP server (uvicorn in a thread): sealing on the
bidder's machine, submitting with retries under one idempotency key, the receipt checked offline, the server
clock deciding the deadline, and the key revealed — and first seen by the server — only at the opening."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import stat
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import uvicorn
from click.testing import Result
from sqlalchemy import func, select
from typer.testing import CliRunner

from sunshine import tasks
from sunshine.bidding import envelope
from sunshine.bidding.models import Bid
from sunshine.cli import app as sunshine_app
from sunshine.client import connection as bid_connection
from sunshine.config import get_settings
from sunshine.models import metadata
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.builders import PASSWORD
from tests.trading.builders import cheap_password_hashing

runner = CliRunner()


class Wire:
    """ASGI wrapper in front of the app: records every request as the server receives it, and can spoil the
    answer to the next bid submission after the app has handled (and committed) it — replaced by a 503, or
    held back until the client has given up and retried."""

    def __init__(self, app) -> None:
        self.app = app
        self.url = ""
        self.requests: list[dict] = []
        self.spoil: str | None = None  # "503" | "slow"
        self._retried = threading.Event()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        record = {
            "method": scope["method"],
            "path": scope["path"],
            "query": scope.get("query_string", b""),
            "headers": list(scope.get("headers") or []),
            "body": b"",
        }
        self.requests.append(record)

        async def recording_receive():
            message = await receive()
            if message["type"] == "http.request":
                record["body"] += message.get("body", b"")
            return message

        is_bid = scope["method"] == "POST" and scope["path"].endswith("/bids")
        if is_bid and self.spoil is None:
            self._retried.set()
        spoil, self.spoil = (self.spoil, None) if is_bid else (None, self.spoil)
        if spoil is not None:
            self._retried.clear()
        if spoil is None:
            await self.app(scope, recording_receive, send)
            return
        held = []

        async def hold(message) -> None:
            held.append(message)

        await self.app(scope, recording_receive, hold)  # handled and committed: only the answer goes astray
        if spoil == "503":
            body = json.dumps({"code": "unavailable", "detail": "网关超时"}).encode()
            await send({"type": "http.response.start", "status": 503, "headers": [(b"content-type", b"text/json")]})
            await send({"type": "http.response.body", "body": body})
            return
        import asyncio

        for _ in range(200):  # until the client, having timed out, has sent its retry
            if self._retried.is_set():
                break
            await asyncio.sleep(0.05)
        for message in held:
            await send(message)

    def saw(self, needle: bytes) -> list[str]:
        """The paths of the requests that carried ``needle`` anywhere (path, query, headers, body)."""
        hits = []
        for r in self.requests:
            blob = b"\n".join([r["path"].encode(), r["query"], *(k + b":" + v for k, v in r["headers"]), r["body"]])
            if needle in blob:
                hits.append(f"{r['method']} {r['path']}")
        return hits


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _cli_environment(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setattr(bid_connection, "BACKOFF_SECONDS", 0.01)
    monkeypatch.setenv("COLUMNS", "240")  # Rich tables unwrapped, so the output can be searched
    for name in ("SUNSHINE_BID_SERVER", "SUNSHINE_BID_TOKEN_FILE", "SUNSHINE_BID_USERNAME", "SUNSHINE_BID_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def w(db, monkeypatch):
    # tokens that outlive the 30 days these tests move the clock through
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()
    return tender_with_bidders(db)


@pytest.fixture
def live(w, app):
    """The test app served over real HTTP on a free port, sharing the test database and clock."""
    wire = Wire(app)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(wire, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wire.url = f"http://127.0.0.1:{port}"
    give_up = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{wire.url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert thread.is_alive() and time.monotonic() < give_up, "uvicorn did not start"
        time.sleep(0.05)
    wire.requests.clear()
    yield wire
    server.should_exit = True
    thread.join(30)


def bid(*args, input: str | None = None) -> Result:
    result = runner.invoke(sunshine_app, ["bid", *map(str, args)], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def login(live: Wire, user, tmp_path: Path) -> Path:
    token_file = tmp_path / f"{user.username}.token"
    r = bid(
        "login", "--server", live.url, "--username", user.username, "--password", PASSWORD, "--token-file", token_file
    )
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    return token_file


def seal(live: Wire, w, token_file: Path, out: Path, price: str = "4800000.00", *extra) -> Path:
    r = bid(
        "seal",
        "--server",
        live.url,
        "--token-file",
        token_file,
        "--section",
        w.section_id,
        "--price",
        price,
        "--duration-days",
        365,
        "--quality",
        "合格",
        *extra,
        "--out",
        out,
    )
    assert r.exit_code == 0, r.output
    return out


def bids_in_db(db) -> int:
    with db.unit_of_work(read_only=True) as s:
        return s.scalar(select(func.count()).select_from(Bid))


def stored_anywhere(db, key: bytes) -> list[str]:
    """Where the key, raw or in hex, is found in the database or the file store."""
    needles = (key.hex(), key.hex().upper())
    hits = []
    with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(table.select()):
                for value in row:
                    if isinstance(value, bytes | bytearray | memoryview):
                        found = key in bytes(value) or any(n.encode() in bytes(value) for n in needles)
                    else:
                        found = any(n in str(value) for n in needles)
                    if found:
                        hits.append(table.name)
    files = get_settings().data_dir / "files"
    if files.exists():
        for path in files.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if key in data or any(n.encode() in data for n in needles):
                    hits.append(str(path))
    return hits


def test_seal_submit_and_the_receipt_verifies_offline(tmp_path, live, w, db):
    token = login(live, w.bidders[0], tmp_path)
    document = tmp_path / "技术标.txt"
    document.write_text("施工组织设计", encoding="utf-8")
    folder = seal(live, w, token, tmp_path / "bid", "4800000.00", "--document", document)
    # what the bidder keeps: the key readable by its owner only, the metadata agreeing with the ciphertext
    assert stat.S_IMODE((folder / "bid.key").stat().st_mode) == 0o600
    meta = json.loads((folder / "bid.json").read_text(encoding="utf-8"))
    keyfile = json.loads((folder / "bid.key").read_text(encoding="utf-8"))
    sealed = (folder / "bid.sealed").read_bytes()
    key = bytes.fromhex(keyfile["key"])
    assert meta["ciphertext_sha256"] == hashlib.sha256(sealed).hexdigest() and meta["size"] == len(sealed)
    assert meta["key_commitment"] == keyfile["key_commitment"] == envelope.key_commitment(key)
    assert meta["section_id"] == w.section_id and len(meta["idempotency_key"]) >= 8
    binding = envelope.binding(w.code, 1, w.credit[w.bidders[0].organisation_id])
    assert keyfile["binding"] == meta["binding"] == binding.decode()
    package = envelope.parse_package(envelope.open_sealed(sealed, key, binding))
    assert package.form.price == Decimal("4800000.00") and package.form.duration_days == 365
    assert [(d.name, d.data) for d in package.documents] == [("技术标.txt", "施工组织设计".encode())]

    r = bid("submit", "--server", live.url, "--token-file", token, folder)
    assert r.exit_code == 0, r.output
    receipt = json.loads((folder / "receipt.json").read_text(encoding="utf-8"))
    assert receipt["bid_no"] in r.output and receipt["ciphertext_sha256"] in r.output
    assert "已核验" in r.output and str(receipt["ledger"]["entry"]["seq"]) in r.output
    assert receipt["key_commitment"] == meta["key_commitment"] and receipt["size"] == len(sealed)
    assert stored_anywhere(db, key) == [] and live.saw(key.hex().encode()) == [] and live.saw(key) == []

    # offline verification, with the platform key in each of its published forms
    published = httpx.get(f"{live.url}/api/v1/ledger/key").json()
    pem = tmp_path / "platform.pem"
    pem.write_text(httpx.get(f"{live.url}/api/v1/ledger/key.pem").text, encoding="utf-8")
    for source in (
        ["--public-key-file", pem],
        ["--public-key-b64", published["public_key"]],
        ["--server", live.url],
    ):
        r = bid("verify-receipt", folder / "receipt.json", "--sealed", folder / "bid.sealed", *source)
        assert r.exit_code == 0, r.output
        assert "回执核验通过" in r.output and "SHA-256" in r.output
    r = bid("verify-receipt", folder, "--public-key-file", pem)  # the bid directory: receipt.json and bid.sealed
    assert r.exit_code == 0 and "加密投标文件的 SHA-256" in r.output, r.output

    # a receipt back-dated by a day no longer verifies
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**receipt, "server_time": "2026-11-22T01:00:00.000000Z"}), encoding="utf-8")
    r = bid("verify-receipt", forged, "--public-key-file", pem)
    assert r.exit_code == 1 and "签名无效" in r.output, r.output
    # another sealed file (sealed offline from the binding alone: no request reaches the server) does not match
    seen = len(live.requests)
    other = tmp_path / "other"
    r = bid("seal", "--binding", binding.decode(), "--section", w.section_id, "--price", "4700000.00", "--out", other)
    assert r.exit_code == 0, r.output
    assert len(live.requests) == seen
    r = bid("verify-receipt", folder / "receipt.json", "--sealed", other / "bid.sealed", "--public-key-file", pem)
    assert r.exit_code == 1 and "SHA-256" in r.output and "不是回执对应的那份文件" in r.output, r.output
    # and a key that is not the platform's is not trusted
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    stranger = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    r = bid("verify-receipt", folder / "receipt.json", "--public-key-b64", base64.b64encode(stranger).decode())
    assert r.exit_code == 1 and "不是所给的平台公钥" in r.output, r.output
    r = bid("verify-receipt", folder / "receipt.json")
    assert r.exit_code != 0 and "公钥" in r.output


def test_submitting_twice_from_the_same_directory_is_one_bid(tmp_path, live, w, db, clock):
    user = w.bidders[0]
    # the password asked for at the prompt, not given on the command line
    r = bid(
        "seal",
        "--server",
        live.url,
        "--username",
        user.username,
        "--section",
        w.section_id,
        "--price",
        "4800000.00",
        "--out",
        tmp_path / "bid",
        input=PASSWORD + "\n",
    )
    assert r.exit_code == 0, r.output
    folder = tmp_path / "bid"
    # no --server: the address saved at sealing is used
    r = bid("submit", "--username", user.username, "--password", PASSWORD, folder)
    assert r.exit_code == 0, r.output
    first = (folder / "receipt.json").read_text(encoding="utf-8")
    r = bid("submit", "--username", user.username, "--password", PASSWORD, folder)
    assert r.exit_code == 0, r.output
    assert "同一幂等键" in r.output and "没有产生新的投标文件" in r.output
    assert json.loads((folder / "receipt.json").read_text(encoding="utf-8")) == json.loads(first)
    posts = [r for r in live.requests if r["method"] == "POST" and r["path"].endswith("/bids")]
    assert len(posts) == 2 and len({dict(p["headers"])[b"idempotency-key"] for p in posts}) == 1
    assert bids_in_db(db) == 1
    r = bid("status", "--server", live.url, "--username", user.username, "--password", PASSWORD)
    assert r.exit_code == 0 and r.output.count("TB") == 1 and "已递交（有效）" in r.output, r.output
    # a retry of a submission that completed in time still gets its receipt after the deadline
    clock.advance(timedelta(days=31))
    r = bid("submit", "--username", user.username, "--password", PASSWORD, folder)
    assert r.exit_code == 0 and "没有产生新的投标文件" in r.output, r.output
    assert json.loads((folder / "receipt.json").read_text(encoding="utf-8")) == json.loads(first)
    assert bids_in_db(db) == 1


@pytest.mark.parametrize("spoil", ["503", "slow"])
def test_a_lost_answer_is_retried_under_the_same_idempotency_key(tmp_path, live, w, db, spoil):
    token = login(live, w.bidders[0], tmp_path)
    folder = seal(live, w, token, tmp_path / "bid")
    live.spoil = spoil  # the first submission is stored, but its answer never reaches the bidder
    r = bid("submit", "--token-file", token, "--timeout", 2, folder)
    assert r.exit_code == 0, r.output
    assert "重试" in r.output and "不会产生第二份投标" in r.output
    assert ("HTTP 503" if spoil == "503" else "请求超时") in r.output
    assert "没有产生新的投标文件" in r.output  # the retry found the first submission
    posts = [r for r in live.requests if r["method"] == "POST" and r["path"].endswith("/bids")]
    assert len(posts) == 2 and len({dict(p["headers"])[b"idempotency-key"] for p in posts}) == 1
    assert bids_in_db(db) == 1
    pem = tmp_path / "platform.pem"
    pem.write_text(httpx.get(f"{live.url}/api/v1/ledger/key.pem").text, encoding="utf-8")
    assert bid("verify-receipt", folder, "--public-key-file", pem).exit_code == 0


def test_a_submission_after_the_deadline_is_refused_by_the_server_clock(tmp_path, live, w, db, clock):
    token = login(live, w.bidders[0], tmp_path)
    folder = seal(live, w, token, tmp_path / "bid")
    clock.advance(timedelta(days=30))  # exactly the deadline, by the server's clock: too late
    r = bid("submit", "--token-file", token, folder, input=PASSWORD + "\n")  # the password again, then refused
    assert r.exit_code != 0 and "此操作须再次输入密码确认身份" in r.output
    assert "投标截止时间已过" in r.output and "以服务器时钟为准" in r.output, r.output
    assert "2026-12-23 09:00:00" in r.output  # the server's time, in Beijing time
    assert not (folder / "receipt.json").exists() and bids_in_db(db) == 0
    # a refusal is an answer: it is not retried
    assert len([r for r in live.requests if r["method"] == "POST" and r["path"].endswith("/bids")]) == 1


def test_at_the_opening_reveal_decrypts_and_the_key_reaches_the_server_only_then(tmp_path, live, w, db, clock):
    # the first bidder through the command line
    token = login(live, w.bidders[0], tmp_path)
    folder = seal(live, w, token, tmp_path / "bid", "4800000.00")
    assert bid("submit", "--token-file", token, folder).exit_code == 0
    # the second straight through the API, the third through the command line with its password
    sealed = seal_for(w, w.bidders[1], "4750000.00")
    api_token = httpx.post(
        f"{live.url}/api/v1/auth/token", json={"username": w.bidders[1].username, "password": PASSWORD}
    ).json()["access_token"]
    response = httpx.post(
        f"{live.url}/api/v1/sections/{w.section_id}/bids",
        content=sealed.sealed,
        headers={
            "Authorization": f"Bearer {api_token}",
            "Content-Type": "application/octet-stream",
            "Idempotency-Key": sealed.idempotency_key,
            "Sunshine-Key-Commitment": sealed.commitment,
        },
    )
    assert response.status_code == 201, response.text
    third = ["--server", live.url, "--username", w.bidders[2].username, "--password", PASSWORD]
    r = bid("seal", *third, "--section", w.section_id, "--price", "4900000.00", "--out", tmp_path / "third")
    assert r.exit_code == 0, r.output
    assert bid("submit", *third, tmp_path / "third").exit_code == 0
    key = bytes.fromhex(json.loads((folder / "bid.key").read_text(encoding="utf-8"))["key"])

    # before the opening the command refuses to send the key at all
    r = bid("reveal", "--token-file", token, folder)
    assert r.exit_code != 0 and "开标尚未开始" in r.output and "密钥没有发送" in r.output, r.output
    assert live.saw(key.hex().encode()) == [] and live.saw(key) == [] and stored_anywhere(db, key) == []

    clock.advance(timedelta(days=30))
    report = tasks.tick(db)
    assert report.opened == [w.code]
    assert live.saw(key.hex().encode()) == [] and stored_anywhere(db, key) == []

    # a month after signing in: the password is asked again before the key leaves the machine
    r = bid("reveal", "--token-file", token, folder, input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    assert "此操作须再次输入密码确认身份" in r.output
    assert "投标报价：4800000.00 元" in r.output and "已解密" in r.output
    receipt = json.loads((folder / "receipt.json").read_text(encoding="utf-8"))
    assert live.saw(key.hex().encode()) == [f"POST /api/v1/bids/{receipt['bid_no']}/reveal"]
    with db.unit_of_work(read_only=True) as s:
        row = s.scalar(select(Bid).where(Bid.bid_no == receipt["bid_no"]))
        assert row.decryption == "decrypted" and row.price == Decimal("4800000.00")
    assert stored_anywhere(db, key) == []  # used to decrypt, not kept
    # running it again shows the result without sending the key a second time
    r = bid("reveal", "--token-file", token, folder)
    assert r.exit_code == 0 and "4800000.00" in r.output, r.output
    assert len(live.saw(key.hex().encode())) == 1
    r = bid("status", "--token-file", token)
    assert r.exit_code == 0 and "已解密" in r.output and "4800000.00" in r.output, r.output


def test_withdraw_before_the_deadline(tmp_path, live, w):
    token = login(live, w.bidders[0], tmp_path)
    folder = seal(live, w, token, tmp_path / "bid")
    assert bid("submit", "--token-file", token, folder).exit_code == 0
    r = bid("withdraw", "--token-file", token, folder, input="n\n")
    assert r.exit_code != 0
    assert "已递交（有效）" in bid("status", "--token-file", token).output
    r = bid("withdraw", "--token-file", token, "--yes", folder)
    assert r.exit_code == 0 and "已撤回" in r.output, r.output
    r = bid("withdraw", "--token-file", token, "--yes", folder)  # again: it already is
    assert r.exit_code == 0 and "已撤回" in r.output, r.output
    assert "已撤回" in bid("status", "--token-file", token).output


def test_mistakes_are_caught_with_a_clear_message(tmp_path, live, w):
    user = w.bidders[0]
    r = bid("login", "--server", live.url, "--username", user.username, "--password", "wrong", "--token-file", "t")
    assert r.exit_code != 0 and "用户名或密码错误" in r.output, r.output
    token = login(live, user, tmp_path)
    r = bid("seal", "--token-file", token, "--section", w.section_id, "--price", "4800000.001", "--out", tmp_path / "x")
    assert r.exit_code != 0 and "两位小数" in r.output, r.output
    r = bid("seal", "--binding", "not-a-binding", "--section", w.section_id, "--price", "1", "--out", tmp_path / "y")
    assert r.exit_code != 0 and "绑定信息格式" in r.output, r.output
    r = bid("seal", "--token-file", token, "--section", 999999, "--price", "1", "--out", tmp_path / "z")
    assert r.exit_code != 0 and "标段不存在" in r.output, r.output
    folder = seal(live, w, token, tmp_path / "bid")
    # sealing again into the same directory would overwrite the key
    r = bid("seal", "--token-file", token, "--section", w.section_id, "--price", "1", "--out", folder)
    assert r.exit_code != 0 and "bid.key" in r.output, r.output
    # a ciphertext changed after sealing is not sent
    (folder / "bid.sealed").write_bytes((folder / "bid.sealed").read_bytes() + b"x")
    seen = len(live.requests)
    r = bid("submit", "--token-file", token, folder)
    assert r.exit_code != 0 and "被改动" in r.output, r.output
    assert len(live.requests) == seen
    # nobody listening
    r = bid("status", "--server", f"http://127.0.0.1:{_free_port()}", "--token-file", token, "--timeout", 1)
    assert r.exit_code != 0 and "无法连接平台" in r.output, r.output


# --------------------------------------------------------------------------------------------------
# The independent verifier printed in docs/bidding.md
# --------------------------------------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "bidding.md"


def docs_verifier() -> str:
    blocks = re.findall(r"```python\n(# verify_receipt\.py.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "docs/bidding.md should contain one ```python block starting with '# verify_receipt.py'"
    return blocks[0]


def test_the_verifier_in_the_docs_agrees_with_the_platform(tmp_path, live, w):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    from sunshine.bidding import receipts
    from sunshine.ledger.signing import platform_key

    token = login(live, w.bidders[0], tmp_path)
    folder = seal(live, w, token, tmp_path / "bid")
    assert bid("submit", "--token-file", token, folder).exit_code == 0
    receipt = json.loads((folder / "receipt.json").read_text(encoding="utf-8"))
    sealed = (folder / "bid.sealed").read_bytes()
    pem = tmp_path / "platform.pem"
    pem.write_text(httpx.get(f"{live.url}/api/v1/ledger/key.pem").text, encoding="utf-8")
    source = docs_verifier()
    assert "sunshine" not in source.replace("sunshine-", "").replace("Sunshine", "")  # nothing of ours
    namespace: dict = {"__name__": "docs_example"}
    exec(compile(source, str(DOCS), "exec"), namespace)  # noqa: S102 - our own documentation
    verify = namespace["verify_receipt"]
    public_key = load_pem_public_key(pem.read_bytes())
    seq, size = verify(receipt, public_key, sealed)
    assert seq == receipt["ledger"]["entry"]["seq"] and size == receipt["ledger"]["tree_head"]["size"]
    # the same forgeries fail in the docs' verifier and in receipts.verify (what the command line uses)
    raw = public_key.public_bytes_raw()
    body = {k: v for k, v in receipt.items() if k not in ("signature", "format", "key_id")}
    # signed by the platform, but the proof does not lead to the signed root
    proof = ["00" * 32, *receipt["ledger"]["inclusion_proof"][1:]]
    bad_proof = receipts.sign({**body, "ledger": {**receipt["ledger"], "inclusion_proof": proof}}, platform_key())
    cases = [
        ({**receipt, "size": receipt["size"] + 1}, None, "签名无效"),
        (receipt, sealed + b"x", "SHA-256"),
        (bad_proof, None, "包含性证明"),
    ]
    for forged, file, message in cases:
        with pytest.raises(ValueError, match=message):
            verify(forged, public_key, file)
        assert any(message in p for p in receipts.verify(forged, raw, file)), message
    # and run as a script, the way a bidder would
    script = tmp_path / "verify_receipt.py"
    script.write_text(source, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, script, folder / "receipt.json", pem, folder / "bid.sealed"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and f"回执核验通过：{receipt['bid_no']}" in done.stdout, done.stderr
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**receipt, "bid_no": "TB0000"}), encoding="utf-8")
    done = subprocess.run([sys.executable, script, forged, pem], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "回执签名无效" in done.stderr


def test_a_sensitive_step_asks_for_the_password_again_and_renews_the_token_file(tmp_path, live, w, db, clock):
    token = login(live, w.bidders[0], tmp_path)
    before = json.loads(token.read_text(encoding="utf-8"))["access_token"]
    folder = seal(live, w, token, tmp_path / "bid")
    clock.advance(timedelta(minutes=11))  # past the 10 minutes since the password was entered
    # no password at hand: nothing is sent
    r = bid("submit", "--token-file", token, folder, input="")
    assert r.exit_code != 0 and "此操作须再次输入密码确认身份" in r.output and "没有输入密码" in r.output, r.output
    assert bids_in_db(db) == 0
    assert not [x for x in live.requests if x["method"] == "POST" and x["path"].endswith("/bids")]
    # a wrong one: refused as at sign-in
    r = bid("submit", "--token-file", token, folder, input="wrong-password\n")
    assert r.exit_code != 0 and "用户名或密码错误" in r.output, r.output
    # the right one: a fresh token, written to the token file (still 0600), and the bid goes in
    r = bid("submit", "--token-file", token, folder, input=PASSWORD + "\n")
    assert r.exit_code == 0 and "投标回执" in r.output, r.output
    saved = json.loads(token.read_text(encoding="utf-8"))
    assert saved["access_token"] != before and saved["username"] == w.bidders[0].username
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    assert bids_in_db(db) == 1
    # within the next 10 minutes the renewed token needs no password: withdraw straight away
    clock.advance(timedelta(minutes=5))
    r = bid("withdraw", "--token-file", token, "--yes", folder)
    assert r.exit_code == 0 and "投标文件已撤回" in r.output and "密码" not in r.output, r.output
    # a refusal that arrives anyway (the window ran out in between) is answered once with the password
    clock.advance(timedelta(minutes=11))
    platform = bid_connection.connect(None, token, None, PASSWORD, 10.0, fallback_server=live.url)
    try:
        response = platform.send("POST", "/api/v1/bids/TB-NONE/withdraw")
    finally:
        platform.close()
    assert response.status_code == 404  # asked again with a fresh token: now the bid number is what is wrong
