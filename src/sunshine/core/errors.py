"""One family of domain errors, each with a stable machine code, an HTTP status and a Chinese title.

Services raise these; the web layer renders them once (``sunshine.web.errors``): RFC 9457
problem+json for the API, an error page for a browser.
"""

from __future__ import annotations

from typing import Any, ClassVar


class SunshineError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "请求有误"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        self.detail = detail or self.title
        self.extra = extra
        super().__init__(self.detail)


class BadRequest(SunshineError):
    pass


class InvalidInput(SunshineError):
    status = 422
    code = "invalid_input"
    title = "提交的数据不符合要求"


class NotAuthenticated(SunshineError):
    status = 401
    code = "not_authenticated"
    title = "请先登录"


class InvalidCredentials(SunshineError):
    status = 401
    code = "invalid_credentials"
    title = "用户名或密码错误"


class Forbidden(SunshineError):
    status = 403
    code = "forbidden"
    title = "当前角色无权执行此操作"


class NotFound(SunshineError):
    status = 404
    code = "not_found"
    title = "未找到所请求的内容"


class Conflict(SunshineError):
    status = 409
    code = "conflict"
    title = "操作与当前状态冲突"


class AlreadyExists(Conflict):
    code = "already_exists"
    title = "记录已存在"


class RuleViolation(Conflict):
    """A date or value breaks a rule of the governing rule pack; ``extra`` carries ``rule`` (its id) and
    ``basis`` (its legal basis), the detail says the required value and the earliest or latest date."""

    code = "rule_violation"
    title = "不符合法定期限或规则要求"


class CsrfFailed(SunshineError):
    status = 403
    code = "csrf_failed"
    title = "表单已失效，请刷新页面后重试"


class ClockLocked(SunshineError):
    status = 409
    code = "clock_locked"
    title = "系统时钟在正式运行中不可调整"


class DatabaseNotReady(SunshineError):
    status = 503
    code = "database_not_ready"
    title = "数据库尚未迁移到当前版本"


class SessionExpired(NotAuthenticated):
    """A page session past its idle timeout or its absolute lifetime (settings ``session_idle_minutes``,
    ``session_hours``): the visitor signs in again."""

    code = "session_expired"
    title = "登录已超时，请重新登录"


class TokenExpired(NotAuthenticated):
    """An API token past its lifetime (setting ``api_token_hours``): the client obtains a new one."""

    code = "token_expired"
    title = "访问令牌已过期，请重新获取"


class ReauthenticationRequired(SunshineError):
    """A sensitive step (submitting, withdrawing or decrypting a sealed bid, deciding a complaint …) needs the
    password entered within the last few minutes (``core.auth.RecentAuth``)."""

    status = 401
    code = "reauthentication_required"
    title = "请再次输入密码确认身份"
