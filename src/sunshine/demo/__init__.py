"""The demo data loaders, one module per area: ``accounts`` (organisations and one account per role),
``disclosure`` (the catalog and a year of proactive disclosure), ``channels`` (policies, public
concerns, a subscription), ``inforequests`` (a year of information requests), ``trading`` (a project
for every type and method), ``auctions`` (online auctions) and ``bidding`` (sealed bids and openings).
What they share is in ``base``; ``load`` is the entry point that runs them in order."""

from sunshine.demo.base import DEMO_PASSWORD, ORGS, USERS
from sunshine.demo.load import load_demo_data

__all__ = ["DEMO_PASSWORD", "ORGS", "USERS", "load_demo_data"]
