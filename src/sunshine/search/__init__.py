"""Site search (全站检索): public records of every domain in the database's own full-text index.

Domains register what they offer (``sources.register``); ``indexing`` keeps the index in the same
transaction as the records it mirrors; ``backends`` holds the index itself (SQLite FTS5, PostgreSQL
tsvector, or a centre's own engine behind the same interface); ``service`` answers queries. The package
imports only ``core``: domains register into it, it imports none of them (docs/search.md).
"""
