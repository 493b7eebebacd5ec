"""What every file store backend shares (``core/filestore.py`` chooses one): the interface, its two errors and the
form of a name (a SHA-256 in hex)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from sunshine.core.errors import SunshineError

SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")


class StoredFileCorrupt(SunshineError):
    status = 500
    code = "stored_file_corrupt"
    title = "存储的文件已损坏"


class FileStoreUnavailable(SunshineError):
    """The object store did not answer (network, credentials, bucket): nothing was stored or read."""

    status = 503
    code = "file_store_unavailable"
    title = "文件库暂时无法访问，请稍后重试"


@runtime_checkable
class FileStore(Protocol):
    def put(self, data: bytes) -> str:
        """Store ``data``; returns its SHA-256 (hex). Storing the same bytes again changes nothing."""
        ...

    def batch(self) -> AbstractContextManager[Callable[[bytes], str]]:
        """A ``put`` for many files whose durability may be settled once, when the block ends (before the caller
        commits rows naming them): on leaving the block without an error every file put in it is durable."""
        ...

    def open(self, sha256: str) -> bytes:
        """The bytes stored under ``sha256``; NotFound if there are none."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def put_file(self, path: Path, sha256: str) -> str:
        """Move the finished file ``path`` (whose SHA-256 the caller computed while writing it) into the store."""
        ...

    def size(self, sha256: str) -> int:
        """The stored file's length in bytes; NotFound if there is none."""
        ...

    def reader(self, sha256: str) -> BinaryIO:
        """A binary stream of the stored bytes, for files too large to read whole (the caller checks the hash
        while reading, and closes it); NotFound if there are none."""
        ...

    def hashes(self) -> Iterator[str]:
        """The SHA-256 of every stored file (backups copy them all)."""
        ...


def is_sha256(value: str) -> bool:
    return isinstance(value, str) and bool(SHA256_PATTERN.match(value))
