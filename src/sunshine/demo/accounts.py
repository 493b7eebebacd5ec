"""The demo organisations (the centre, its supervising departments, agencies, purchasers and bidders)
and one account per role, created through the identity service unless they exist.
"""

from __future__ import annotations

from datetime import timedelta

from sunshine.core.clock import AdjustableClock
from sunshine.db import Database
from sunshine.demo.base import DEMO_PASSWORD, ORGS, REGION, USERS
from sunshine.identity import credit_code, service
from sunshine.ledger import service as ledger


def load_accounts(db: Database, demo_clock: AdjustableClock | None) -> int:
    """Create the organisations and accounts that are missing; on a fresh log (a walkable ``demo_clock``)
    the clock advances between them so that they carry plausible dates. Returns how many were made."""
    created = 0
    with db.unit_of_work() as session:
        ids: dict[str, int] = {}
        for org in ORGS:
            code = credit_code.complete(org.prefix17)
            existing = service.find_organisation_by_code(session, code)
            if existing is None:
                existing = service.create_organisation(
                    session,
                    name=org.name,
                    credit_code_value=code,
                    kind=org.kind,
                    region_code=REGION,
                    contact_phone=org.phone,
                    address=org.address,
                )
                created += 1
                if demo_clock is not None:
                    demo_clock.advance(timedelta(days=1, hours=3))
            ids[org.key] = existing.id
        existing_users = {u.username for u in service.list_users(session)}
        for username, name, roles, org_key in USERS:
            if username in existing_users:
                continue
            service.create_user(
                session,
                username=username,
                display_name=name,
                password=DEMO_PASSWORD,
                roles=roles,
                organisation_id=ids[org_key] if org_key else None,
            )
            created += 1
            if demo_clock is not None:
                demo_clock.advance(timedelta(hours=10))
        if created:
            ledger.sign_head(session)
    return created
