"""Chinese names of the transaction types and methods a trading project may have, for pages, codes and the
API: the trading part of the shared vocabulary tables in ``core.labels``."""

from sunshine.core import labels

TRANSACTION_TYPES: dict[str, str] = labels.TRADING_TYPE_LABELS

METHODS: dict[str, str] = labels.subset(
    labels.METHOD_LABELS,
    (
        "open_tender",
        "invited_tender",
        "small_works_draw",
        "competitive_negotiation",
        "competitive_consultation",
        "enquiry",
        "single_source",
        "listing",
        "auction",
        "tender",
        "competitive_bidding",
    ),
)


def type_label(value: str) -> str:
    return labels.label(TRANSACTION_TYPES, value)


def method_label(value: str) -> str:
    return labels.label(METHODS, value)
