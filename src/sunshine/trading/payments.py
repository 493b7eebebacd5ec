"""The payment channel behind deposits (保证金): a virtual sub-account per bidder and section
(虚拟子账号), confirmation of incoming transfers, verification of electronic guarantees (电子保函)
and refunds, as evidence the centre keeps.

The channel is an interface chosen by ``SUNSHINE_PAYMENT_CHANNEL`` (Warehouse's pattern of backends
behind an interface): ``simulated`` (default) is a bank that answers from the platform's own
database so that tests and the demo can "pay"; a real bank's adapter is registered with
``register_channel`` or named as ``package.module:Factory``. A factory takes the unit of work's
session, so an adapter can read what it needs and never writes outside the database.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.errors import InvalidInput, SunshineError
from sunshine.identity.models import Organisation
from sunshine.ledger.format import iso_utc

#: What a channel returns as proof of one money step: bank serial number, payer account name,
#: amount (a string in yuan with 2 places), times as ISO 8601 UTC. Stored as JSON on the deposit.
Evidence = dict[str, str]


@dataclass(frozen=True)
class ChannelAccount:
    channel: str  # the channel's name, kept on the deposit
    reference: str  # the virtual sub-account the bidder pays into


class ChannelError(SunshineError):
    status = 409
    code = "payment_channel"
    title = "支付通道未能完成操作"


class ChannelNotConfigured(SunshineError):
    status = 503
    code = "payment_channel_not_configured"
    title = "保证金支付通道配置有误"


class PaymentChannel(Protocol):
    name: str

    def open_account(self, project_code: str, section_number: int, organisation: Organisation) -> ChannelAccount:
        """A virtual sub-account (虚拟子账号) for one bidder's deposit in one section."""

    def confirm(self, reference: str, amount: Decimal) -> Evidence:
        """The bank's record of ``amount`` having arrived in the sub-account ``reference``."""

    def verify_guarantee(self, guarantee_number: str, issuer: str, amount: Decimal) -> Evidence:
        """The issuer's confirmation that an electronic guarantee (电子保函) is genuine and covers ``amount``."""

    def refund(self, reference: str, amount: Decimal) -> Evidence:
        """Pay ``amount`` back from the sub-account to the account it came from (原路退还)."""

    def release_guarantee(self, guarantee_number: str, issuer: str) -> Evidence:
        """Release a guarantee (退还保函): the guarantor is no longer bound; no money moves."""


def _money(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01")))


def _digits(text: str, n: int) -> str:
    """``n`` decimal digits derived from ``text`` (deterministic)."""
    value = int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")
    return str(value % 10**n).zfill(n)


GUARANTEE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{5,63}$")


class SimulatedBank:
    """A bank that exists only inside the platform. References are derived from their inputs plus a
    random part (so two deposits never share a sub-account); a transfer "arrives" when the centre
    confirms it, from the account of the organisation the sub-account was opened for."""

    name = "simulated"
    #: the centre's deposit master account (保证金专户) at the simulated bank
    MASTER_ACCOUNT = "62"

    def __init__(self, session: Session) -> None:
        self.session = session

    def _serial(self, prefix: str) -> str:
        return f"{prefix}{clock.now().strftime('%Y%m%d%H%M%S')}{secrets.token_hex(4).upper()}"

    def open_account(self, project_code: str, section_number: int, organisation: Organisation) -> ChannelAccount:
        derived = _digits(f"{project_code}|{section_number}|{organisation.credit_code}", 10)
        reference = f"{self.MASTER_ACCOUNT}{derived}{secrets.randbelow(10**6):06d}"
        return ChannelAccount(self.name, reference)

    def _payer(self, reference: str) -> Organisation:
        from sunshine.trading.models import Deposit

        org = self.session.scalar(
            select(Organisation)
            .join(Deposit, Deposit.organisation_id == Organisation.id)
            .where(Deposit.channel == self.name, Deposit.channel_ref == reference)
        )
        for resolver in _PAYERS if org is None else ():  # money other than bid deposits (履约保证金)
            org = org or resolver(self.session, reference)
        if org is None:
            raise ChannelError(f"模拟银行没有子账号 {reference} 的到账记录")
        return org

    def confirm(self, reference: str, amount: Decimal) -> Evidence:
        payer = self._payer(reference)
        return {
            "channel": self.name,
            "bank_serial": self._serial("SIM"),
            "account": reference,
            "payer_account_name": payer.name,
            "payer_account": f"{_digits('basic|' + payer.credit_code, 16)}",  # 基本账户
            "amount": _money(amount),
            "paid_at": iso_utc(clock.now()),
        }

    def verify_guarantee(self, guarantee_number: str, issuer: str, amount: Decimal) -> Evidence:
        if not GUARANTEE_NUMBER.match(guarantee_number or ""):
            raise InvalidInput("保函编号应为 6–64 位字母、数字或连字符", field="guarantee_number")
        if not (issuer and issuer.strip()):
            raise InvalidInput("请填写出具保函的银行、保险或担保机构", field="issuer")
        return {
            "channel": self.name,
            "guarantee_number": guarantee_number,
            "issuer": issuer.strip(),
            "amount": _money(amount),
            "verification_code": _digits(f"{guarantee_number}|{issuer.strip()}|{_money(amount)}", 12),
            "verified_at": iso_utc(clock.now()),
        }

    def refund(self, reference: str, amount: Decimal) -> Evidence:
        payer = self._payer(reference)
        return {
            "channel": self.name,
            "bank_serial": self._serial("SIMR"),
            "account": reference,
            "payee_account_name": payer.name,
            "amount": _money(amount),
            "refunded_at": iso_utc(clock.now()),
        }

    def release_guarantee(self, guarantee_number: str, issuer: str) -> Evidence:
        return {
            "channel": self.name,
            "guarantee_number": guarantee_number,
            "issuer": issuer,
            "released_at": iso_utc(clock.now()),
        }


#: (session, sub-account) -> the organisation a sub-account was opened for, for money the platform holds other
#: than bid deposits (a performance security paid as money); registered by the domain that opens the account
PayerResolver = Callable[[Session, str], Organisation | None]
_PAYERS: list[PayerResolver] = []


def register_payer(resolver: PayerResolver) -> None:
    if resolver not in _PAYERS:
        _PAYERS.append(resolver)


ChannelFactory = Callable[[Session], PaymentChannel]
_FACTORIES: dict[str, ChannelFactory] = {"simulated": SimulatedBank}


def register_channel(name: str, factory: ChannelFactory) -> None:
    """Make a channel selectable by ``SUNSHINE_PAYMENT_CHANNEL=<name>``."""
    _FACTORIES[name] = factory


def _build(name: str, session: Session) -> PaymentChannel | None:
    factory = _FACTORIES.get(name)
    if factory is None and ":" in name:
        module, _, attr = name.partition(":")
        try:
            factory = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            factory = None
    return factory(session) if factory is not None else None


def channel_for(session: Session, name: str | None = None) -> PaymentChannel:
    """The configured channel, or the channel called ``name`` (the one a deposit was opened with, so
    that it is refunded where it was paid)."""
    from sunshine.config import get_settings

    configured = get_settings().payment_channel
    channel = _build(name, session) if name is not None and name != configured else None
    if channel is None:
        channel = _build(configured, session)
        if channel is None:
            raise ChannelNotConfigured(f"未知的保证金支付通道：{configured}（SUNSHINE_PAYMENT_CHANNEL）")
        if name is not None and channel.name != name:
            raise ChannelNotConfigured(f"该保证金经由“{name}”通道缴纳，当前未配置该通道")
    return channel
