"""资质、人员、业绩: an enterprise's qualification certificates, key personnel and past performance, the structured
requirements of a section, and the checks at registration and opening (docs/qualifications.md)."""
