"""The archive as one zip: ``manifest.json`` first, then every file it lists, each read from the file store in
chunks and written to the response as it goes (a zip written to a stream that cannot seek: each member's sizes
and CRC follow its data), so the server holds one chunk at a time whatever the size of the bids. ``verify`` is
the reader's side: every file hashed again against the manifest, nothing missing and nothing extra, and the
manifest's own SHA-256 (which the ledger entry records). No database here."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sunshine.archives import manifest as manifests
from sunshine.core.filestore import FileStore, StoredFileCorrupt

CHUNK = 1 << 16


class _Pipe:
    """A write-only, non-seekable file: what the zip writer writes is collected until the generator yields it."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        if data:
            self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out, self.chunks = b"".join(self.chunks), []
        return out


def stream(manifest_bytes: bytes, store: FileStore) -> Iterator[bytes]:
    """The zip's bytes, chunk by chunk: the manifest, then each listed file (checked against its hash as read)."""
    manifest = manifests.parse(manifest_bytes)
    pipe = _Pipe()
    moment = _date_time(manifest)
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:  # type: ignore[arg-type]
        head = zipfile.ZipInfo(manifests.MANIFEST_NAME, date_time=moment)
        head.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(head, manifest_bytes)
        yield pipe.take()
        for entry in manifest["records"]:
            digest = hashlib.sha256()
            info = zipfile.ZipInfo(entry["path"], date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            with closing(store.reader(entry["sha256"])) as source, zf.open(info, mode="w", force_zip64=True) as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    if pipe.chunks:
                        yield pipe.take()
            if digest.hexdigest() != entry["sha256"]:
                raise StoredFileCorrupt(f"文件 {entry['path']} 的内容与归档清单不符")
            yield pipe.take()
    yield pipe.take()


def _date_time(manifest: dict) -> tuple[int, int, int, int, int, int]:
    """Every member carries the archive's moment (UTC), so the same archive always zips alike."""
    text = str(manifest.get("archived_at", ""))
    try:
        return (int(text[0:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]), int(text[14:16]), int(text[17:19]))
    except ValueError:
        return (1980, 1, 1, 0, 0, 0)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class Verified:
    """What the zip itself proves: each file against the manifest, and the manifest's hash."""

    manifest: dict | None = None
    manifest_sha256: str | None = None
    checks: list[Check] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return self.manifest is not None and all(c.ok for c in self.checks)


def verify(source: Path | IO[bytes]) -> Verified:
    """Recheck an archive zip: every listed file present with its SHA-256 and size, no file unlisted."""
    out = Verified()
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        out.checks.append(Check("读取压缩包", False, f"不是有效的 zip 文件：{exc}"))
        return out
    with zf:
        names = zf.namelist()
        if not names or names[0] != manifests.MANIFEST_NAME:
            out.checks.append(Check("归档清单", False, f"压缩包的第一个文件应为 {manifests.MANIFEST_NAME}"))
            return out
        data = zf.read(manifests.MANIFEST_NAME)
        try:
            out.manifest = manifests.parse(data)
        except ValueError as exc:
            out.checks.append(Check("归档清单", False, str(exc)))
            return out
        out.manifest_sha256 = hashlib.sha256(data).hexdigest()
        out.checks.append(Check("归档清单", True, f"SHA-256 {out.manifest_sha256}"))
        listed = set()
        bad = []
        for entry in out.manifest["records"]:
            path = entry.get("path")
            listed.add(path)
            if path not in names:
                bad.append(f"缺少 {path}")
                continue
            digest, size = hashlib.sha256(), 0
            with zf.open(path) as member:
                while chunk := member.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
            if digest.hexdigest() != entry.get("sha256") or size != entry.get("size"):
                bad.append(f"{path} 的 SHA-256 或大小与清单不符")
            out.files += 1
        extra = [n for n in names if n != manifests.MANIFEST_NAME and n not in listed]
        out.checks.append(
            Check(
                "逐个文件的 SHA-256",
                not bad,
                "；".join(bad[:10]) if bad else f"{out.files} 个文件与清单一致",
            )
        )
        out.checks.append(Check("清单以外的文件", not extra, "、".join(extra[:10]) if extra else "无"))
    return out
