"""Declarations of no interest (无利害关系声明) by the agency staff who draft a project's tender documents."""
