"""Who may do and see what in disclosure governance. The disclosure office (政务公开办) runs consultations,
opinion items, catalogs and inspections; the government affairs office (政务办) re-checks catalogs, inspects and
publishes scores; the committee office (管委会办公室) adopts consultations and joins opinion discussions; the
third-party evaluator (第三方评估机构) reads everything staff-side and records its own inspections; departments
(the supervisory departments and the centre) claim catalog items, draft documents and correct findings.

The public sees consultations once opened (comments only as masked, never who sent them), answers published
as public, approved catalogs, closed inspections marked published and published scores."""

from __future__ import annotations

from sunshine.core.auth import Principal
from sunshine.identity.roles import Role

OFFICE = frozenset({Role.DISCLOSURE_OFFICE})
HIGHER = frozenset({Role.GOVERNMENT_AFFAIRS})
COMMITTEE = frozenset({Role.COMMITTEE_OFFICE})
EVALUATOR = frozenset({Role.EVALUATOR})
DEPARTMENTS = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR, Role.INDUSTRY_SUPERVISOR, Role.DISCLOSURE_OFFICE})

#: staff-side readers of every governance record (the evaluator reads, never writes outside its inspections)
READERS = OFFICE | HIGHER | COMMITTEE | EVALUATOR
CONSULTATION_EDITORS = OFFICE
CONSULTATION_ADOPTERS = OFFICE | COMMITTEE
OPINION_EDITORS = OFFICE
OPINION_DISCUSSANTS = OFFICE | COMMITTEE | HIGHER
DOCUMENT_DRAFTERS = frozenset({Role.CENTRE_STAFF, Role.DISCLOSURE_OFFICE})
DOCUMENT_REVIEWERS = OFFICE
DOCUMENT_READERS = DOCUMENT_DRAFTERS | READERS
CATALOG_EDITORS = OFFICE
CATALOG_REVIEWERS = HIGHER
CATALOG_CLAIMANTS = DEPARTMENTS
CATALOG_READERS = READERS | DEPARTMENTS
INSPECTORS = OFFICE | HIGHER | EVALUATOR
CORRECTORS = DEPARTMENTS
FINDING_READERS = READERS | DEPARTMENTS
SCORERS = HIGHER


def is_reader(actor: Principal) -> bool:
    return actor.has(*READERS)
