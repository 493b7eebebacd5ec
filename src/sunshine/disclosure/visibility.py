"""Who may see a publication of the disclosure pipeline, decided once for the API, the pages and the services.

Published texts and their tombstones (撤回 leaves a public trace) are for everyone; drafts and texts held in
the confidentiality review (保密审查) are for the reviewers only — the disclosure office and the centre —
because they may still carry personal data the review is there to remove. To anyone else a draft does not
exist (404).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, true

from sunshine.core.auth import Principal
from sunshine.disclosure.models import Publication
from sunshine.identity.roles import Role

REVIEWERS = frozenset({Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF})
PUBLIC_STATUSES = ("published", "withdrawn")


def can_review(actor: Principal) -> bool:
    return bool(actor.roles & REVIEWERS)


def is_public(pub: Publication) -> bool:
    return pub.status in PUBLIC_STATUSES


def may_see(actor: Principal, pub: Publication) -> bool:
    return is_public(pub) or can_review(actor)


def public() -> ColumnElement[bool]:
    """The condition of the public lists: what anyone may read."""
    return Publication.status.in_(PUBLIC_STATUSES)


def readable(actor: Principal) -> ColumnElement[bool]:
    """The condition every list of publications starts from for ``actor``."""
    return true() if can_review(actor) else public()
