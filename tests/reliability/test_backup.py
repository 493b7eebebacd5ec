"""Backups that restore, through the real command line (``sunshine backup``, ``restore``, ``ledger verify``
as subprocesses), on the run's database (SQLite or PostgreSQL).

The data are made through the services: a tender whose notice carries uploaded documents, sealed bids
(ciphertexts in the file store, receipts, ledger entries), signed heads. The round trip restores into an
empty data folder and a fresh database, and finds the same signed head, a verifying ledger, the same bids
with their ciphertexts, and the uploaded document downloadable again. A backup whose file was changed, or
whose manifest names another head, is refused before anything is written; so is a restore over data.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import make_url

from sunshine.bidding import receipts, service
from sunshine.bidding.models import Bid
from sunshine.config import get_settings
from sunshine.core.content import Upload
from sunshine.core.filestore import LocalFileStore
from sunshine.db import Database
from sunshine.ledger import service as ledger
from sunshine.ledger.signing import platform_key
from sunshine.tasks import tick
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.databases import create_database_beside, drop_database_beside
from tests.web.conftest import sunshine_executable

PDF = "%PDF-1.7\n1 0 obj<<>>endobj\n示范市第一中学教学楼改造工程招标文件\n%%EOF".encode()
RESTORED = "_restored"


def sunshine(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sunshine_executable(), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


@dataclass
class Target:
    """An empty data folder and an empty database to restore into, and the environment naming them."""

    data_dir: Path
    url: str
    env: dict[str, str]


@pytest.fixture
def target(database_url, tmp_path) -> Iterator[Target]:
    data_dir = tmp_path / "restored-data"
    env = {**os.environ, "SUNSHINE_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    if make_url(database_url).get_backend_name() == "postgresql":
        name = f"{make_url(database_url).database}{RESTORED}"
        url = create_database_beside(database_url, name)
        env["SUNSHINE_DATABASE_URL"] = url
        yield Target(data_dir, url, env)
        drop_database_beside(database_url, name)
    else:
        env.pop("SUNSHINE_DATABASE_URL")  # the default: a SQLite file in the (new) data folder
        yield Target(data_dir, f"sqlite:///{data_dir.resolve() / 'sunshine.db'}", env)


@pytest.fixture
def seeded(db, environment):
    """A tender with an uploaded document and three sealed bids (one replaced), heads signed by the tick."""
    w = tender_with_bidders(db, bidders=3, attachments=[Upload("招标文件.pdf", PDF, "application/pdf")])
    w.sealed = {}
    for i, bidder in enumerate(w.bidders):
        for version in range(2 if i == 0 else 1):
            sealed = seal_for(w, bidder, f"{4_800_000 + 1000 * i + version}.00")
            with db.unit_of_work() as s:
                service.submit(
                    s,
                    bidder,
                    w.section_id,
                    sealed.sealed,
                    key_commitment=sealed.commitment,
                    idempotency_key=sealed.idempotency_key,
                )
            w.sealed[hashlib.sha256(sealed.sealed).hexdigest()] = sealed.sealed
    tick(db)
    with db.unit_of_work() as s:  # one more entry after the last head: the backup signs a head covering it
        ledger.append(s, "test:backup:marker", "backup:1", {"说明": "备份前的最后一条记录"})
    (environment / "files" / ".incoming-interrupted").write_bytes(b"half")  # left by a crash: not backed up
    w.env = {**os.environ, "COLUMNS": "200"}
    return w


def _bids(url: str) -> dict[str, tuple[str, str, str, int]]:
    db = Database(url)
    try:
        with db.unit_of_work(read_only=True) as s:
            rows = s.scalars(select(Bid)).all()
            return {b.bid_no: (b.status, b.ciphertext_sha256, b.receipt, b.version) for b in rows}
    finally:
        db.dispose()


def _latest_head(url: str) -> dict | None:
    db = Database(url)
    try:
        with db.unit_of_work(read_only=True) as s:
            head = ledger.latest_head(s)
            return head.as_dict() if head else None
    finally:
        db.dispose()


def test_backup_restores_into_an_empty_data_folder_and_database(db, seeded, target, tmp_path, monkeypatch):
    folder = tmp_path / "备份-2026-12-02"
    done = sunshine("backup", str(folder), env=seeded.env)
    assert done.returncode == 0 and "备份完成" in done.stdout, done.stdout + done.stderr

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    head_at_backup = _latest_head(os.environ["SUNSHINE_DATABASE_URL"])
    with db.unit_of_work(read_only=True) as s:
        size = ledger.size(s)
    assert manifest["ledger"]["signed_head"] == head_at_backup and head_at_backup["size"] == size
    assert manifest["database"]["dialect"] == db.dialect and manifest["sunshine_version"]
    listed = {f["path"]: f for f in manifest["files"]}
    pdf_sha = hashlib.sha256(PDF).hexdigest()
    assert f"data/files/{pdf_sha[:2]}/{pdf_sha[2:4]}/{pdf_sha}" in listed
    assert all(f"data/files/{sha[:2]}/{sha[2:4]}/{sha}" in listed for sha in seeded.sealed)
    assert listed["data/ledger_ed25519.pem"]["role"] == "key"
    assert not any(".incoming-" in path for path in listed)
    for path, item in listed.items():
        data = (folder / path).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (item["sha256"], item["size"])

    restored = sunshine("restore", str(folder), env=target.env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "恢复完成" in restored.stdout and "最新签名树头与备份时一致" in restored.stdout
    verified = sunshine("ledger", "verify", env=target.env)
    assert verified.returncode == 0 and "校验通过" in verified.stdout, verified.stdout + verified.stderr
    assert f"{size} 条记录" in verified.stdout

    assert _latest_head(target.url) == head_at_backup
    assert _bids(target.url) == _bids(os.environ["SUNSHINE_DATABASE_URL"])
    store = LocalFileStore(target.data_dir / "files")
    for sha, sealed in seeded.sealed.items():
        assert store.open(sha) == sealed
    original_key = platform_key().public_bytes
    for _, sha, receipt, _ in _bids(target.url).values():
        assert receipts.verify(json.loads(receipt), original_key, store.open(sha)) == []

    # the restored platform serves the uploaded document again, signed with the same key
    monkeypatch.setenv("SUNSHINE_DATA_DIR", str(target.data_dir))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", target.url)
    get_settings.cache_clear()
    from sunshine.app import create_app

    restored_db = Database(target.url)
    try:
        with TestClient(create_app(get_settings(), restored_db, run_scheduler=False)) as client:
            download = client.get(f"/api/v1/files/{pdf_sha}")
            assert download.status_code == 200 and download.content == PDF
            assert client.get("/api/v1/ledger/key").json()["public_key"] == manifest_key(folder)
    finally:
        restored_db.dispose()


def manifest_key(folder: Path) -> str:
    import base64

    from sunshine.ledger.signing import load_or_create

    return base64.b64encode(load_or_create(folder / "data").public_bytes).decode()


def test_a_tampered_backup_is_refused_before_anything_is_restored(db, seeded, target, tmp_path):
    folder = tmp_path / "backup"
    assert sunshine("backup", str(folder), env=seeded.env).returncode == 0
    manifest_path = folder / "manifest.json"
    original_manifest = manifest_path.read_text(encoding="utf-8")

    # one byte of a bid's ciphertext changed
    sha = next(iter(seeded.sealed))
    ciphertext = folder / "data" / "files" / sha[:2] / sha[2:4] / sha
    original = ciphertext.read_bytes()
    ciphertext.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    refused = sunshine("restore", str(folder), env=target.env)
    assert refused.returncode == 1
    assert "备份未通过校验，未恢复任何内容" in refused.stderr and sha in refused.stderr
    assert f"SHA-256 不符：data/files/{sha[:2]}/{sha[2:4]}/{sha}" in refused.stderr
    _assert_nothing_restored(target)

    # ... and the manifest rewritten to match it: the file store names files by their hash
    manifest = json.loads(original_manifest)
    for item in manifest["files"]:
        if item["path"].endswith(sha):
            item["sha256"] = hashlib.sha256(ciphertext.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    refused = sunshine("restore", str(folder), env=target.env)
    assert refused.returncode == 1 and "文件库文件的内容与其 SHA-256 文件名不符" in refused.stderr
    _assert_nothing_restored(target)
    ciphertext.write_bytes(original)

    # a manifest naming another head than the one the backed-up key signed
    manifest = json.loads(original_manifest)
    manifest["ledger"]["signed_head"]["root_hash"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    refused = sunshine("restore", str(folder), env=target.env)
    assert refused.returncode == 1 and "签名树头与备份中的签名密钥不符" in refused.stderr
    _assert_nothing_restored(target)

    # a deleted file, and a folder without a manifest
    manifest_path.write_text(original_manifest, encoding="utf-8")
    (folder / "data" / "ledger_ed25519.pem").unlink()
    refused = sunshine("restore", str(folder), env=target.env)
    assert refused.returncode == 1 and "缺少文件：data/ledger_ed25519.pem" in refused.stderr
    manifest_path.unlink()
    refused = sunshine("restore", str(folder), env=target.env)
    assert refused.returncode == 1 and "这不是一份完整的备份" in refused.stderr
    _assert_nothing_restored(target)


def test_restore_refuses_a_data_folder_or_database_that_is_not_empty(db, seeded, target, tmp_path):
    folder = tmp_path / "backup"
    assert sunshine("backup", str(folder), env=seeded.env).returncode == 0
    again = sunshine("backup", str(folder), env=seeded.env)
    assert again.returncode == 1 and "不是空目录" in again.stderr  # never over an earlier backup

    onto_running = sunshine("restore", str(folder), env=seeded.env)  # the live data folder and database
    assert onto_running.returncode == 1 and "不是空的" in onto_running.stderr

    target.data_dir.mkdir()
    (target.data_dir / "笔记.txt").write_text("运维记录")
    refused = sunshine("restore", str(folder), env=target.env)
    assert refused.returncode == 1 and f"数据目录 {target.data_dir.resolve()} 不是空的" in refused.stderr
    assert sorted(p.name for p in target.data_dir.iterdir()) == ["笔记.txt"]

    if db.dialect == "postgresql":  # an empty folder, but the database holds the live data
        (target.data_dir / "笔记.txt").unlink()
        env = {**target.env, "SUNSHINE_DATABASE_URL": os.environ["SUNSHINE_DATABASE_URL"]}
        refused = sunshine("restore", str(folder), env=env)
        assert refused.returncode == 1 and "不是空的：只能恢复到空数据库" in refused.stderr
        assert not any(target.data_dir.iterdir())


def _assert_nothing_restored(target: Target) -> None:
    assert not target.data_dir.exists() or not any(target.data_dir.iterdir())
    from sunshine.backup.database import is_empty

    assert is_empty(target.url)
