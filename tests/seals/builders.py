"""A notice ready to seal: an agency project with its first notice, the agency's signer and an approved key."""

from __future__ import annotations

from dataclasses import dataclass

from sunshine.core.auth import Principal
from sunshine.db import Database
from sunshine.identity.roles import Role
from sunshine.seals import registry
from tests.signing.builders import Key, make_key
from tests.trading.builders import accepted_project, actor, publish_notice, tender_world


@dataclass
class Sealable:
    world: dict
    project_id: int
    notice_id: int
    signer: Principal
    key: Key


def sealable_notice(db: Database, **key_options) -> Sealable:
    world = tender_world(db)
    project_id = accepted_project(db, world)
    notice_id = publish_notice(db, world["agency"], project_id)
    signer = actor(db, Role.SIGNER, organisation_id=world["agency_org"])
    return Sealable(world, project_id, notice_id, signer, make_key(db, signer, **key_options))


def seal_body(db: Database, kind: str, document_id: int, key: Key, *, message_of=None) -> dict:
    """The JSON a browser would send: the document's hash and the key's signature of the seal message."""
    import base64

    with db.unit_of_work() as s:
        rendered = registry.KINDS[kind].render(s, document_id)
        sha = rendered.sha256()
        message = registry.seal_message(kind, document_id, sha, rendered.issuer_credit_code)
    signature = key.sign(message_of(message) if message_of else message)
    return {"key_id": key.id, "document_sha256": sha, "signature": base64.b64encode(signature).decode()}
