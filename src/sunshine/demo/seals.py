"""Demo electronic seals: the signers of the agency, the centre and the disclosure office with approved demo
keys (their key files written to the data folder, DEMO ONLY), a sealed notice, a sealed opening record, a sealed
reply letter, and the declarations of no interest of the agency's drafting staff on the demo agency projects.
One agency notice is left unsealed for a visitor to seal. Idempotent."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding.models import OpeningSession
from sunshine.config import get_settings
from sunshine.core.auth import Principal
from sunshine.declarations import service as declarations
from sunshine.declarations.models import InterestDeclaration
from sunshine.identity import service as identity
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.inforequests.models import InfoRequest
from sunshine.seals import registry
from sunshine.seals import service as seals
from sunshine.seals.models import DocumentSeal
from sunshine.signing import crypto
from sunshine.signing import service as signing
from sunshine.signing.models import SigningKey
from sunshine.trading.models import Notice, Project

KEYS_DIR = "demo-signing-keys"
DECLARED_PROJECTS = 8
KEY_FILE_FORMAT = "sunshine-signing-key/1"
KEYS_NOTE = "仅供演示：示范签章人的私钥。现实中私钥只由签章人自己保管，平台从不接触私钥。DEMO ONLY."
SIGNERS = ("agencysigner", "centresigner", "officesigner")  # demo accounts of demo/base.py
ADMINS = ("agencyadmin", "centreadmin", "officeadmin")


def _principal(user: User, roles) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=frozenset(Role(r) for r in roles),
        organisation_id=user.organisation_id,
    )


def _user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def _key_file(data_dir: Path, username: str, key: SigningKey, private: bytes) -> None:
    folder = data_dir / KEYS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    doc = {
        "note": KEYS_NOTE,
        "format": KEY_FILE_FORMAT,
        "algorithm": key.algorithm,
        "key_id": key.id,
        "public_key": key.public_key,
        "private_key": base64.b64encode(private).decode(),
    }
    (folder / f"{username}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


def _read_private(data_dir: Path, username: str, key: SigningKey) -> bytes | None:
    path = data_dir / KEYS_DIR / f"{username}.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return base64.b64decode(doc["private_key"]) if doc.get("key_id") == key.id else None


def _signer_key(session: Session, data_dir: Path, signer: Principal, admin: Principal) -> tuple[SigningKey, bytes]:
    """The signer's active demo key and its private bytes (from its key file), made and approved if missing."""
    for key in signing.active_keys(session, signer.user_id):
        private = _read_private(data_dir, signer.username, key)
        if private is not None:
            return key, private
    private, public = crypto.generate("ed25519")
    key = signing.register(session, signer, "ed25519", public, f"{signer.display_name}的示范密钥")
    signing.approve(session, admin, key.id)
    _key_file(data_dir, signer.username, key, private)
    return key, private


def _seal(session: Session, who: Principal, kind: str, document_id: int, key: SigningKey, private: bytes) -> int:
    rendered = registry.KINDS[kind].render(session, document_id)
    sha = rendered.sha256()
    done = session.scalar(
        select(DocumentSeal.id).where(
            DocumentSeal.kind == kind, DocumentSeal.document_id == document_id, DocumentSeal.document_sha256 == sha
        )
    )
    if done is not None:
        return 0
    message = registry.seal_message(kind, document_id, sha, rendered.issuer_credit_code)
    signature = base64.b64encode(crypto.sign("ed25519", private, message)).decode()
    seals.seal(session, who, kind, document_id, key_id=key.id, document_sha256=sha, signature=signature)
    return 1


def load_demo_seals(unit_of_work: Callable, data_dir: Path | None = None) -> int:
    data_dir = data_dir or get_settings().ensure_data_dir()
    made = 0
    with unit_of_work() as session:
        admins = {}
        for username in ADMINS:
            user = _user(session, username)
            if user is not None:
                admins[user.organisation_id] = _principal(user, [Role.ENTERPRISE_ADMIN])
        signers = {}
        for username in SIGNERS:
            user = _user(session, username)
            if user is not None and user.organisation_id in admins:
                who = _principal(user, [Role(r.role) for r in identity.get_user(session, user.id).roles])
                signers[username] = (who, *_signer_key(session, data_dir, who, admins[user.organisation_id]))
        # the agency's drafting user (the demo "agency" account) signs its own declarations
        drafter = session.scalar(select(User).where(User.username == "agency"))
        if drafter is not None and drafter.organisation_id in admins:
            admin = admins[drafter.organisation_id]
            held = {Role(r.role) for r in identity.get_user(session, drafter.id).roles}
            if Role.SIGNER not in held:
                identity.set_roles(session, actor=admin, user_id=drafter.id, roles=held | {Role.SIGNER})
            who = _principal(drafter, held | {Role.SIGNER})
            signers["agency"] = (who, *_signer_key(session, data_dir, who, admin))
        session.flush()

        if "agencysigner" in signers:
            who, key, private = signers["agencysigner"]
            notices = list(
                session.scalars(
                    select(Notice.id)
                    .join(Project, Notice.project_id == Project.id)
                    .where(Project.agency_id == who.organisation_id, Notice.series_id.is_(None))
                    .order_by(Notice.id)
                )
            )
            for notice_id in notices[:1]:  # the others are left for a visitor to seal
                made += _seal(session, who, "notice", notice_id, key, private)
        if "centresigner" in signers:
            who, key, private = signers["centresigner"]
            opening = session.scalar(
                select(OpeningSession.id).where(OpeningSession.record_json.is_not(None)).order_by(OpeningSession.id)
            )
            if opening is not None:
                made += _seal(session, who, "opening_record", opening, key, private)
        if "officesigner" in signers:
            who, key, private = signers["officesigner"]
            for req_id in session.scalars(
                select(InfoRequest.id).where(InfoRequest.answer_form.is_not(None)).order_by(InfoRequest.id.desc())
            ):
                rendered = registry.KINDS["reply_letter"].render(session, req_id)
                if rendered.issuer_id == who.organisation_id:
                    made += _seal(session, who, "reply_letter", req_id, key, private)
                    break
        if "agency" in signers:
            who, key, private = signers["agency"]
            projects = session.scalars(  # the most recent of the agency's projects
                select(Project)
                .where(Project.agency_id == who.organisation_id, Project.registered_by == who.user_id)
                .order_by(Project.id.desc())
                .limit(DECLARED_PROJECTS)
            )
            for project in projects:
                exists = session.scalar(
                    select(InterestDeclaration.id).where(
                        InterestDeclaration.project_id == project.id, InterestDeclaration.user_id == who.user_id
                    )
                )
                if exists is None and project.registered_by == who.user_id:
                    row = declarations.draw_up(session, who, project.id)
                    made += 1 + _seal(session, who, declarations.KIND, row.id, key, private)
    return made


__all__ = ["load_demo_seals", "KEYS_DIR"]
