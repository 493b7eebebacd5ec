"""Alembic environment: runs migrations on the connection handed over by ``sunshine.migrate``."""

from alembic import context

from sunshine.db import UTCDateTime
from sunshine.models import metadata


def render_item(type_, obj, autogen_context):
    # Migrations stay independent of application types: UTCDateTime is a plain aware DateTime in DDL.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `sunshine db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
