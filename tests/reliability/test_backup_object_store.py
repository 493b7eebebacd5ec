"""Backups with the file store in an S3-compatible object store (a real moto server process): ``sunshine backup``
copies the store's objects into the backup under the local store's names, ``sunshine restore`` puts them back
into the configured object store, and the restored platform serves them again. Both commands run as
subprocesses, on the run's database (SQLite or PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
import os
import uuid

import pytest
from fastapi.testclient import TestClient

from sunshine.bidding import receipts, service
from sunshine.config import get_settings
from sunshine.core.content import Upload
from sunshine.core.filestore import file_store
from sunshine.core.filestore_s3 import S3FileStore
from sunshine.db import Database
from sunshine.ledger.signing import platform_key
from sunshine.tasks import tick
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.reliability.test_backup import PDF, _bids, _latest_head, sunshine, target  # noqa: F401 - fixture
from tests.s3server import s3_server  # noqa: F401 - the fixture


@pytest.fixture
def in_object_store(environment, s3_server, monkeypatch):  # noqa: F811
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield s3_server
    get_settings.cache_clear()


def test_backup_and_restore_carry_the_object_store(db, environment, in_object_store, target, tmp_path, monkeypatch):  # noqa: F811
    w = tender_with_bidders(db, bidders=2, attachments=[Upload("招标文件.pdf", PDF, "application/pdf")])
    sealed_by_sha = {}
    for bidder in w.bidders:
        sealed = seal_for(w, bidder, "4800000.00")
        with db.unit_of_work() as s:
            service.submit(
                s, bidder, w.section_id, sealed.sealed,
                key_commitment=sealed.commitment, idempotency_key=sealed.idempotency_key,
            )  # fmt: skip
        sealed_by_sha[hashlib.sha256(sealed.sealed).hexdigest()] = sealed.sealed
    tick(db)
    source = file_store()
    pdf_sha = hashlib.sha256(PDF).hexdigest()
    assert isinstance(source, S3FileStore) and {pdf_sha, *sealed_by_sha} <= set(source.hashes())
    assert not (environment / "files").exists()  # nothing in the data folder: the files are in the bucket

    folder = tmp_path / "备份"
    done = sunshine("backup", str(folder), env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0 and "备份完成" in done.stdout, done.stdout + done.stderr
    listed = {f["path"]: f for f in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]}
    for sha in (pdf_sha, *sealed_by_sha):
        item = listed[f"data/files/{sha[:2]}/{sha[2:4]}/{sha}"]
        assert item["role"] == "file_store" and item["sha256"] == sha
        assert hashlib.sha256((folder / item["path"]).read_bytes()).hexdigest() == sha

    prefix = f"restored-{uuid.uuid4().hex[:8]}"
    restored_store = in_object_store.env(prefix)  # another prefix: an empty store to restore into
    env = {**target.env, **restored_store}
    restored = sunshine("restore", str(folder), env=env)
    assert restored.returncode == 0 and "最新签名树头与备份时一致" in restored.stdout, restored.stdout + restored.stderr
    names = {p.name for p in target.data_dir.iterdir()}
    assert "ledger_ed25519.pem" in names and not names & {"files", ".restoring"}  # the files went to the bucket
    assert _latest_head(target.url) == _latest_head(os.environ["SUNSHINE_DATABASE_URL"])

    for name, value in restored_store.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SUNSHINE_DATA_DIR", str(target.data_dir))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", target.url)
    get_settings.cache_clear()
    store = file_store()
    assert isinstance(store, S3FileStore) and store.prefix == f"{prefix}/"
    assert sorted(store.hashes()) == sorted(source.hashes())
    key = platform_key().public_bytes
    for _, sha, receipt, _ in _bids(target.url).values():
        assert store.open(sha) == sealed_by_sha[sha]
        assert receipts.verify(json.loads(receipt), key, store.open(sha)) == []
    from sunshine.app import create_app

    restored_db = Database(target.url)
    try:
        with TestClient(create_app(get_settings(), restored_db, run_scheduler=False)) as client:
            download = client.get(f"/api/v1/files/{pdf_sha}")
            assert download.status_code == 200 and download.content == PDF
    finally:
        restored_db.dispose()
