"""The hardware identifiers the bidder's command line reports with a sealed bid (``Sunshine-Device``), for the
platform's electronic monitoring (电子监察: bids of different bidders made on one machine): the network cards' MAC
addresses and the operating system's machine id, each sent only as a SHA-256 with a fixed prefix, never in the
clear. ``--no-device`` sends nothing. Reads what the operating system exposes without privileges; an identifier it
cannot read is left out."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

PREFIX = "sunshine-device-v1:"
MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))
NET = Path("/sys/class/net")


def _hash(value: str) -> str:
    return hashlib.sha256(f"{PREFIX}{value.strip().lower()}".encode()).hexdigest()


def mac_addresses() -> list[str]:
    found = set()
    if NET.is_dir():
        for iface in NET.iterdir():
            if iface.name == "lo":
                continue
            try:
                mac = (iface / "address").read_text().strip()
            except OSError:
                continue
            if mac and mac != "00:00:00:00:00:00":
                found.add(mac)
    if not found:
        node = uuid.getnode()
        if not (node >> 40) & 1:  # a real MAC address, not a random one uuid made up
            found.add(":".join(f"{(node >> s) & 0xFF:02x}" for s in range(40, -1, -8)))
    return sorted(found)


def machine_id() -> str | None:
    for path in MACHINE_ID_FILES:
        try:
            value = path.read_text().strip()
        except OSError:
            continue
        if value:
            return value
    return None


def header() -> str:
    """``mac=<sha256>,<sha256>;machine=<sha256>``, or empty when nothing can be read."""
    parts = []
    macs = mac_addresses()
    if macs:
        parts.append("mac=" + ",".join(_hash(m) for m in macs[:16]))
    machine = machine_id()
    if machine:
        parts.append("machine=" + _hash(machine))
    return ";".join(parts)
