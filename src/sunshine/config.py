"""Settings read from ``SUNSHINE_*`` environment variables, with working defaults for one machine.

The data folder holds the embedded SQLite database, the file store, the ledger signing key and the
generated secret key, so a fresh checkout runs with no configuration at all.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    session_hours: int = 12
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
    api_token_hours: int = 24
    max_body_bytes: int = 20 * 1024 * 1024
    file_store: str = Field(default="local", description="文件库后端：local（数据目录下的 files 文件夹）")
    max_attachment_bytes: int = Field(default=20 * 1024 * 1024, description="单个公告附件的大小上限（字节）")
    max_concurrent_writes: int = Field(
        default=8, ge=1, le=32, description="同时处理的写请求数上限（其余在事件循环中排队，不占线程和数据库连接）"
    )
    max_concurrent_reads: int = Field(
        default=24, ge=1, le=30, description="同时处理的读请求数上限（与写请求上限之和须小于 40 个工作线程）"
    )
    max_bid_bytes: int = Field(default=20 * 1024 * 1024, description="单份加密投标文件的大小上限（字节）")
    sqlite_synchronous: Literal["full", "normal"] = Field(
        default="full",
        description="SQLite 提交的落盘方式：full（默认：每次提交先写入磁盘再返回，断电也不丢失已出具回执的投标）；"
        "normal 仅供性能对比：进程崩溃不丢数据，但断电可能丢失最后的提交",
    )
    scheduler: bool = Field(default=True, description="在服务进程内运行定时任务 tick")
    tick_seconds: int = 60
    site_name: str = "阳光交易"
    centre_name: str = "示范市公共资源交易中心"
    payment_channel: str = Field(
        default="simulated", description="保证金支付通道：simulated（模拟银行），或已登记的通道名、module:Factory"
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

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'sunshine.db').resolve()}"

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
