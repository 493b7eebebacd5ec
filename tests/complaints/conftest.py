"""Long-lived API tokens: these walks move the clock by weeks."""

from __future__ import annotations

import pytest

from tests.results.builders import fast


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    fast(monkeypatch)
