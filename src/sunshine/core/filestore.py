"""The content-addressed file store: attachments and bid ciphertexts are kept under their SHA-256,
behind one interface whose backend the configuration chooses (``SUNSHINE_FILE_STORE``).

A file's name is its hash, so storing the same bytes twice is harmless and a stored file can always
be checked against the hash that the ledger recorded for it. Two backends: a local folder (the default) and
an S3-compatible object store (``SUNSHINE_FILE_STORE=s3://bucket/prefix``, ``core/filestore_s3.py``), with the
same guarantees: a write has returned only once it is durable, a read is checked against the name.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sunshine.core.errors import NotFound
from sunshine.core.filestore_common import (
    FileStore,
    FileStoreUnavailable,
    StoredFileCorrupt,
    is_sha256,
)

if TYPE_CHECKING:
    from sunshine.config import Settings

__all__ = [
    "FileStore",
    "FileStoreUnavailable",
    "LocalFileStore",
    "StoredFileCorrupt",
    "file_store",
    "is_sha256",
    "store_for",
]


class LocalFileStore:
    """Files under ``root/ab/cd/<sha256>``, written atomically: a crash leaves at most a stray
    temporary file, never a partial file under its final name."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise NotFound("文件不存在")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return is_sha256(sha256) and self.path_for(sha256).is_file()

    def put(self, data: bytes) -> str:
        return self._write(data, sync=True)

    @contextmanager
    def batch(self) -> Iterator[Callable[[bytes], str]]:
        """Store many files durably for the price of one flush: each is written and renamed into place without
        an fsync of its own, and on leaving the block (unless it raises) one ``syncfs`` makes the whole file
        system durable — every file of the block and its directory entry — before the caller goes on to commit
        the rows naming them. Where ``syncfs`` is not available each file is fsynced as ``put`` does."""
        if _syncfs is None:
            yield self.put
            return
        yield lambda data: self._write(data, sync=False)
        self.root.mkdir(parents=True, exist_ok=True)
        _sync_file_system(self.root)

    def _write(self, data: bytes, *, sync: bool) -> str:
        digest = hashlib.sha256(data).hexdigest()
        final = self.path_for(digest)
        # Same name, same length: the same content (a crash cannot leave a short file here). In a batch the file
        # may be one an earlier batch wrote and a crash cut off before its flush: checked, not trusted.
        if final.is_file() and final.stat().st_size == len(data) and (sync or _content_is(final, digest)):
            return digest
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                if sync:
                    out.flush()
                    os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        if sync:
            _fsync_dir(final.parent)
        return digest

    def put_file(self, path: Path, sha256: str) -> str:
        """Move a large file written elsewhere (its hash computed while writing, so it is never read whole into
        memory) into the store under its SHA-256."""
        final = self.path_for(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.is_file() and final.stat().st_size == Path(path).stat().st_size:
            Path(path).unlink(missing_ok=True)
            return sha256
        tmp = final.parent / f".incoming-{os.getpid()}-{sha256[:16]}"
        try:
            os.replace(path, tmp)  # same file system: a rename
        except OSError:
            shutil.copyfile(path, tmp)
            Path(path).unlink(missing_ok=True)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, final)
        _fsync_dir(final.parent)
        return sha256

    def open(self, sha256: str) -> bytes:
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFound("文件不存在") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise StoredFileCorrupt(f"文件 {sha256[:16]}… 的内容与其 SHA-256 不符，请联系交易中心")
        return data

    def size(self, sha256: str) -> int:
        try:
            return self.path_for(sha256).stat().st_size
        except FileNotFoundError:
            raise NotFound("文件不存在") from None

    def reader(self, sha256: str) -> BinaryIO:
        try:
            return self.path_for(sha256).open("rb")
        except FileNotFoundError:
            raise NotFound("文件不存在") from None

    def hashes(self) -> Iterator[str]:
        for path in sorted(self.root.glob("??/??/*")):
            if is_sha256(path.name) and path.parent.parent.name == path.name[:2] and path.is_file():
                yield path.name


def _content_is(path: Path, sha256: str) -> bool:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest() == sha256


def _load_syncfs() -> Callable[[int], int] | None:
    """Linux's ``syncfs(2)`` (flush one file system: data, metadata, journal), or None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.syncfs
    except (OSError, AttributeError):
        return None


_syncfs = _load_syncfs()


def _sync_file_system(path: Path) -> None:
    assert _syncfs is not None
    fd = os.open(path, os.O_RDONLY)
    try:
        if _syncfs(fd) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error), str(path))
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


BACKENDS = ("local", "s3://存储桶/前缀")


def file_store() -> FileStore:
    """The store the configuration names (``SUNSHINE_FILE_STORE``)."""
    from sunshine.config import get_settings

    return store_for(get_settings())


def store_for(settings: Settings) -> FileStore:
    """The store that ``settings`` name."""
    if settings.file_store == "local":
        return LocalFileStore(settings.data_dir / "files")
    if settings.file_store.startswith("s3://"):
        from sunshine.core.filestore_s3 import s3_store

        return s3_store(settings)
    raise ValueError(f"未知的文件库后端 SUNSHINE_FILE_STORE={settings.file_store!r}（可选：{', '.join(BACKENDS)}）")
