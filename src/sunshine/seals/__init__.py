"""Electronic seals (电子签章) on the documents the platform issues, and their public verification."""
