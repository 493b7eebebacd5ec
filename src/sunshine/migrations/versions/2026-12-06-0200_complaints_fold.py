"""complaints: the objections raised at the opening and to the evaluation result become cases of the complaints
module (their rows moved into complaint_case with their history, the old tables dropped); the supervisory
department a complaint is filed to

Revision ID: 20261206_0200
Revises: 20261206_0100
Create Date: 2026-12-06 02:00:00
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0200"
down_revision: str | tuple[str, ...] | None = "20261206_0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _tz():  # noqa: ANN202
    from sunshine.config import get_settings

    return get_settings().tz


def _local_day(value: datetime | str):  # noqa: ANN202
    if isinstance(value, str):  # SQLite hands a stored timestamp back as text
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    return value.astimezone(_tz()).date()


def _respondent(conn, project) -> str:  # noqa: ANN001
    ids = [i for i in (project.tenderer_id, project.agency_id) if i is not None]
    if not ids:
        return ""
    names = dict(
        conn.execute(
            sa.text("SELECT id, name FROM organisation WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": ids},
        ).all()
    )
    return "、".join(names[i] for i in ids if i in names)


def _fold(conn) -> None:  # noqa: ANN001
    case = sa.table(
        "complaint_case",
        *(
            sa.column(c)
            for c in (
                "id",
                "code",
                "kind",
                "project_id",
                "section_id",
                "organisation_id",
                "filed_by",
                "filed_at",
                "received_on",
                "knew_on",
                "matter",
                "respondent",
                "contact",
                "facts",
                "request",
                "legal_basis",
                "signed",
                "prior_case_id",
                "prior_result_objection_id",
                "state",
                "answer",
                "founded",
                "answered_at",
                "answered_by",
                "suspended_project",
                "ledger_seq",
            )
        ),
    )
    event = sa.table(
        "complaint_event",
        *(sa.column(c) for c in ("case_id", "step", "day", "days", "note", "actor_id", "at", "ledger_seq")),
    )
    serials: dict[str, int] = {}

    def code(prefix: str, day) -> str:  # noqa: ANN001
        scope = f"complaint:{prefix}:{day.year}"
        if scope not in serials:
            current = conn.execute(
                sa.text("SELECT next_value FROM code_sequence WHERE scope = :s"), {"s": scope}
            ).scalar()
            serials[scope] = current or 1
        n = serials[scope]
        serials[scope] = n + 1
        return f"{prefix}{day.year}{n:05d}"

    def add(kind, prefix, project_id, section_id, org, by, at, text, answer, answered_by, answered_at, seq):  # noqa: ANN001, ANN202
        project = conn.execute(
            sa.text("SELECT id, tenderer_id, agency_id FROM project WHERE id = :p"), {"p": project_id}
        ).one()
        day = _local_day(at)
        values = {
            "code": code(prefix, day),
            "kind": kind,
            "project_id": project_id,
            "section_id": section_id,
            "organisation_id": org,
            "filed_by": by,
            "filed_at": at,
            "received_on": day,
            "knew_on": day,
            "matter": "opening" if kind == "opening_objection" else "result",
            "respondent": _respondent(conn, project),
            "contact": "",
            "facts": text,
            "request": "",
            "legal_basis": None,
            "signed": True,
            "prior_case_id": None,
            "prior_result_objection_id": None,
            "state": "answered" if answered_at else "filed",
            "answer": answer,
            "founded": None,
            "answered_at": answered_at,
            "answered_by": answered_by,
            "suspended_project": False,
            "ledger_seq": seq,
        }
        new_id = conn.execute(case.insert().values(**values).returning(case.c.id)).scalar_one()
        conn.execute(
            event.insert().values(
                case_id=new_id, step="filed", day=day, days=0, note=None, actor_id=by, at=at, ledger_seq=seq
            )
        )
        if answered_at is not None:
            conn.execute(
                event.insert().values(
                    case_id=new_id,
                    step="answered",
                    day=_local_day(answered_at),
                    days=0,
                    note=answer,
                    actor_id=answered_by,
                    at=answered_at,
                    ledger_seq=seq,
                )
            )
        return new_id

    rows = conn.execute(
        sa.text(
            "SELECT o.id, s.project_id, o.organisation_id, o.raised_by, o.raised_at, o.text, o.answer, o.answered_by,"
            " o.answered_at FROM opening_objection o JOIN opening_session s ON s.id = o.session_id ORDER BY o.id"
        )
    ).all()
    for r in rows:
        add(
            "opening_objection",
            "KB",
            r.project_id,
            None,
            r.organisation_id,
            r.raised_by,
            r.raised_at,
            r.text,
            r.answer,
            r.answered_by,
            r.answered_at,
            0,
        )
    rows = conn.execute(
        sa.text(
            "SELECT id, project_id, section_id, organisation_id, filed_by, filed_at, content, answer, answered_by,"
            " answered_at, answer_deadline_id, ledger_seq FROM result_objection ORDER BY id"
        )
    ).all()
    for r in rows:
        new_id = add(
            "result_objection",
            "JG",
            r.project_id,
            r.section_id,
            r.organisation_id,
            r.filed_by,
            r.filed_at,
            r.content,
            r.answer,
            r.answered_by,
            r.answered_at,
            r.ledger_seq,
        )
        # the case clock takes over the tracked deadline; the complaints that followed it point at the case
        conn.execute(
            sa.text("UPDATE tracked_deadline SET is_open = :f WHERE id = :d"), {"f": False, "d": r.answer_deadline_id}
        )
        conn.execute(
            sa.text(
                "UPDATE complaint_case SET prior_case_id = :n, prior_result_objection_id = NULL"
                " WHERE prior_result_objection_id = :o AND prior_case_id IS NULL"
            ),
            {"n": new_id, "o": r.id},
        )
        conn.execute(
            sa.text(
                "UPDATE alert SET subject_kind = 'complaint', subject_id = :n"
                " WHERE subject_kind = 'result_objection' AND subject_id = :o"
            ),
            {"n": new_id, "o": r.id},
        )
    for scope, nxt in serials.items():
        updated = conn.execute(
            sa.text("UPDATE code_sequence SET next_value = :n WHERE scope = :s"), {"n": nxt, "s": scope}
        ).rowcount
        if not updated:
            conn.execute(
                sa.text("INSERT INTO code_sequence (scope, next_value) VALUES (:s, :n)"), {"s": scope, "n": nxt}
            )


def upgrade() -> None:
    with op.batch_alter_table("complaint_case") as batch:
        batch.add_column(sa.Column("department", sa.String(length=30), nullable=True))
    op.create_index(op.f("ix_complaint_case_department"), "complaint_case", ["department"])
    _fold(op.get_bind())
    with op.batch_alter_table("opening_objection") as batch:
        batch.drop_index(batch.f("ix_opening_objection_session_id"))
    op.drop_table("opening_objection")
    with op.batch_alter_table("result_objection") as batch:
        batch.drop_index(batch.f("ix_result_objection_project_id"))
        batch.drop_index(batch.f("ix_result_objection_organisation_id"))
    op.drop_table("result_objection")


def downgrade() -> None:
    # the folded cases stay in complaint_case; the old tables come back empty
    op.create_table(
        "opening_objection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("raised_by", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("raised_at", TS, nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["opening_session.id"],
            name=op.f("fk_opening_objection_session_id_opening_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_objection")),
    )
    op.create_index(op.f("ix_opening_objection_session_id"), "opening_objection", ["session_id"])
    op.create_table(
        "result_objection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=False),
        sa.Column("filed_at", TS, nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("answer_deadline_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_result_objection_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_objection")),
    )
    op.create_index(op.f("ix_result_objection_project_id"), "result_objection", ["project_id"])
    op.create_index(op.f("ix_result_objection_organisation_id"), "result_objection", ["organisation_id"])
    op.drop_index(op.f("ix_complaint_case_department"), table_name="complaint_case")
    with op.batch_alter_table("complaint_case") as batch:
        batch.drop_column("department")
