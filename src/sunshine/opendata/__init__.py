"""数据开放: the platform's public trading data in the Open Contracting Data Standard (OCDS 1.1) — releases at
each published stage, records with their compiled release, the public read API, bulk downloads and the Atom
feed of releases (docs/opendata.md)."""
