"""Password hashing with Argon2id (argon2-cffi defaults, RFC 9106 low-memory profile).

``SUNSHINE_PASSWORD_HASHING=insecure-fast-for-tests`` selects Argon2id at its smallest cost; the test
suite sets it because it creates thousands of users and is not about password cracking. Production
keeps the default, ``standard``. Hashes carry their own parameters, so each profile verifies the
other's hashes, and logging in with the standard profile upgrades a cheap hash (``needs_rehash``).
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sunshine.config import get_settings

_PROFILES = {
    "standard": PasswordHasher(),
    "insecure-fast-for-tests": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}


def _hasher() -> PasswordHasher:
    return _PROFILES[get_settings().password_hashing]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@cache
def _dummy_hash(profile: str) -> str:
    return _PROFILES[profile].hash("sunshine-no-such-user")


def verify_unknown_user(password: str) -> None:
    """Spend the time of a real verification when the username is unknown, so a login takes the same
    time either way."""
    verify_password(_dummy_hash(get_settings().password_hashing), password)
