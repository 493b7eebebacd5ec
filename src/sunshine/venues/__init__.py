"""The centre's rooms and their bookings (场地与场室): opening halls, isolated evaluation rooms, draw, negotiation
and auction halls; sessions book a room for a time span, never two at once (docs/venues.md)."""
