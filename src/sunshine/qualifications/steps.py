"""What qualifications plugs into the layers below it, loaded by ``domains.install()``: the registration check
(trading), the section lines of the notice and project pages and the registration lines of the qualification
review (trading), the opening room's block, the conflict
check when decryption ends and the bid form's project managers (bidding)."""

from __future__ import annotations


def install() -> None:
    from sunshine.bidding import hooks as bidding_hooks
    from sunshine.qualifications import opening, service
    from sunshine.trading import registrations, section_details

    registrations.registration_check(service.check_registration)
    section_details.section_details(service.section_lines)
    section_details.registration_details(service.registration_lines)
    bidding_hooks.room_panel(opening.room_panel)
    bidding_hooks.on_decryption_closed(opening.on_decryption_closed)
    bidding_hooks.bid_people(opening.bid_people)
