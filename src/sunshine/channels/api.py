"""JSON routes of e-mail subscriptions: the categories one may subscribe to (with their feeds), subscribe,
confirm, read and change a subscription, unsubscribe. No login: the signed link from the mail is the
credential. Thin: the rules are in ``channels.service``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from sunshine.channels import items, service
from sunshine.channels.models import Subscription
from sunshine.channels.schemas import Accepted, CategoryOut, FilterUpdate, SubscriptionIn, SubscriptionOut, TokenIn
from sunshine.core.auth import Access, Principal, SessionDep

router = APIRouter(prefix="/api/v1/subscriptions", tags=["订阅"])
PUBLIC = Depends(Access.public())


def subscription_out(session: Session, subscription: Subscription) -> SubscriptionOut:
    wanted = service.filter_of(subscription)
    return SubscriptionOut(
        status=subscription.status,
        email=service.mask(subscription.email) if subscription.email else "",
        categories=list(wanted.categories),
        region_codes=list(wanted.region_codes),
        keywords=list(wanted.keywords),
        description=service.describe(session, subscription),
        created_at=subscription.created_at,
        confirmed_at=subscription.confirmed_at,
    )


@router.get("/categories", response_model=list[CategoryOut], summary="可订阅的类别及其 Atom/RSS 地址")
def categories(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> list[CategoryOut]:
    base = str(request.base_url).rstrip("/")
    return [
        CategoryOut(
            code=c.code,
            label=c.label,
            group=c.group,
            atom_url=f"{base}/feeds/category/{c.code}.atom",
            rss_url=f"{base}/feeds/category/{c.code}.rss",
        )
        for c in items.all_categories(session)
    ]


@router.post("", response_model=Accepted, status_code=202, summary="订阅（发送确认邮件）")
def subscribe(data: SubscriptionIn, session: Session = SessionDep, _: Principal = PUBLIC) -> Accepted:
    service.subscribe(
        session, email=data.email, categories=data.categories, region_codes=data.region_codes, keywords=data.keywords
    )
    return Accepted(status="pending", message="确认邮件已发送，请在 7 天内打开邮件中的链接确认订阅")


@router.post("/confirm", response_model=SubscriptionOut, summary="确认订阅")
def confirm(data: TokenIn, session: Session = SessionDep, _: Principal = PUBLIC) -> SubscriptionOut:
    return subscription_out(session, service.confirm(session, data.token))


@router.get("/manage", response_model=SubscriptionOut, summary="查看订阅（凭管理链接）")
def read(token: str = Query(max_length=500), session: Session = SessionDep, _: Principal = PUBLIC) -> SubscriptionOut:
    return subscription_out(session, service.for_management(session, token))


@router.put("/manage", response_model=SubscriptionOut, summary="修改订阅条件（凭管理链接）")
def change(data: FilterUpdate, session: Session = SessionDep, _: Principal = PUBLIC) -> SubscriptionOut:
    subscription = service.update_filter(
        session, data.token, categories=data.categories, region_codes=data.region_codes, keywords=data.keywords
    )
    return subscription_out(session, subscription)


@router.post("/unsubscribe", response_model=Accepted, summary="退订（凭退订链接）")
def unsubscribe(data: TokenIn, session: Session = SessionDep, _: Principal = PUBLIC) -> Accepted:
    service.unsubscribe(session, data.token)
    return Accepted(status="unsubscribed", message="已退订，今后不会再向该邮箱发送订阅邮件")
