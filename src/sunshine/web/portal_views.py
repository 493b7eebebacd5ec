"""Portal pages that help people find their way: the site map (every section a visitor — and each role of the
signed-in user — may use, one click from the home page), the 政务公开 page organised by what citizens come for,
the year's holidays on a page of their own, and the process flowcharts drawn from the lifecycle declarations
(beside each rule pack). Thin: they read services and render."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core import calendar, clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.inputs import Year
from sunshine.identity.roles import Role
from sunshine.trading import flowchart
from sunshine.trading import lifecycle as lc
from sunshine.web import todo_sources  # noqa: F401  (registers the workbench to-dos of each role)
from sunshine.web.csrf import check_csrf
from sunshine.web.templating import render, templates

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())

templates.env.globals["flowchart_lifecycles"] = lc.LIFECYCLES  # the rule-pack page shows its lifecycle's chart

# What anyone may use, by what people come for; every entry is one click from the site map (two from home).
PUBLIC_SECTIONS: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "交易信息",
        [
            ("/notices", "交易公告", "招标、采购、出让公告及其澄清、更正、终止公告"),
            ("/projects", "交易项目", "每个项目的进程、时间线、结果与全程留痕"),
            ("/projects/green", "绿色通道项目", "重点项目的加快办理"),
            ("/trading", "交易信息总览", "按交易类型查看最新项目与主体名录"),
            ("/market/enterprises", "企业名录", "已登记的投标人、供应商"),
            ("/market/agencies", "代理机构名录", "已登记的招标代理机构"),
            ("/draws", "随机抽取", "公开的随机抽取记录，可在浏览器中验证"),
            ("/venues", "场地安排", "开标室、评标室的使用安排"),
            ("/credit", "信用信息", "禁止参与名单与信用评价"),
            ("/statistics", "交易统计", "按类型、方式、月份统计的交易情况"),
        ],
    ),
    (
        "政务公开",
        [
            ("/disclosure/catalog", "公开事项目录", "公开什么、依据、时限和渠道"),
            ("/disclosure/publications", "已公开信息", "经审查后发布的信息"),
            ("/policies", "政策文件与解读", "法律法规、规范性文件与解读"),
            ("/requests/new", "申请政府信息公开", "在线提交依申请公开的申请"),
            ("/requests/lookup", "查询申请办理进度", "凭申请编号和查询码查询"),
            ("/requests/stats", "依申请公开统计", "收到、办结和答复情况"),
            ("/disclosure/annual-report", "政府信息公开工作年度报告", "按国务院办公厅格式编制"),
            ("/disclosure/compliance", "公开时效统计", "按时公开率与逾期清单"),
            ("/concerns", "回应关切", "公众提问与答复"),
            ("/rules", "规则包与工作流程图", "各类交易的法定时限、依据和流程图"),
            ("/disclosure/calendar", "节假日与调休安排", "计算法定期限所用的工作日历"),
            ("/disclosure/deadline", "法定期限计算器", "输入起算日与期间得到截止日"),
        ],
    ),
    (
        "社会监督",
        [
            ("/supervision", "社会监督", "全程留痕记录的公开查阅"),
            ("/ledger", "全程留痕验证", "在浏览器中验证任何一条记录"),
            ("/complaints", "异议与投诉", "提出异议、质疑与投诉"),
            ("/incidents", "平台运行公告", "平台故障与应急处置"),
        ],
    ),
    (
        "数据与服务",
        [
            ("/opendata", "数据开放", "开放数据与下载"),
            ("/api/v1/docs", "开放接口", "JSON 接口文档"),
            ("/feeds", "订阅与 RSS", "按类别、地区、关键词订阅"),
            ("/kiosk", "现场查询终端", "交易大厅触摸屏版面"),
            ("/market/register", "市场主体登记", "企业、代理机构、采购人自行登记"),
            ("/experts/apply", "申请评标专家入库", "个人申请成为评标专家"),
            ("/login", "登录", "登录后进入我的工作台"),
        ],
    ),
]


@router.get("/sitemap", response_class=HTMLResponse)
def sitemap(request: Request, principal: Principal = PUBLIC) -> Response:
    from sunshine.web.views import ROLE_TASKS  # the workbench's lists: one place for what a role may use

    roles = [r for r in Role if principal.has(r)] if principal.is_authenticated else []
    mine = [(role, ROLE_TASKS.get(role, [])) for role in roles]
    return render(request, "sitemap.html", page_title="网站地图", sections=PUBLIC_SECTIONS, mine=mine)


@router.get("/disclosure", response_class=HTMLResponse)
def disclosure(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    year = clock.today_local().year
    return render(
        request,
        "disclosure.html",
        page_title="政务公开",
        year=year,
        official=calendar.load(session).is_official_year(year),
    )


@router.get("/disclosure/calendar", response_class=HTMLResponse)
def disclosure_calendar(
    request: Request, year: Year | None = None, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    year = year or clock.today_local().year
    return render(
        request,
        "disclosure_calendar.html",
        page_title=f"{year} 年节假日与调休安排",
        year=year,
        days=calendar.days_of_year(session, year),
        official=calendar.load(session).is_official_year(year),
        years=calendar.official_years(session),
    )


@router.get("/flowcharts/{lifecycle}.svg")
def flowchart_svg(lifecycle: str, _: Principal = PUBLIC) -> Response:
    if lifecycle not in lc.LIFECYCLES:
        raise NotFound("没有该交易流程的流程图")
    return Response(
        flowchart.svg(lifecycle),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=3600", "Content-Disposition": f'inline; filename="{lifecycle}.svg"'},
    )
