"""The signed evaluation report (评标报告/评审报告) as a PDF, through the platform's PDF kit (core/pdf.py: the CJK
font embedded as a subset), drawn from the report exactly as the members signed it (``report_json``): the
committee with each member's site, the bids and their reviews, rejected bids with reason, basis and facts, questions,
price corrections and adjustments, the ranking, the recommended candidates, ties, each member's signature with any
dissent, then the report's SHA-256, its ledger entry and the QR code of the public ledger page that gives the entry
with its inclusion proof (``/ledger?seq=…``). Only a finished (fully signed) report is printed."""

from __future__ import annotations

from sunshine.config import get_settings
from sunshine.core import pdf
from sunshine.core.formatting import local_time
from sunshine.evaluation.models import EvaluationSession


def proof_url(seq: int) -> str:
    return f"{get_settings().public_url.rstrip('/')}/ledger?seq={seq}"


def _table(doc: pdf.Document, rows: list[str], empty: str = "无") -> None:
    for text in rows or [empty]:
        doc.para(text, 10, 16)


def render(row: EvaluationSession, r: dict, signatures: list[dict]) -> bytes:
    doc = pdf.Document(r.get("title", "评标报告"), "阳光交易平台")
    doc.title(r.get("title", "评标报告"))
    project = r.get("project", {})
    method = r.get("method", {})
    doc.para(f"项目编号：{project.get('code', '')}    标段（包）：{project.get('section_name', '')}", 10.5)
    doc.para(f"评标办法：{method.get('title', '')}（{method.get('basis', '')}）", 10.5)
    together = r.get("sections_together") or []
    if together:
        names = "、".join(f"第{j['section']}标段（包）{j['name']}" for j in together)
        doc.para(f"合并评审（同一评标委员会）：{names}；本报告为第{project.get('section', '')}标段（包）的报告。", 10.5)
    if row.finished_at is not None:
        doc.para(f"签署完成：{local_time(row.finished_at)}", 10.5)
    doc.gap(6)
    doc.line("一、评标委员会", 12.5)
    _table(
        doc,
        [
            f"{c['name']}　{c['kind']}　{'组长' if c.get('chair') else '成员'}　{c['state']}"
            + (f"　异地评标：{c['site']}" if c.get("site") else "")
            for c in r.get("committee", [])
        ],
    )
    doc.line("二、投标及审查情况", 12.5)
    _table(
        doc,
        [
            f"{b['bidder']}{'（小微企业）' if b.get('sme') else ''}　报价 {b['price']} 元"
            f"　资格审查：{b['qualification']}　符合性审查：{b['compliance']}"
            for b in r.get("bids", [])
        ],
    )
    doc.line("三、否决（无效）投标及理由", 12.5)
    _table(doc, [f"{x['bidder']}：{x['reason']}（{x['basis']}）。事实：{x['facts']}" for x in r.get("rejected", [])])
    doc.line("四、澄清、说明", 12.5)
    _table(
        doc,
        [
            f"{q['bidder']}（{q['kind']}）问：{q['question']}　答：{q.get('answer') or '逾期未答复'}"
            + (f"　认定：{q['verdict']}" if q.get("verdict") else "")
            for q in r.get("queries", [])
        ],
    )
    doc.line("五、报价修正与价格折算", 12.5)
    _table(
        doc,
        [
            f"{c['bidder']}：{c['rule']}（{c['basis']}），{c['original']} 元修正为 {c['corrected']} 元，{c['answer']}"
            for c in r.get("corrections", [])
        ]
        + [f"{a['bidder']}：{a['item']}，折算 {a['amount']} 元" for a in r.get("adjustments", [])],
    )
    doc.line("六、计算结果与排序", 12.5)
    _table(
        doc,
        [
            f"第{x['rank']}名　{x['bidder']}　报价 {x['price']} 元　评审价 {x['evaluation_price']} 元"
            + (f"　价格分 {x['price_score']}" if x.get("price_score") else "")
            + (f"　总分 {x['total']}" if x.get("total") else "")
            for x in r.get("results", [])
        ],
    )
    for group in r.get("tie_pending", []):
        doc.para(f"并列待定：{'、'.join(group)}（由采购人按招标文件确定，未规定的抽签确定）", 10, 16)
    doc.line(f"七、推荐的中标候选人（{r.get('candidates_declared', '')} 名以内，按排序）", 12.5)
    _table(doc, [f"{c['rank']}. {c['bidder']}（报价 {c['price']} 元）" for c in r.get("candidates", [])])
    doc.line("八、评标委员会成员签署", 12.5)
    _table(
        doc,
        [
            f"{s['name']}：{s['signature']}"
            + (f"　不同意见及理由：{s['dissent']}" if s.get("dissent") else "")
            + (f"　{s['signed_at']}" if s.get("signed_at") else "")
            for s in signatures
        ],
    )
    doc.para(
        "评标委员会成员对评标结论持有异议的，应当以书面方式阐述其不同意见和理由；拒绝在评标报告上签字且不陈述不同意见和"
        "理由的，视为同意评标结论（《中华人民共和国招标投标法实施条例》第五十三条）。",
        8.5,
        13,
    )
    doc.gap(10)
    doc.line(f"报告摘要（SHA-256）：{row.report_sha256}", 8, 12)
    if row.report_ledger_seq is not None:
        doc.line(f"全程留痕账本记录序号：{row.report_ledger_seq}", 8, 14)
        doc.qr(proof_url(row.report_ledger_seq), "扫码查看本报告摘要在全程留痕账本中的记录及其包含性证明")
    return doc.bytes()
