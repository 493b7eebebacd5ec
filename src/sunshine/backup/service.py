"""Writing a backup folder and restoring one.

A backup folder holds ``manifest.json``, the database dump (``database.sqlite3`` or ``database.pgdump``)
and ``data/``, a copy of every file of the data folder but the SQLite database: the file store (uploaded
documents, bid ciphertexts), the ledger's signing key, the generated secret key, and whatever else is
there. With an object store (``SUNSHINE_FILE_STORE=s3://…``) its files are copied into ``data/files/`` as well,
under the local store's names, and a restore puts them back into the configured store (local or object store
alike). The manifest names every file with its SHA-256 and size, the signed tree head and schema revision
of the dumped snapshot, and the version that wrote it; it is written last, so a folder without one is not
a backup.

Backing up signs the current tree head first (as the tick does), so the head in the backup covers every
ledger entry committed before it; then the database is dumped (one consistent snapshot, while the server
runs); then the files are copied. Files are written before the rows that name them and never change, so
every file a dumped row names is there to copy.

Restoring checks everything before it writes anything: every listed file against its size and SHA-256
(and a file-store file against the hash that is its name), the head's signature against the backed-up
key, the schema revision against the ones this version knows; the data folder and the database must be
empty. It then restores the database and the files, brings the schema up to date if the backup is older,
verifies the whole ledger with the restored key and checks that the latest signed head is the one the
manifest names.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy.engine import make_url

from sunshine import __version__
from sunshine.backup import database
from sunshine.backup.database import BackupError, fsync_dir, fsync_file
from sunshine.config import Settings
from sunshine.core.filestore import LocalFileStore, is_sha256, store_for
from sunshine.db import Database
from sunshine.ledger import format as fmt
from sunshine.ledger.signing import KEY_FILE, SigningKey, load_or_create, public_key_from_raw, verify

MANIFEST = "manifest.json"
FORMAT = "sunshine-backup"
FORMAT_VERSION = 1
DATA = "data"
FILE_STORE = "files"
SECRET_FILE = "secret_key"
CHUNK = 1 << 20
DIALECT_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class Done:
    """What a backup wrote or a restore brought back."""

    folder: Path
    dialect: str
    files: int
    bytes: int
    ledger_size: int
    signed_head: dict[str, Any] | None
    schema_revisions: list[str]
    heads_verified: int = 0
    upgraded: bool = False


# ----------------------------------------------------------------------------------------------------- backup


def backup(settings: Settings, db: Database, folder: Path) -> Done:
    """Write a backup of ``db`` and of the data folder into ``folder`` (absent or empty)."""
    from sunshine.ledger import service as ledger
    from sunshine.migrate import pending_message

    folder, data_dir = folder.resolve(), settings.data_dir.resolve()
    if folder == data_dir or data_dir in folder.parents:
        raise BackupError(f"备份目录不能位于数据目录之内：{folder}")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(
            f"备份目录 {folder} 已存在且不是空目录：每次备份请使用新的空目录（例如以日期时间命名），以免覆盖以前的备份"
        )
    message = pending_message(db.engine)
    if message:
        raise BackupError(message)
    folder.mkdir(parents=True, exist_ok=True)

    with db.unit_of_work() as session:  # the head in the backup covers every entry committed so far
        ledger.sign_head(session, load_or_create(data_dir))
    dump_name, facts = database.dump(db, folder)
    files = [_listed(folder / dump_name, dump_name, "database")]
    skipped = _database_files(db)
    for path in sorted(data_dir.rglob("*")):
        if path.is_symlink() or not path.is_file() or path in skipped or path.name.startswith(".incoming-"):
            continue  # the database (dumped above), and temporaries of interrupted file-store writes
        relative = path.relative_to(data_dir).as_posix()
        target = folder / DATA / relative
        digest, size = _copy(path, target)
        role = _role(relative)
        if role == "file_store" and is_sha256(path.name) and digest != path.name:
            raise BackupError(f"文件库中的文件已损坏（内容与其 SHA-256 文件名不符）：{path}；备份未完成")
        files.append({"path": f"{DATA}/{relative}", "role": role, "sha256": digest, "size": size})
    files.extend(_object_store_files(settings, folder, {item["path"] for item in files}))
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "sunshine_version": __version__,
        "created_at": fmt.iso_utc(datetime.now(UTC)),
        "database": {"dialect": db.dialect, "file": dump_name, "schema_revisions": facts["schema_revisions"]},
        "ledger": {"size": facts["ledger_size"], "signed_head": facts["signed_head"]},
        "files": files,
    }
    _write_manifest(folder, manifest)
    return Done(
        folder,
        db.dialect,
        len(files),
        sum(f["size"] for f in files),
        facts["ledger_size"],
        facts["signed_head"],
        facts["schema_revisions"],
    )


def _object_store_files(settings: Settings, folder: Path, listed: set[str]) -> list[dict[str, Any]]:
    """The files of an object store, copied under the names the local store gives them."""
    store = store_for(settings)
    if isinstance(store, LocalFileStore):
        return []  # its files are in the data folder, copied above
    out = []
    for sha in store.hashes():
        path = f"{DATA}/{_store_path(sha)}"
        if path in listed:
            continue
        with store.reader(sha) as source:
            digest, size = _copy_stream(source, folder / path, 0o644)
        if digest != sha:
            raise BackupError(f"对象存储中的文件已损坏（内容与其 SHA-256 名称不符）：{sha}；备份未完成")
        out.append({"path": path, "role": "file_store", "sha256": digest, "size": size})
    return out


def _store_path(sha256: str) -> str:
    return f"{FILE_STORE}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def _database_files(db: Database) -> set[Path]:
    if db.dialect != "sqlite":
        return set()
    path = database.sqlite_path(db.url).resolve()
    return {path} | {Path(f"{path}{side}") for side in database.SQLITE_SIDE_FILES}


def _role(relative: str) -> str:
    if relative.startswith(f"{FILE_STORE}/"):
        return "file_store"
    if relative in (KEY_FILE, SECRET_FILE):
        return "key"
    return "data"


def _listed(path: Path, name: str, role: str) -> dict[str, Any]:
    return {"path": name, "role": role, "sha256": _sha256(path), "size": path.stat().st_size}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy(source: Path, target: Path) -> tuple[str, int]:
    """Copy through a temporary file, fsynced and renamed into place; the SHA-256 and size of what was copied."""
    with source.open("rb") as src:
        return _copy_stream(src, target, source.stat().st_mode & 0o777)


def _copy_stream(src: Any, target: Path, mode: int) -> tuple[str, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".copying-{target.name}")
    digest, size = hashlib.sha256(), 0
    try:
        with tmp.open("wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(target.parent)
    return digest.hexdigest(), size


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    tmp = folder / f".{MANIFEST}"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    fsync_file(tmp)
    os.replace(tmp, folder / MANIFEST)
    fsync_dir(folder)


# ---------------------------------------------------------------------------------------------------- restore


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} 中没有 {MANIFEST}：这不是一份完整的备份（备份中断时不写清单）")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest["format"] != FORMAT:
            raise ValueError(f"format 为 {manifest['format']!r}")
        if manifest["format_version"] != FORMAT_VERSION:
            raise ValueError(f"格式版本 {manifest['format_version']}，本程序读取版本 {FORMAT_VERSION}")
        for item in manifest["files"]:
            _safe_path(item["path"])
            if not isinstance(item["size"], int) or not is_sha256(item["sha256"]):
                raise ValueError(f"{item['path']} 的大小或 SHA-256 格式不正确")
        if not isinstance(manifest["database"]["file"], str) or "signed_head" not in manifest["ledger"]:
            raise ValueError("缺少数据库文件名或签名树头")
        _safe_path(manifest["database"]["file"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"备份清单 {path} 无法读取：{exc}") from None
    return manifest


def _safe_path(path: str) -> PurePosixPath:
    parts = PurePosixPath(path)
    if parts.is_absolute() or ".." in parts.parts or not parts.parts:
        raise ValueError(f"清单中的路径不安全：{path!r}")
    return parts


def check_files(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Every listed file present with its size and SHA-256 (a file-store file also under its own hash)."""
    problems = []
    for item in manifest["files"]:
        path = folder / item["path"]
        if not path.is_file():
            problems.append(f"缺少文件：{item['path']}")
            continue
        if path.stat().st_size != item["size"]:
            problems.append(f"大小不符：{item['path']}（清单 {item['size']} 字节，实有 {path.stat().st_size} 字节）")
            continue
        digest = _sha256(path)
        if digest != item["sha256"]:
            problems.append(f"SHA-256 不符：{item['path']}")
        elif item["role"] == "file_store" and is_sha256(path.name) and digest != path.name:
            problems.append(f"文件库文件的内容与其 SHA-256 文件名不符：{item['path']}")
    if not any(item["path"] == manifest["database"]["file"] for item in manifest["files"]):
        problems.append(f"清单未列出数据库文件 {manifest['database']['file']}")
    return problems


def _backed_up_key(folder: Path) -> SigningKey | None:
    path = folder / DATA / KEY_FILE
    return load_or_create(path.parent) if path.is_file() else None


def check_head(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """The manifest's signed head verifies with the backed-up signing key."""
    head = manifest["ledger"]["signed_head"]
    if head is None:
        return []
    key = _backed_up_key(folder)
    if key is None:
        return [f"备份中没有留痕日志签名密钥 {DATA}/{KEY_FILE}"]
    try:
        message = fmt.head_message(head["size"], head["root_hash"], head["signed_at"], head["key_id"])
        valid = head["key_id"] == key.key_id and verify(
            public_key_from_raw(key.public_bytes), head["signature"], message
        )
    except (KeyError, TypeError, ValueError):
        valid = False
    return [] if valid else ["清单中的签名树头与备份中的签名密钥不符（签名无效）"]


def check_revisions(manifest: dict[str, Any]) -> list[str]:
    from alembic.script import ScriptDirectory

    from sunshine.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    known = {script.revision for script in scripts.walk_revisions()}
    unknown = [r for r in manifest["database"]["schema_revisions"] if r not in known]
    if unknown:
        return [
            f"备份的数据库结构版本 {'、'.join(unknown)} 不为本程序（{__version__}）所知："
            f"备份由版本 {manifest.get('sunshine_version')} 写入，请用该版本或更新的版本恢复"
        ]
    return []


def restore(settings: Settings, folder: Path) -> Done:
    """Restore the backup in ``folder`` into the (empty) data folder and database of ``settings``."""
    folder = folder.resolve()
    manifest = read_manifest(folder)
    problems = check_files(folder, manifest) or check_head(folder, manifest) + check_revisions(manifest)
    if problems:
        raise BackupError("备份未通过校验，未恢复任何内容：\n" + "\n".join(f"  - {p}" for p in problems))
    url = settings.resolved_database_url
    dialect, backed_up = make_url(url).get_backend_name(), manifest["database"]["dialect"]
    if dialect != backed_up:
        raise BackupError(
            f"备份的数据库为 {DIALECT_NAMES.get(backed_up, backed_up)}，当前配置的数据库为 "
            f"{DIALECT_NAMES.get(dialect, dialect)}：请将 SUNSHINE_DATABASE_URL 指向一个空的同类数据库"
        )
    data_dir = settings.data_dir.resolve()
    if data_dir.exists() and (not data_dir.is_dir() or any(data_dir.iterdir())):
        raise BackupError(
            f"数据目录 {data_dir} 不是空的：只能恢复到空的数据目录，以免覆盖现有数据"
            "（请使用新的空目录，或先移走现有内容）"
        )
    if not database.is_empty(url):
        shown = make_url(url).render_as_string(hide_password=True)
        raise BackupError(f"数据库 {shown} 不是空的：只能恢复到空数据库，以免覆盖现有数据（请新建一个空数据库）")

    database.restore(dialect, folder / manifest["database"]["file"], url)
    data_files = [item for item in manifest["files"] if item["path"].startswith(f"{DATA}/")]
    store = store_for(settings)
    for item in data_files:
        relative = item["path"].removeprefix(f"{DATA}/")
        to_store = not isinstance(store, LocalFileStore) and relative == _store_path(item["sha256"])
        # an object store's files go back into the store through a temporary copy that its upload removes
        target = data_dir / ".restoring" / item["sha256"] if to_store else data_dir / relative
        digest, _ = _copy(folder / item["path"], target)
        if digest != item["sha256"]:  # changed between the check and the copy
            raise BackupError(f"恢复过程中备份文件被改动：{item['path']}；请清空数据目录和数据库后重新恢复")
        if to_store:
            store.put_file(target, digest)
    shutil.rmtree(data_dir / ".restoring", ignore_errors=True)
    return _verify_restored(settings, manifest, folder, len(data_files) + 1)  # and the database


def _verify_restored(settings: Settings, manifest: dict[str, Any], folder: Path, files: int) -> Done:
    """Bring the schema up to date, verify the ledger with the restored key, compare the signed head."""
    from sunshine.ledger import service as ledger
    from sunshine.ledger.export import iter_db_entries, iter_db_heads
    from sunshine.ledger.verify import verify_log
    from sunshine.migrate import current_revisions, pending_message, upgrade

    data_dir = settings.data_dir.resolve()
    db = Database(settings.resolved_database_url)
    try:
        upgraded = pending_message(db.engine) is not None
        if upgraded:
            upgrade(db.engine)
        key_path = data_dir / KEY_FILE
        if not key_path.is_file():
            raise BackupError(f"恢复后的数据目录中没有留痕日志签名密钥 {KEY_FILE}")
        key = load_or_create(data_dir)
        with db.unit_of_work(read_only=True) as session:
            report = verify_log(iter_db_entries(session), list(iter_db_heads(session)), key.public_bytes)
            head = ledger.latest_head(session)
            size = ledger.size(session)
        revisions = sorted(current_revisions(db.engine))
    finally:
        db.dispose()
    failed = "恢复已写入数据目录和数据库，但校验未通过，请勿启动服务；清空二者后换用其他备份恢复。"
    if not report.ok:
        shown = "\n".join(f"  - {p.message}" for p in report.problems[:20])
        raise BackupError(f"{failed}\n留痕日志校验发现 {len(report.problems)} 处问题：\n{shown}")
    expected = manifest["ledger"]["signed_head"]
    if (head.as_dict() if head else None) != expected:
        raise BackupError(f"{failed}\n恢复后的最新签名树头与备份时的不一致：备份时 {expected}，恢复后 {head}")
    return Done(
        folder,
        manifest["database"]["dialect"],
        files,
        sum(item["size"] for item in manifest["files"]),
        size,
        expected,
        revisions,
        heads_verified=report.heads,
        upgraded=upgraded,
    )
