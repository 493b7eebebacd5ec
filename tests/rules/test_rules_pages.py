"""The rule pack pages as people see them: the public /rules list grouped by transaction type, a pack's
table of rules with their basis and versions, and the administrator's per-rule override forms (CSRF,
errors beside the field, post/redirect/get, the struck statutory value next to the local one)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.rules.models import RuleOverride
from tests.builders import PASSWORD, make_user

HTML = {"Accept": "text/html"}
ENG = "engineering.open_tender"


class _Page(HTMLParser):
    """Visible text of table rows (by the row's id), of elements with an id, field errors and flashes."""

    VOID = ("input", "br", "img", "meta", "link")

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.by_id: dict[str, str] = {}
        self.field_errors: dict[str, str] = {}
        self.flashes: list[str] = []
        self._open: list[tuple[str, str, list[str]]] = []  # (kind, key, text) per open element
        self._row: tuple[str, list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "br":  # a line break reads as a space
            self.handle_data(" ")
        if tag in self.VOID:
            return
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "tr" and a.get("id"):
            self._row = (a["id"], [])
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        if "field-error" in classes:
            self._open.append(("error", a.get("id", "")[2:-6], []))
        elif "notice-text" in classes:
            self._open.append(("flash", "", []))
        else:
            self._open.append(("id" if a.get("id") else "", a.get("id", ""), []))

    def handle_endtag(self, tag):
        if tag in self.VOID or not self._open:
            return
        kind, key, text = self._open.pop()
        value = " ".join("".join(text).split())
        if kind == "error":
            self.field_errors[key] = value.removeprefix("错误：").strip()
        elif kind == "flash":
            self.flashes.append(value)
        elif kind == "id":
            self.by_id[key] = value
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row[1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows[self._row[0]] = self._row[1]
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        for _, _, text in self._open:
            text.append(data)


def page(response) -> _Page:
    parser = _Page()
    parser.feed(response.text)
    return parser


def csrf_token(response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert match, "the page has no form token"
    return match.group(1)


def login(client, username: str) -> None:
    form = client.get("/login", headers=HTML)
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "next": "/me", "csrf_token": csrf_token(form)},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def admin_client(client, db):
    login(client, make_user(db, Role.ADMIN, username="rules-page-admin"))
    return client


def post_form(client, path: str, data: dict, token_from: str = f"/rules/{ENG}"):
    token = csrf_token(client.get(token_from, headers=HTML))
    return client.post(path, data={**data, "csrf_token": token}, headers=HTML, follow_redirects=False)


def overrides(db) -> list[tuple[str, str, str, bool]]:
    with db.unit_of_work(read_only=True) as s:
        rows = s.scalars(select(RuleOverride).order_by(RuleOverride.id))
        return [(r.rule_id, str(r.value.normalize()), r.reason, r.cleared_at is None) for r in rows]


# --------------------------------------------------------------------------- public pages


def test_rules_index_groups_packs_by_transaction_type(client):
    response = client.get("/rules", headers=HTML)
    assert response.status_code == 200
    p = page(response)
    titles = [
        p.by_id[f"type-{t}-title"]
        for t in (
            "engineering",
            "gov_procurement",
            "state_property",
            "land",
            "mining",
            "soe_procurement",
            "rural_property",
            "emission",
            "disclosure",
        )
    ]
    assert titles == [
        "工程建设",
        "政府采购",
        "国有产权",
        "土地使用权",
        "矿业权",
        "国企采购",
        "农村产权",
        "排污权",
        "政务公开",
    ]
    engineering = p.by_id["type-engineering"]
    assert "工程建设项目公开招标" in engineering and "小额工程固定价抽取" in engineering
    assert "政府采购竞争性磋商" in p.by_id["type-gov_procurement"]
    assert f'href="/rules/{ENG}"' in response.text
    assert "国有建设用地使用权挂牌出让" in p.by_id["type-land"]


def test_disclosure_page_links_to_the_rules(client):
    response = client.get("/disclosure", headers=HTML)
    assert "规则包" in page(response).by_id["services"]
    assert 'href="/rules"' in response.text


def test_pack_page_shows_each_rule_with_value_bound_and_basis(client):
    response = client.get(f"/rules/{ENG}", headers=HTML)
    assert response.status_code == 200
    p = page(response)
    assert p.rows["rule-docs_to_bid_deadline"] == [
        "招标文件开始发出之日至投标截止之日",  # the rule key only in a tooltip
        "不少于 20 日",
        "《中华人民共和国招标投标法》第二十四条 依法必须进行招标的项目，"
        "自招标文件开始发出之日起至投标人提交投标文件截止之日止，最短不得少于二十日",
    ]
    assert p.rows["rule-complaint_accept"][1] == "不超过 3 个工作日"
    assert p.rows["rule-deposit_max_percent"][1] == "不超过 2 %"
    assert p.rows["rule-mandatory_tender_threshold"][1] == "不超过 4,000,000 元"
    assert p.rows["rule-opening_at_deadline"][1] == "等于 0 小时"
    assert "现行版本" in p.by_id["version-note"]
    assert "《中华人民共和国招标投标法实施条例》（国务院令第613号公布，2019年3月2日修订）" in p.by_id["sources"]
    assert "本中心未作本地调整" in p.by_id["history"]
    assert "从严调整" not in response.text and "/overrides/" not in response.text  # no forms for the public


def test_small_works_draw_page_shows_the_threshold_and_its_seed(client):
    p = page(client.get("/rules/engineering.small_works_draw", headers=HTML))
    assert p.rows["rule-draw_threshold"][1] == "不超过 500,000 元"
    assert "青川县公共资源交易服务公开标准化规范化试点" in p.rows["rule-draw_threshold"][2]
    assert "004_22d77745fdbb4664" not in p.rows["rule-draw_threshold"][2]
    assert p.rows["rule-registration_period"][2].startswith("平台默认值（以地方规则为准）")


def test_an_older_version_is_shown_for_its_date(client):
    response = client.get("/rules/land.listing?on=2007-06-01", headers=HTML)
    assert response.status_code == 200
    p = page(response)
    assert p.rows["rule-listing_period"][1] == "不少于 10 个工作日"
    assert "非现行版本" in p.by_id["version-note"]
    versions = p.by_id["versions"]
    assert "2007-11-01 版：自 2007年11月1日（星期四）起施行 现行" in versions
    assert "2002-07-01 版：自 2002年7月1日（星期一）起施行（当前显示）" in versions
    assert page(client.get("/rules/land.listing", headers=HTML)).rows["rule-listing_period"][1] == "不少于 10 日"


@pytest.mark.parametrize(
    ("path", "status"),
    [("/rules/land.barter", 404), ("/rules/land.listing?on=2001-01-01", 422), ("/rules/land.listing?on=bad", 422)],
)
def test_bad_pack_pages_are_4xx_pages(client, path, status):
    response = client.get(path, headers=HTML)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "error-title" in page(response).by_id


# --------------------------------------------------------------------------- administrator's forms


def test_admin_sets_and_clears_an_override_through_the_page(admin_client, db):
    response = post_form(
        admin_client, f"/rules/{ENG}/overrides/docs_to_bid_deadline", {"value": "25", "reason": "市政府令第5号"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/rules/{ENG}#rule-docs_to_bid_deadline"
    shown = admin_client.get(f"/rules/{ENG}", headers=HTML)
    p = page(shown)
    assert p.flashes == ["已将「招标文件开始发出之日至投标截止之日」本地调整为 25 日（法定 20 日），已记入留痕"]
    assert p.rows["rule-docs_to_bid_deadline"][1] == "不少于 25 日（本地） 法定 20 日 调整理由：市政府令第5号"
    assert "<del>20 日</del>" in shown.text
    assert "市政府令第5号" in p.by_id["history"] and "生效中" in p.by_id["history"]
    assert overrides(db) == [("docs_to_bid_deadline", "25", "市政府令第5号", True)]
    # the public sees the same values, without the forms
    admin_client.cookies.clear()
    public = admin_client.get(f"/rules/{ENG}", headers=HTML)
    assert page(public).rows["rule-docs_to_bid_deadline"][1].startswith("不少于 25 日（本地） 法定 20 日")
    assert "/overrides/" not in public.text

    login(admin_client, "rules-page-admin")
    cleared = post_form(admin_client, f"/rules/{ENG}/overrides/docs_to_bid_deadline/clear", {})
    assert cleared.status_code == 303
    p = page(admin_client.get(f"/rules/{ENG}", headers=HTML))
    assert p.flashes == ["已撤销「招标文件开始发出之日至投标截止之日」的本地调整，恢复法定值 20 日"]
    assert p.rows["rule-docs_to_bid_deadline"][1] == "不少于 20 日"
    assert overrides(db) == [("docs_to_bid_deadline", "25", "市政府令第5号", False)]
    with db.unit_of_work(read_only=True) as s:
        kinds = [e.kind for e in ledger.entries_for(s, f"rule:{ENG}:docs_to_bid_deadline")]
    assert kinds == ["rules:override:set", "rules:override:cleared"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"value": "15", "reason": "市政府令第5号"},
            "value",
            "本地调整只能严于法定值：「招标文件开始发出之日至投标截止之日」法定不少于 20 日，本地值应高于此值",
        ),
        ({"value": "", "reason": "市政府令第5号"}, "value", "请填写本地值"),
        ({"value": "25", "reason": "  "}, "reason", "请填写调整理由（如本地规章或集体决策的文号）"),
        ({"value": "二十五", "reason": "市政府令第5号"}, "value", "请输入数值"),
    ],
)
def test_bad_override_form_is_shown_again_with_the_error_beside_the_field(admin_client, db, data, field, message):
    response = post_form(admin_client, f"/rules/{ENG}/overrides/docs_to_bid_deadline", data)
    assert response.status_code == 400
    p = page(response)
    assert p.field_errors == {f"{field}-docs_to_bid_deadline": message}
    assert "<details open>" in response.text
    assert f'value="{data["value"]}"' in response.text if data["value"] else True
    assert overrides(db) == []


def test_fixed_rules_have_no_form_and_clearing_nothing_is_404(admin_client):
    response = admin_client.get(f"/rules/{ENG}", headers=HTML)
    assert page(response).rows["rule-opening_at_deadline"][3] == "法定固定值，不可调整"
    assert f"/rules/{ENG}/overrides/docs_to_bid_deadline" in response.text
    missing = post_form(admin_client, f"/rules/{ENG}/overrides/docs_to_bid_deadline/clear", {})
    assert missing.status_code == 404
    assert "没有本地调整" in missing.text


@pytest.mark.parametrize("role", [Role.CENTRE_STAFF, Role.DISCLOSURE_OFFICE])
def test_other_roles_may_not_post_overrides(client, db, role):
    login(client, make_user(db, role, username=f"rules-page-{role.value}"))
    response = post_form(
        client, f"/rules/{ENG}/overrides/docs_to_bid_deadline", {"value": "25", "reason": "市政府令第5号"}
    )
    assert response.status_code == 403
    assert overrides(db) == []


def test_override_form_without_csrf_token_is_refused(admin_client, db):
    response = admin_client.post(
        f"/rules/{ENG}/overrides/docs_to_bid_deadline",
        data={"value": "25", "reason": "市政府令第5号"},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert overrides(db) == []
