"""Cross-cutting services: clock, errors, database types, authorisation, calendar, file store."""
