"""Password hashing profiles: production hashes with Argon2id at the RFC 9106 low-memory cost; the
suite's cheap profile is chosen only by an explicit setting, and its hashes are upgraded on login."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.config import Settings, get_settings
from sunshine.identity import passwords
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from tests.builders import PASSWORD, make_user


def _standard(monkeypatch) -> None:
    monkeypatch.delenv("SUNSHINE_PASSWORD_HASHING")
    get_settings.cache_clear()


def test_the_default_is_the_standard_profile(monkeypatch):
    monkeypatch.delenv("SUNSHINE_PASSWORD_HASHING")
    assert Settings().password_hashing == "standard"


def test_standard_hashes_are_argon2id_at_the_rfc_9106_low_memory_cost(monkeypatch):
    _standard(monkeypatch)
    stored = passwords.hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, PASSWORD)
    assert not passwords.verify_password(stored, PASSWORD + "x")
    assert not passwords.needs_rehash(stored)
    passwords.verify_unknown_user(PASSWORD)  # costs a real verification, and says nothing


def test_a_cheap_hash_verifies_under_the_standard_profile_and_login_upgrades_it(db, client, monkeypatch):
    make_user(db, Role.BIDDER, username="hl")  # hashed with the suite's cheap profile
    with db.unit_of_work() as s:
        cheap = s.scalar(select(User.password_hash).where(User.username == "hl"))
    assert cheap.startswith("$argon2id$v=19$m=1024,t=1,p=1$")

    _standard(monkeypatch)
    assert passwords.needs_rehash(cheap)
    login = client.post("/api/v1/auth/token", json={"username": "hl", "password": PASSWORD})
    assert login.status_code == 200, login.text
    with db.unit_of_work() as s:
        upgraded = s.scalar(select(User.password_hash).where(User.username == "hl"))
    assert upgraded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(upgraded, PASSWORD)
