"""Backups that restore: ``sunshine backup DIR`` and ``sunshine restore DIR``.

``service`` writes and restores a backup folder (the database dump, the data folder's files — file store,
keys — and a manifest of their SHA-256); ``database`` dumps and restores SQLite and PostgreSQL.
docs/durability.md describes the format, the checks and the schedule.
"""
