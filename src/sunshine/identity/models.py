"""Tables for organisations (机构), users (用户), their roles and their login/API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sunshine.db import Base, UTCDateTime


class OrganisationKind(StrEnum):
    ENTERPRISE = "enterprise"  # 企业（投标人、供应商、竞买人）
    AGENCY = "agency"  # 招标代理机构 / 采购代理机构
    PURCHASER = "purchaser"  # 招标人 / 采购人（机关、事业单位、国有企业）
    CENTRE = "centre"  # 公共资源交易中心
    DEPARTMENT = "department"  # 行政监督部门 / 政府部门

    @property
    def label(self) -> str:
        return {
            "enterprise": "企业",
            "agency": "代理机构",
            "purchaser": "招标人/采购人",
            "centre": "交易中心",
            "department": "政府部门",
        }[self.value]


class Organisation(Base):
    # 机构 organisation, identified by its 统一社会信用代码
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(String(6))  # 行政区划代码
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class User(Base):
    # 用户 user account
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    roles: Mapped[list[UserRole]] = relationship(back_populates="user", lazy="raise", cascade="all, delete-orphan")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")


class UserRole(Base):
    # 用户角色 role held by a user
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32))

    user: Mapped[User] = relationship(back_populates="roles", lazy="raise")


class TokenKind(StrEnum):
    SESSION = "session"  # browser session behind the HttpOnly cookie
    API = "api"  # bearer token for /api/v1


class AuthToken(Base):
    # 登录凭据 a session or API token; only its SHA-256 is stored
    __tablename__ = "auth_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    csrf_secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    authenticated_at: Mapped[datetime] = mapped_column(UTCDateTime)  # password last entered (re-authentication)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginThrottle(Base):
    # 登录失败限制 failed sign-ins counted per account name and per client address, with a temporary lock
    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # "account:<name>" or "address:<ip>"
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive failures since the last success
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
