"""Disclosure governance (政务公开监督管理): public consultation, public opinion, document disclosure attributes,
catalogs derived and claimed, inspections and department scores (docs/governance.md)."""
