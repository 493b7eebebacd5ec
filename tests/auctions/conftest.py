"""Auction tests create many users; they are not about passwords."""

from __future__ import annotations

import pytest

from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)
