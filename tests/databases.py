"""Test databases: one PostgreSQL database per pytest-xdist worker, and ``wipe``, which puts the tables
a test wrote to back in their empty state and leaves the others alone.

A table counts as written when it holds a row or, for a table whose empty state has rows
(``BASELINE``), when it differs from them; on PostgreSQL the id sequences that handed out a value
are restarted too, so that the next test gets ids from 1 again. Asking is one query, whatever the
number of tables, and it sees what the servers and commands a test started wrote too.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine, create_engine, exists, func, literal, select, text, union_all
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from sunshine.models import metadata

# Tables whose empty state is not empty: the condition its rows meet, how many, and how to restore it.
BASELINE = {
    "ledger_state": (
        "id = 1 AND size = 0 AND compact_range = '[]'",
        1,
        "INSERT INTO ledger_state (id, size, compact_range) VALUES (1, 0, '[]')",
    )
}

# The id sequences of the schema's tables that have handed out a value since they were (re)started.
_USED_SEQUENCES = text(
    """
    SELECT s.relname
    FROM pg_depend d
    JOIN pg_class s ON s.oid = d.objid
    JOIN pg_class t ON t.oid = d.refobjid
    WHERE t.relnamespace = current_schema()::regnamespace
      AND d.deptype IN ('a', 'i')
      AND CASE WHEN s.relkind = 'S' THEN pg_sequence_last_value(s.oid) IS NOT NULL END
    """
)


def wipe(engine: Engine) -> None:
    """Put every table in its empty state, ids restarting from 1, touching only the tables written to.

    Rows are deleted, children first, rather than truncated: on PostgreSQL a TRUNCATE replaces the
    files of the table and its indexes (and with CASCADE of every table referring to it), which costs
    far more than deleting the few rows a test leaves.
    """
    with engine.begin() as conn:
        written = set(conn.scalars(_probe()))
        used = list(conn.scalars(_USED_SEQUENCES)) if conn.dialect.name == "postgresql" else []
        for table in reversed(metadata.sorted_tables):
            if table.name in written:
                conn.execute(table.delete())
        if "search_doc" in written and conn.dialect.name == "sqlite":
            # the FTS5 index over search_doc keeps its own entries (external content): emptied with its table, or a
            # later test's documents, their ids restarting from 1, would match the words of an earlier test's
            conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('delete-all')"))
        for sequence in used:
            conn.execute(text(f"ALTER SEQUENCE {conn.dialect.identifier_preparer.quote(sequence)} RESTART"))
        for name in written & BASELINE.keys():
            conn.execute(text(BASELINE[name][2]))


def _changed(table):
    if table.name not in BASELINE:
        return exists(select(1).select_from(table))
    condition, rows, _ = BASELINE[table.name]
    total = select(func.count()).select_from(table).scalar_subquery()
    odd = select(1).select_from(table).where(text(f"NOT ({condition})"))
    return (total != rows) | exists(odd)


@cache
def _probe():
    """One query naming the tables that are not in their empty state."""
    return union_all(*(select(literal(t.name).label("name")).where(_changed(t)) for t in metadata.sorted_tables))


def create_database_beside(url: str, name: str) -> str:
    """A fresh, empty database ``name`` on the server of ``url`` (whose user may create databases);
    returns its URL."""
    _admin(url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)  # left behind by a killed run
    _admin(url, "CREATE DATABASE {}", name)
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database_beside(url: str, name: str) -> None:
    _admin(url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


def _admin(url: str, statement: str, name: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text(statement.format(conn.dialect.identifier_preparer.quote(name))))
    finally:
        engine.dispose()
