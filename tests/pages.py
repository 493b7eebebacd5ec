"""Helpers for page tests: read a form's CSRF token, read a page as words, and visit as a signed-in user."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape

from fastapi.testclient import TestClient

from tests.builders import PASSWORD


def csrf_token(page_text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_text).group(1)


def page_text(html: str) -> str:
    """The page as words, without tags (what a person reads)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@contextmanager
def browser(app, username: str | None = None, password: str = PASSWORD) -> Iterator[TestClient]:
    """A visitor with their own cookies, signed in through the login form when a username is given."""
    with TestClient(app, base_url="https://testserver") as client:
        if username:
            page = client.get("/login")
            response = client.post(
                "/login",
                data={"username": username, "password": password, "csrf_token": csrf_token(page.text)},
                follow_redirects=False,
            )
            assert response.status_code == 303, response.text
        yield client
