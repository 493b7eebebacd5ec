"""项目归档: closing a project and its archive manifest in the ledger, downloadable as one zip (docs/archives.md)."""
