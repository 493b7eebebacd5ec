"""Who sees what of social supervision. Public: the recruitment notices, the public part of the schedule, open days
with their 活动须知, poll, draw record and report, published opinions, a card's state by its signed QR. Never public:
a supervisor's or an attendee's name and phone (the centre's staff who manage them see them), opinions not yet
published (the body they are routed to and the disclosure office see those), the authors of opinions."""

from __future__ import annotations

from sunshine.core.auth import Principal
from sunshine.identity.roles import Role

MANAGERS = frozenset({Role.CENTRE_STAFF})
OFFICE = frozenset({Role.GOVERNMENT_AFFAIRS})
OPINION_HANDLERS = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR, Role.DISCLOSURE_OFFICE})
#: who reads the list of people of an open day (names and phones): the centre, and 政务办 who screens them
PEOPLE_READERS = MANAGERS | OFFICE


def sees_people(actor: Principal) -> bool:
    return actor.has(*PEOPLE_READERS)


def manages(actor: Principal) -> bool:
    return actor.has(*MANAGERS)
