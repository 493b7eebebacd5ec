"""The demo's rooms: eight rooms with equipment, the openings of projects under way and the evaluations of the
approved draw requests booked, a draw and a negotiation the centre booked, and the room rules published."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.demo.venues import load_demo_venues
from sunshine.venues import regulations
from sunshine.venues.models import Booking, Room


def test_demo_venues(demo, db):
    with db.unit_of_work() as s:
        rooms = {r.id: r for r in s.scalars(select(Room))}
        assert len(rooms) == 8 and all(r.equipment for r in rooms.values())
        booked = list(s.scalars(select(Booking).where(Booking.state == "booked")))
        purposes = {b.purpose for b in booked}
        assert {"opening", "evaluation", "draw", "negotiation"} <= purposes, purposes
        for b in booked:
            assert (b.purpose == "evaluation") == (rooms[b.room_id].kind == "evaluation")
        published = regulations.published_rules(s)
        assert published is not None and "第二评标室" in published.body
    assert load_demo_venues(db.unit_of_work) == 0  # idempotent
