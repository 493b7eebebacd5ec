"""Loads every domain's lifecycle steps and after-step hooks into the trading kernel, once per process.

The web application, the command line and the tick call ``install`` before any step is taken. Order matters
only for hooks of the same step: a domain that adds documents to a step (trading's termination notice) is
loaded before disclosure, which publishes them.
"""

from __future__ import annotations

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    from sunshine.archives import steps as archives_steps
    from sunshine.auctions import outcomes as auction_outcomes
    from sunshine.auctions import steps as auction_steps  # noqa: F401
    from sunshine.awards import steps as awards_steps
    from sunshine.bidding import sealing as bidding_sealing
    from sunshine.bidding import steps as bidding_steps  # noqa: F401
    from sunshine.bidding import watching as bidding_watching
    from sunshine.committees import steps as committees_steps
    from sunshine.complaints import steps as complaints_steps
    from sunshine.credit import steps as credit_steps
    from sunshine.declarations import steps as declarations_steps
    from sunshine.disclosure import hooks as disclosure_hooks
    from sunshine.evaluation import steps as evaluation_steps
    from sunshine.governance import steps as governance_steps
    from sunshine.inforequests import sealing as inforequests_sealing
    from sunshine.market import service as market
    from sunshine.monitoring import steps as monitoring_steps
    from sunshine.performance import steps as performance_steps
    from sunshine.procedure import steps as procedure_steps
    from sunshine.qualifications import steps as qualifications_steps
    from sunshine.results import steps as results_steps
    from sunshine.servicedesk import steps as servicedesk_steps
    from sunshine.smallworks import steps as smallworks_steps
    from sunshine.supervision import steps as supervision_steps
    from sunshine.tenderdocs import steps as tenderdocs_steps
    from sunshine.trading import sealing as trading_sealing
    from sunshine.trading import steps as trading_steps
    from sunshine.venues import steps as venues_steps

    trading_steps.install()
    market.install()  # registration refuses a participant the centre has not approved (checked first)
    qualifications_steps.install()
    # sealable documents (seals registry) and the declarations a first notice waits for, before disclosure
    trading_sealing.install()
    bidding_sealing.install()
    bidding_watching.install()  # the opening as an observed session (observers' kind "opening_session")
    inforequests_sealing.install()
    declarations_steps.install()
    committees_steps.install()  # draw purposes and reasons; finished draws disclosed at the results
    smallworks_steps.install()  # the draw purpose, its exclusion reasons and the section lines of draw projects
    procedure_steps.install()  # the catalogue check at registration; the approval a change of method needs
    tenderdocs_steps.install()  # the first notice waits for filed documents; holders asked to acknowledge changes
    venues_steps.install()  # the opening room booked with the notice, rooms released when a project ends
    evaluation_steps.install()  # the end of the evaluation: 评审结束 or 流标
    results_steps.install()  # the result clocks from the report; the decided winners in trading.outcomes
    auction_outcomes.install()  # each sold section's buyer and final price (trading.outcomes)
    awards_steps.install()  # award letters: a sealable document kind and the inbox message kind
    performance_steps.install()  # securities after the contract, the written report's clock, the refund hold
    archives_steps.install()  # closing a project: the project page's link to its archive
    complaints_steps.install()  # the project page links to its cases; the inbox message kind
    credit_steps.install()  # penalties published through disclosure; experts known by their code; conduct rated
    disclosure_hooks.install()
    supervision_steps.install()  # 社会监督: observer seats at scheduled sessions, draw purposes, message kinds
    monitoring_steps.install()  # 电子监察: a project's rules after each of its steps and after its decryption
    servicedesk_steps.install()  # 服务台: surveys after acceptance and opening; 12345 told of order steps
    governance_steps.install()  # the annual report counts rules and normative documents adopted after consultation
    from sunshine.committees import todo_sources as committees_todos
    from sunshine.complaints import todo_sources as complaints_todos
    from sunshine.experts import todo_sources as experts_todos
    from sunshine.governance import todo_sources as governance_todos
    from sunshine.procedure import todo_sources as procedure_todos
    from sunshine.supervision import todo_sources as supervision_todos
    from sunshine.trading import todo_sources as trading_todos

    # the workbench to-dos each domain gives the roles that act on its records (core/todos.py)
    trading_todos.install()  # a tenderer's or agency's projects waiting for their step
    complaints_todos.install()  # answers, statements, corrections and the department's decisions
    committees_todos.install()  # expert draw requests awaiting the supervisory department's approval
    procedure_todos.install()  # method changes and direct awards awaiting the supervisory department
    experts_todos.install()  # expert applications awaiting review and approval
    supervision_todos.install()  # open-day applications awaiting the government affairs office
    governance_todos.install()  # catalogs awaiting 政务办's re-check, catalog items nobody has claimed
    from sunshine.disclosure import search_sources as disclosure_search
    from sunshine.policy import search_sources as policy_search
    from sunshine.search import indexing as search_indexing
    from sunshine.trading import search_sources as trading_search

    trading_search.install()  # site search: notices and public projects
    disclosure_search.install()  # site search: publications while published
    policy_search.install()  # site search: policy documents and interpretations
    search_indexing.install()  # the index follows those records in the same transaction
    _installed = True
