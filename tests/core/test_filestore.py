"""The content-addressed file store: names are hashes, writes are atomic and idempotent, and a
damaged file is noticed on reading."""

from __future__ import annotations

import hashlib
import os

import pytest

from sunshine.config import get_settings
from sunshine.core import filestore
from sunshine.core.errors import NotFound
from sunshine.core.filestore import FileStore, LocalFileStore, StoredFileCorrupt, file_store


def test_put_stores_under_sha256_and_open_reads_back(tmp_path):
    store = LocalFileStore(tmp_path / "files")
    data = "招标文件 v1".encode() * 1000
    digest = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert store.path_for(digest) == tmp_path / "files" / digest[:2] / digest[2:4] / digest
    assert store.path_for(digest).read_bytes() == data
    assert store.exists(digest)
    assert store.open(digest) == data


def test_put_is_idempotent_and_leaves_no_temporary_files(tmp_path):
    store = LocalFileStore(tmp_path)
    first = store.put(b"same bytes")
    mtime = store.path_for(first).stat().st_mtime_ns
    assert store.put(b"same bytes") == first
    assert store.path_for(first).stat().st_mtime_ns == mtime  # not rewritten
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [store.path_for(first)]


def test_empty_file_is_a_file_too(tmp_path):
    store = LocalFileStore(tmp_path)
    digest = store.put(b"")
    assert digest == hashlib.sha256(b"").hexdigest()
    assert store.open(digest) == b""


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


def test_a_truncated_file_under_the_final_name_is_rewritten_by_put(tmp_path):
    store = LocalFileStore(tmp_path)
    data = b"complete content"
    digest = store.put(data)
    store.path_for(digest).write_bytes(data[:5])  # damaged by something outside the store
    with pytest.raises(StoredFileCorrupt):
        store.open(digest)
    store.put(data)
    assert store.open(digest) == data


def test_missing_and_malformed_names_are_not_found(tmp_path):
    store = LocalFileStore(tmp_path)
    assert not store.exists("0" * 64)
    assert not store.exists("../../etc/passwd")
    assert not store.exists("A" * 64)  # upper case is not how the store names files
    with pytest.raises(NotFound):
        store.open("0" * 64)
    with pytest.raises(NotFound):
        store.open("../" * 20)


def test_configured_store_lives_in_the_data_folder(environment):
    store = file_store()
    assert isinstance(store, FileStore) and isinstance(store, LocalFileStore)
    digest = store.put(b"hello")
    assert (environment / "files" / digest[:2] / digest[2:4] / digest).read_bytes() == b"hello"
    assert get_settings().file_store == "local"


def test_unknown_backend_is_refused(monkeypatch):
    monkeypatch.setenv("SUNSHINE_FILE_STORE", "floppy")
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="floppy"):
        file_store()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_stored_files_are_readable_but_the_store_never_executes_them(tmp_path):
    store = LocalFileStore(tmp_path)
    mode = store.path_for(store.put(b"abc")).stat().st_mode & 0o777
    assert mode == 0o644
