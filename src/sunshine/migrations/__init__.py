"""Alembic migrations, shipped inside the package so that ``sunshine db upgrade`` works from an install."""
