"""The content-addressed file store, on both backends (a local folder, and an S3-compatible object store
served by a real moto server process): names are hashes, writes are atomic and idempotent, a damaged file is
noticed on reading, a store that cannot be reached answers 503 and stores nothing."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from sunshine.config import get_settings
from sunshine.core import filestore
from sunshine.core.errors import NotFound
from sunshine.core.filestore import FileStore, FileStoreUnavailable, LocalFileStore, StoredFileCorrupt, file_store
from tests.s3server import S3Server, s3_server  # noqa: F401 - the fixture

BACKENDS = ["local", "s3"]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path, monkeypatch) -> FileStore:
    """The store the configuration names, for each backend (an S3 store gets a prefix of its own)."""
    monkeypatch.setenv("SUNSHINE_DATA_DIR", str(tmp_path / "data"))
    if request.param == "s3":
        server: S3Server = request.getfixturevalue("s3_server")
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
    else:
        monkeypatch.setenv("SUNSHINE_FILE_STORE", "local")
    get_settings.cache_clear()
    yield file_store()
    get_settings.cache_clear()


def _raw_names(store: FileStore) -> list[str]:
    """Every name the backend holds, temporaries included (what a person would see listing the folder/bucket)."""
    if isinstance(store, LocalFileStore):
        return sorted(p.relative_to(store.root).as_posix() for p in store.root.rglob("*") if p.is_file())
    pages = store.client.get_paginator("list_objects_v2").paginate(Bucket=store.bucket, Prefix=store.prefix)
    return sorted(item["Key"].removeprefix(store.prefix) for page in pages for item in page.get("Contents", []))


def _raw_write(store: FileStore, sha256: str, data: bytes) -> None:
    """Damage a stored file from outside the store."""
    if isinstance(store, LocalFileStore):
        store.path_for(sha256).write_bytes(data)
    else:
        store.client.put_object(Bucket=store.bucket, Key=store.key_for(sha256), Body=data)


def test_put_stores_under_sha256_and_open_reads_back(store):
    data = "招标文件 v1".encode() * 1000
    digest = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert _raw_names(store) == [f"{digest[:2]}/{digest[2:4]}/{digest}"]  # the same layout on both backends
    assert store.exists(digest)
    assert store.open(digest) == data
    assert store.size(digest) == len(data)
    with store.reader(digest) as stream:
        assert stream.read(7) == data[:7] and stream.read() == data[7:]
    assert list(store.hashes()) == [digest]


def test_put_is_idempotent_and_leaves_no_temporary_files(store, monkeypatch):
    first = store.put(b"same bytes")
    written = []
    if isinstance(store, LocalFileStore):
        monkeypatch.setattr(filestore.os, "replace", lambda *a: written.append(a))
    else:
        monkeypatch.setattr(store.client, "put_object", lambda **kw: written.append(kw))
    assert store.put(b"same bytes") == first
    assert written == []  # not rewritten
    assert _raw_names(store) == [f"{first[:2]}/{first[2:4]}/{first}"]


def test_empty_file_is_a_file_too(store):
    digest = store.put(b"")
    assert digest == hashlib.sha256(b"").hexdigest()
    assert store.open(digest) == b"" and store.size(digest) == 0


def test_a_truncated_file_under_the_final_name_is_noticed_and_rewritten_by_put(store):
    data = b"complete content"
    digest = store.put(data)
    _raw_write(store, digest, data[:5])  # damaged by something outside the store
    with pytest.raises(StoredFileCorrupt) as refused:
        store.open(digest)
    assert refused.value.status == 500 and "SHA-256 不符" in refused.value.detail
    store.put(data)
    assert store.open(digest) == data


def test_missing_and_malformed_names_are_not_found(store):
    assert not store.exists("0" * 64)
    assert not store.exists("../../etc/passwd")
    assert not store.exists("A" * 64)  # upper case is not how the store names files
    for bad in ("0" * 64, "../" * 20):
        with pytest.raises(NotFound):
            store.open(bad)
        with pytest.raises(NotFound):
            store.size(bad)
        with pytest.raises(NotFound):
            store.reader(bad)


def test_put_file_moves_a_finished_file_in_and_is_idempotent(store, tmp_path):
    data = os.urandom(300_000)
    digest = hashlib.sha256(data).hexdigest()
    for _ in range(2):
        source = tmp_path / "dump.jsonl.gz"
        source.write_bytes(data)
        assert store.put_file(source, digest) == digest
        assert not source.exists()  # moved (or uploaded and removed), not copied beside
    assert store.open(digest) == data and list(store.hashes()) == [digest]


def test_hashes_lists_every_stored_file_and_nothing_else(store, tmp_path):
    digests = {store.put(f"文件 {i}".encode()) for i in range(5)}
    if isinstance(store, LocalFileStore):
        (store.root / "tmp").mkdir()
        (store.root / "tmp" / "opendata-x").write_bytes(b"temporary")
        (store.root / "ab" / "cd").mkdir(parents=True, exist_ok=True)
        (store.root / "ab" / "cd" / ".incoming-123").write_bytes(b"half")
    else:
        store.client.put_object(Bucket=store.bucket, Key=f"{store.prefix}notes.txt", Body=b"not a stored file")
    assert sorted(store.hashes()) == sorted(digests)


def test_a_crash_before_the_rename_leaves_nothing_under_the_final_name(tmp_path, monkeypatch):
    store = LocalFileStore(tmp_path)
    data = b"x" * 100_000
    digest = hashlib.sha256(data).hexdigest()

    def crash(src, dst):
        raise OSError("power lost")

    monkeypatch.setattr(filestore.os, "replace", crash)
    with pytest.raises(OSError):
        store.put(data)
    assert not store.exists(digest)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # the temporary file was removed
    monkeypatch.undo()
    assert store.put(data) == digest and store.open(digest) == data


def test_every_upload_carries_the_md5_of_its_bytes(s3_server):  # noqa: F811
    """A PUT carries the MD5 of the bytes, which S3, MinIO and OSS check before accepting them (moto does not
    check it: this shows what the store sends, docs/deployment.md what moto does not prove)."""
    import base64

    from sunshine.core.filestore_s3 import S3FileStore

    store = S3FileStore(s3_server.client(), s3_server.bucket, "md5/")
    sent = []
    store.client.meta.events.register("before-send.s3.PutObject", lambda request, **_: sent.append(request.headers))
    data = b"sealed bid ciphertext " * 100
    store.put(data)
    assert len(sent) == 1
    assert sent[0]["Content-MD5"].decode() == base64.b64encode(hashlib.md5(data).digest()).decode()
    assert not any(name.lower().startswith("x-amz-checksum-") for name in sent[0])  # refused by OSS, older MinIO


def test_an_object_store_that_cannot_be_reached_answers_503_and_stores_nothing(tmp_path, monkeypatch):
    from sunshine.core.filestore_s3 import S3FileStore, make_client

    with __import__("socket").socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = make_client(f"http://127.0.0.1:{port}", "us-east-1", "k", "s", "path", timeout=1.0)
    store = S3FileStore(client, "bucket", "p/")
    for call in (lambda: store.put(b"x"), lambda: store.open("0" * 64), lambda: store.exists("0" * 64)):
        with pytest.raises(FileStoreUnavailable) as refused:
            call()
        assert refused.value.status == 503 and refused.value.code == "file_store_unavailable"
        assert "无法连接" in refused.value.detail


def test_configured_store_lives_in_the_data_folder(environment):
    store = file_store()
    assert isinstance(store, FileStore) and isinstance(store, LocalFileStore)
    digest = store.put(b"hello")
    assert (environment / "files" / digest[:2] / digest[2:4] / digest).read_bytes() == b"hello"
    assert get_settings().file_store == "local"


def test_configured_object_store_is_the_bucket_and_prefix_named(s3_server, monkeypatch):  # noqa: F811
    from sunshine.core.filestore_s3 import S3FileStore

    for name, value in s3_server.env("省中心/files").items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    store = file_store()
    assert isinstance(store, FileStore) and isinstance(store, S3FileStore)
    assert (store.bucket, store.prefix) == (s3_server.bucket, "省中心/files/")
    digest = store.put(b"hello")
    key = f"省中心/files/{digest[:2]}/{digest[2:4]}/{digest}"
    body = s3_server.client().get_object(Bucket=s3_server.bucket, Key=key)
    assert body["Body"].read() == b"hello"
    assert file_store() is store  # one client per configuration and process
    get_settings.cache_clear()


@pytest.mark.parametrize("value", ["floppy", "s3://", "s3:///prefix", "s3://bucket/../up"])
def test_unknown_or_malformed_backend_is_refused(monkeypatch, value):
    monkeypatch.setenv("SUNSHINE_FILE_STORE", value)
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="s3://"):
        file_store()
    get_settings.cache_clear()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_stored_files_are_readable_but_the_store_never_executes_them(tmp_path):
    store = LocalFileStore(tmp_path)
    mode = store.path_for(store.put(b"abc")).stat().st_mode & 0o777
    assert mode == 0o644


def test_the_local_store_keeps_the_folder_layout(tmp_path):
    store = LocalFileStore(tmp_path / "files")
    digest = store.put(b"x")
    assert store.path_for(digest) == tmp_path / "files" / digest[:2] / digest[2:4] / digest
    assert Path(store.path_for(digest)).read_bytes() == b"x"
