"""The file store's S3-compatible backend (MinIO, Alibaba Cloud OSS, AWS S3, …) through boto3: objects named
``<prefix>ab/cd/<sha256>``, the local folder's layout, in the bucket ``SUNSHINE_FILE_STORE=s3://bucket/prefix`` names.

The guarantees are the local store's. A write returns once the service has answered the PUT with success, which
S3-compatible services give only after the object is stored whole and durable (a single PUT carries its MD5, which
the service checks before it accepts the bytes; a multipart upload is checked by its size after it completes); an
object becomes visible under its name whole or not at all, so a failed write leaves nothing under the final name.
A read is checked against the SHA-256 that is the object's name. What the service does with the bytes after it
answered (replication, erasure coding, fsync) is its own guarantee: docs/deployment.md says what to configure.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sunshine.core.errors import NotFound
from sunshine.core.filestore_common import FileStoreUnavailable, StoredFileCorrupt, is_sha256

if TYPE_CHECKING:
    from sunshine.config import Settings

_log = logging.getLogger(__name__)
MULTIPART_THRESHOLD = 64 * 1024 * 1024  # larger files (open-data dumps, recordings) go up in parts
MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def parse_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` → (``bucket``, ``some/prefix/``); the prefix may be empty."""
    rest = url.removeprefix("s3://")
    bucket, _, prefix = rest.partition("/")
    prefix = prefix.strip("/")
    if not bucket or any(part in ("", ".", "..") for part in prefix.split("/") if prefix):
        raise ValueError(f"文件库地址应为 s3://存储桶/前缀，而不是 {url!r}")
    return bucket, f"{prefix}/" if prefix else ""


@contextmanager
def _answered(what: str) -> Iterator[None]:
    """The service's failures, other than a missing object, as one 503 that says what could not be done."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in MISSING_CODES:
            raise NotFound("文件不存在") from None
        _log.error("对象存储%s失败：%s", what, exc)
        raise FileStoreUnavailable(f"文件库（对象存储）{what}失败（{code or '服务错误'}），请稍后重试") from None
    except BotoCoreError as exc:
        _log.error("对象存储%s失败：%s", what, exc)
        raise FileStoreUnavailable(f"文件库（对象存储）{what}失败：无法连接或应答超时，请稍后重试") from None


class S3FileStore:
    """Content-addressed files in an S3-compatible bucket (a boto3 client is safe to share between threads)."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def key_for(self, sha256: str) -> str:
        if not is_sha256(sha256):
            raise NotFound("文件不存在")
        return f"{self.prefix}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def _head(self, sha256: str) -> dict[str, Any] | None:
        try:
            with _answered("查询文件"):
                return self.client.head_object(Bucket=self.bucket, Key=self.key_for(sha256))
        except NotFound:
            return None

    def exists(self, sha256: str) -> bool:
        return is_sha256(sha256) and self._head(sha256) is not None

    def size(self, sha256: str) -> int:
        head = self._head(sha256)
        if head is None:
            raise NotFound("文件不存在")
        return int(head["ContentLength"])

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        head = self._head(digest)
        if head is not None and int(head["ContentLength"]) == len(data):
            return digest  # same name, same length: the same content (an object is never visible half-written)
        md5 = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
        with _answered("写入文件"):
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.key_for(digest),
                Body=data,
                ContentMD5=md5,  # the service refuses bytes damaged on the way
                ContentType="application/octet-stream",
                Metadata={"sha256": digest},
            )
        return digest

    @contextmanager
    def batch(self) -> Iterator[Callable[[bytes], str]]:
        """Each object is durable when the service answers its ``put``: nothing is left to settle at the end."""
        yield self.put

    def put_file(self, path: Path, sha256: str) -> str:
        """Upload a large finished file (its hash computed by the caller while writing it) and remove it."""
        from boto3.s3.transfer import TransferConfig

        path = Path(path)
        length = path.stat().st_size
        head = self._head(sha256)
        if head is None or int(head["ContentLength"]) != length:
            with _answered("写入文件"):
                self.client.upload_file(
                    str(path),
                    self.bucket,
                    self.key_for(sha256),
                    ExtraArgs={"ContentType": "application/octet-stream", "Metadata": {"sha256": sha256}},
                    Config=TransferConfig(multipart_threshold=MULTIPART_THRESHOLD, use_threads=False),
                )
            head = self._head(sha256)
            if head is None or int(head["ContentLength"]) != length:
                raise FileStoreUnavailable("文件库（对象存储）写入文件后核对长度不符，请重试")
        path.unlink(missing_ok=True)
        return sha256

    def open(self, sha256: str) -> bytes:
        with _answered("读取文件"):
            body = self.client.get_object(Bucket=self.bucket, Key=self.key_for(sha256))["Body"]
            try:
                data = body.read()
            finally:
                body.close()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise StoredFileCorrupt(f"文件 {sha256[:16]}… 的内容与其 SHA-256 不符，请联系交易中心")
        return data

    def reader(self, sha256: str) -> BinaryIO:
        with _answered("读取文件"):
            return self.client.get_object(Bucket=self.bucket, Key=self.key_for(sha256))["Body"]

    def hashes(self) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        with _answered("列出文件"):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", []):
                    name = item["Key"].rsplit("/", 1)[-1]
                    if is_sha256(name) and item["Key"] == self.key_for(name):
                        yield name


def make_client(
    endpoint_url: str | None,
    region: str | None,
    access_key_id: str | None,
    secret_access_key: str | None,
    addressing_style: str = "auto",
    timeout: float = 30.0,
    max_connections: int = 10,
) -> Any:
    """A boto3 S3 client for an S3-compatible service. Checksums are sent only where the protocol requires them
    (the MD5 of each PUT is ours): the newer default trailing checksums are refused by several compatible
    services (Alibaba Cloud OSS, older MinIO)."""
    try:
        from botocore.config import Config
    except ImportError:  # pragma: no cover - depends on the installation
        raise ValueError("SUNSHINE_FILE_STORE=s3://… 需要 boto3：pip install 'sunshine[s3]'") from None
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": addressing_style},
        connect_timeout=timeout,
        read_timeout=timeout,
        retries={"max_attempts": 3, "mode": "standard"},
        max_pool_connections=max_connections,
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    with _SESSION_LOCK:  # a boto3 session is not thread-safe; its clients are
        return _boto3_session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=config,
        )


_SESSION_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _boto3_session() -> Any:
    """One session per process: it caches the service descriptions that each new client would load again."""
    import boto3

    return boto3.session.Session()


def s3_store(settings: Settings) -> S3FileStore:
    """The configured store; one client per configuration and process (building one costs tens of ms)."""
    return _cached_store(
        settings.file_store,
        settings.s3_endpoint_url,
        settings.s3_region,
        settings.s3_access_key_id,
        settings.s3_secret_access_key,
        settings.s3_addressing_style,
        settings.s3_timeout,
        settings.worker_threads,
    )


@lru_cache(maxsize=8)
def _cached_store(
    url: str,
    endpoint_url: str | None,
    region: str | None,
    access_key_id: str | None,
    secret_access_key: str | None,
    addressing_style: str,
    timeout: float,
    max_connections: int,
) -> S3FileStore:
    bucket, prefix = parse_url(url)
    client = make_client(
        endpoint_url, region, access_key_id, secret_access_key, addressing_style, timeout, max_connections
    )
    return S3FileStore(client, bucket, prefix)
