"""Settings read from ``SUNSHINE_*`` environment variables, with working defaults for one machine.

The data folder holds the embedded SQLite database, the file store, the ledger signing key and the
generated secret key, so a fresh checkout runs with no configuration at all.

Concurrency is sized from one pair of settings. ``max_concurrent_reads`` and ``max_concurrent_writes``
bound the requests inside the application at once (``web.middleware.WriteConcurrencyMiddleware``; the rest
wait on the event loop, holding nothing). An admitted request uses at most one worker thread and one
database connection at a time, so the worker threads (``worker_threads``: the admitted requests plus
``THREAD_HEADROOM``) and the connection pool (``db_pool_size`` + ``db_max_overflow``: the admitted requests,
the in-process tick, the same headroom) are derived from them: no admitted request ever waits for a thread
or a connection, and ``db_pool_timeout`` is only the last guard, answered by a 503.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

THREAD_HEADROOM = 8  # worker threads (and spare connections) beyond the admitted requests
BACKGROUND_CONNECTIONS = 1  # the in-process tick (``tasks.Scheduler``) runs one unit of work at a time


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUNSHINE_", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="数据目录：SQLite 数据库、文件库、签名密钥")
    database_url: str | None = Field(default=None, description="数据库地址；缺省为数据目录中的 SQLite 文件")
    secret_key: str | None = Field(default=None, description="会话与 CSRF 签名密钥；缺省时首次运行生成并保存")
    display_timezone: str = "Asia/Shanghai"
    cookie_secure: bool = True
    password_hashing: Literal["standard", "insecure-fast-for-tests"] = Field(
        default="standard",
        description="密码哈希强度：standard（Argon2id，RFC 9106 低内存配置）；insecure-fast-for-tests 仅供测试使用",
    )
    session_hours: int = Field(
        default=12,
        ge=1,
        description="页面会话的绝对有效期（小时），不论是否在使用；平台默认值：一个工作日，每天须重新登录",
    )
    session_idle_minutes: int = Field(
        default=30,
        ge=1,
        le=24 * 60,
        description="页面会话闲置超时（分钟），超过即须重新登录；平台默认值：足以阅读文件、填写表单，"
        "又不使无人看管的终端（如开标大厅、服务窗口）长时间保持登录",
    )
    reauth_minutes: int = Field(
        default=10,
        ge=1,
        le=12 * 60,
        description="敏感操作（递交、撤回、解密投标文件等）前须在该分钟数内输入过密码；平台默认值：确认身份后"
        "足以完成一次操作，又不使他人借用已登录的终端代为操作",
    )
    hsts_max_age: int = Field(
        default=31536000,
        ge=0,
        le=2 * 31536000,
        description="经 HTTPS 访问时 Strict-Transport-Security 的 max-age（秒）；0 表示不发送；平台默认值：一年",
    )
    login_delay_after: int = Field(
        default=3, ge=1, le=100, description="同一账户名或来源地址连续登录失败该次数后，每次再试须等待的秒数逐次加倍"
    )
    login_lock_after_account: int = Field(
        default=10, ge=2, le=1000, description="同一账户名连续登录失败该次数后暂时锁定（不论账户是否存在）"
    )
    login_lock_after_address: int = Field(
        default=50, ge=2, le=10000, description="同一来源地址连续登录失败该次数后暂时锁定"
    )
    login_lock_minutes: int = Field(default=15, ge=1, le=1440, description="登录暂时锁定的分钟数")
    api_token_hours: int = Field(
        default=24,
        ge=1,
        description="接口访问令牌的有效期（小时）；平台默认值：投标人客户端一天内的各项操作用同一令牌，次日须重新登录",
    )
    max_body_bytes: int = 20 * 1024 * 1024
    database_replica_urls: str = Field(
        default="",
        description="PostgreSQL 只读副本（流复制备库）地址，逗号分隔；配置后公开页面、列表、检索、统计和开放数据的"
        "读取分流到副本（docs/deployment.md）",
    )
    replica_sticky_seconds: int = Field(
        default=300,
        ge=1,
        le=86400,
        description="用户写入后的该秒数内，其读取仅在副本已回放到该次写入时才走副本，否则走主库；"
        "平台默认值：远大于正常的复制延迟（毫秒级），又不使写过一次的用户长期只读主库",
    )
    file_store: str = Field(
        default="local",
        description="文件库后端：local（数据目录下的 files 文件夹），或 s3://存储桶/前缀（S3 兼容对象存储，"
        "如 MinIO、阿里云 OSS；需安装 boto3，docs/deployment.md）",
    )
    # S3-compatible object store (file_store = s3://bucket/prefix); credentials fall back to boto3's own chain
    s3_endpoint_url: str | None = Field(
        default=None, description="对象存储服务地址，如 http://minio.internal:9000；缺省为 AWS S3"
    )
    s3_region: str | None = Field(default=None, description="对象存储的区域（region），如 cn-hangzhou")
    s3_access_key_id: str | None = Field(default=None, description="对象存储访问密钥 ID；缺省时按 boto3 的方式查找")
    s3_secret_access_key: str | None = Field(default=None, description="对象存储访问密钥")
    s3_addressing_style: Literal["auto", "path", "virtual"] = Field(
        default="auto",
        description="存储桶寻址方式：path（MinIO 常用）、virtual（阿里云 OSS 要求）或 auto",
    )
    s3_timeout: float = Field(default=30.0, gt=0, le=600, description="对象存储单次请求的连接与读取超时（秒）")
    search_backend: str = Field(
        default="database",
        description="全站检索的索引：database（数据库自身的全文索引），或外部检索引擎的适配器 module:Factory",
    )
    max_attachment_bytes: int = Field(default=20 * 1024 * 1024, description="单个公告附件的大小上限（字节）")
    max_concurrent_writes: int = Field(
        default=8, ge=1, le=32, description="同时处理的写请求数上限（其余在事件循环中排队，不占线程和数据库连接）"
    )
    max_concurrent_reads: int = Field(
        default=24,
        ge=1,
        le=30,
        description="同时处理的读请求数上限；工作线程数和数据库连接池大小按读写上限之和配置",
    )
    db_pool_timeout: float = Field(
        default=5.0,
        gt=0,
        le=60,
        description="等待空闲数据库连接的最长秒数，超时答复 503（连接池按并发上限配置，正常不会等待）",
    )
    max_bid_bytes: int = Field(default=20 * 1024 * 1024, description="单份加密投标文件的大小上限（字节）")
    sqlite_synchronous: Literal["full", "normal"] = Field(
        default="full",
        description="SQLite 提交的落盘方式：full（默认：每次提交先写入磁盘再返回，断电也不丢失已出具回执的投标）；"
        "normal 仅供性能对比：进程崩溃不丢数据，但断电可能丢失最后的提交",
    )
    scheduler: bool = Field(default=True, description="在服务进程内运行定时任务 tick")
    warm_routes: bool = Field(
        default=True,
        description="启动时预先构建全部路由的参数解析（约一千条路由，数秒），首位访问者无需等待；测试中关闭以节省时间",
    )
    tick_seconds: int = 60
    site_name: str = "阳光交易"
    centre_name: str = "示范市公共资源交易中心"
    payment_channel: str = Field(
        default="simulated", description="保证金支付通道：simulated（模拟银行），或已登记的通道名、module:Factory"
    )
    message_gateway: str = Field(
        default="simulated",
        description="短信/语音网关：simulated（模拟网关，记录在数据库中），或已登记的网关名、module:Factory",
    )
    # 邮件订阅（channels）: mail backend and SMTP server; links in mails use public_url
    public_url: str = Field(default="http://127.0.0.1:8000", description="邮件中链接使用的本站公开地址")
    mail_backend: str = Field(default="log", description="邮件发送方式：log（写入数据目录中的 mail.mbox）或 smtp")
    mail_from: str = Field(default="阳光交易 <noreply@sunshine.invalid>", description="发件人")
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout: float = 20.0
    digest_interval_minutes: int = Field(default=60, description="同一订阅两封推送邮件之间的最短间隔（分钟）")
    # 数据开放（opendata）: the OCDS ocid prefix registered with the OCDS Data Support Team (docs/opendata.md)
    ocds_prefix: str = Field(
        default="ocds-sunshn",
        pattern=r"^ocds-[a-z0-9]{6}$",
        description="OCDS 发布标识前缀（ocid prefix），向 OCDS 数据支持团队登记取得；默认值未登记，仅供试用",
    )
    opendata_licence: str = Field(
        default="https://creativecommons.org/licenses/by/4.0/",
        description="开放数据的许可协议地址（平台默认值 CC BY 4.0）",
    )
    item_classification: Path | None = Field(
        default=None,
        description="品目分类目录文件（YAML，格式同 trading/item_classes.yaml），取代平台自带的节选",
    )
    # 电子监察（monitoring, docs/monitoring.md）
    monitoring_rules: Path | None = Field(
        default=None,
        description="监察规则包文件（YAML），取代平台自带的 monitoring/rules.yaml；缺省用平台自带规则包",
    )
    recording_approver: str = Field(
        default="supervisor",
        description="调取现场录像须经其同意的部门（角色代码）；平台默认值：行政监督部门（标准只写“有关部门”）",
    )
    device_hash_key: str | None = Field(
        default=None,
        description="投标设备标识（浏览器指纹、网卡地址哈希）入库前再次加密哈希的密钥；缺省由会话密钥派生",
    )
    page_view_flush_seconds: int = Field(
        default=60,
        ge=1,
        le=3600,
        description="门户访问计数写入数据库的间隔（秒）；平台默认值：进程异常终止最多丢失这段时间的计数",
    )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'sunshine.db').resolve()}"

    @property
    def replica_urls(self) -> tuple[str, ...]:
        return tuple(u.strip() for u in self.database_replica_urls.split(",") if u.strip())

    @property
    def admitted_requests(self) -> int:
        """Requests inside the application at once: each holds at most one thread and one connection."""
        return self.max_concurrent_reads + self.max_concurrent_writes

    @property
    def worker_threads(self) -> int:
        """The worker threads of plain ``def`` routes, dependencies and handlers (anyio's thread limiter;
        40 with the default limits, anyio's own default)."""
        return self.admitted_requests + THREAD_HEADROOM

    @property
    def db_pool_size(self) -> int:
        """Connections kept open: one per admitted request, and one for the in-process tick."""
        return self.admitted_requests + BACKGROUND_CONNECTIONS

    @property
    def db_max_overflow(self) -> int:
        """Connections opened beyond the pool when needed: as many as the worker threads beyond the admitted
        requests, so even every worker thread at once finds a connection."""
        return THREAD_HEADROOM

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.display_timezone)

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir

    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated on first run and kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        path = self.ensure_data_dir() / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
