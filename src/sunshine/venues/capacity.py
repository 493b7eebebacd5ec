"""Whether a room seats a session (场室容量): the people a session expects in the room's seats and in its observer
seats against the room's numbers; a session expecting more is refused with both numbers (409
``venue_too_small``). ``venues.service`` checks it on every booking that says whom it expects."""

from __future__ import annotations

from dataclasses import dataclass

from sunshine.core.errors import Conflict
from sunshine.venues.models import Room


class VenueTooSmall(Conflict):
    code = "venue_too_small"
    title = "场室座位不足"


@dataclass(frozen=True)
class Attendance:
    """Who a session expects in the room: ``seats`` in the room's seats (with what they are, in Chinese), and
    ``observers`` in its observer seats."""

    seats: int
    detail: str
    observers: int = 0


def check_capacity(room: Room, attendance: Attendance | None) -> None:
    """A session expecting more people than the room seats is refused, naming both numbers."""
    if attendance is None:
        return
    if attendance.seats > room.capacity:
        raise VenueTooSmall(
            f"{room.name}有座位 {room.capacity} 个，本场次预计到场 {attendance.seats} 人（{attendance.detail}），"
            "超出场室容量，请选择座位更多的场室",
            field="room_id",
            room=room.id,
            capacity=room.capacity,
            attendance=attendance.seats,
        )
    if attendance.observers > room.observer_seats:
        raise VenueTooSmall(
            f"{room.name}有旁听席 {room.observer_seats} 个，本场次预计旁听 {attendance.observers} 人，"
            "超出旁听席位，请选择旁听席更多的场室",
            field="observers",
            room=room.id,
            observer_seats=room.observer_seats,
            observers=attendance.observers,
        )
