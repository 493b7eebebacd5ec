"""The content-addressed file store: attachments and bid ciphertexts are kept under their SHA-256,
behind one interface whose backend the configuration chooses (``SUNSHINE_FILE_STORE``).

A file's name is its hash, so storing the same bytes twice is harmless and a stored file can always
be checked against the hash that the ledger recorded for it. Two backends: a local folder (the default) and
an S3-compatible object store (``SUNSHINE_FILE_STORE=s3://bucket/prefix``, ``core/filestore_s3.py``), with the
same guarantees: a write has returned only once it is durable, a read is checked against the name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
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
        digest = hashlib.sha256(data).hexdigest()
        final = self.path_for(digest)
        if final.is_file() and final.stat().st_size == len(data):
            return digest  # same name, same length: the same content (a crash cannot leave a short file here)
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
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
