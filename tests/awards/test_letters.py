"""Award letters walked through the API: a small-works draw's determined contractor gets its 中选通知书 and the
other registrants their result letters; drafts are the issuer's until issued; issuing waits for every seal;
the issue is one step with the letters' hashes in the ledger; each addressee finds its letter on its workbench
and in its inbox; the PDF embeds its Chinese font (rendered to an image) and carries a QR code whose URL
verifies the seal and its ledger inclusion."""

from __future__ import annotations

from urllib.parse import urlparse

import pypdfium2
import zxingcpp

from sunshine.core import pdf
from tests.awards.builders import determined_draw, seal_all
from tests.pages import browser, csrf_token, page_text
from tests.smallworks.builders import FIRM_NAMES


def _dark_pixels(pdf_bytes: bytes, box: tuple[int, int, int, int] | None = None) -> int:
    image = pypdfium2.PdfDocument(pdf_bytes)[0].render(scale=1.5).to_pil().convert("L")
    if box is not None:
        image = image.crop(box)
    return sum(1 for value in image.tobytes() if value < 128)


def _page_image(pdf_bytes: bytes):
    return pypdfium2.PdfDocument(pdf_bytes)[0].render(scale=3).to_pil()


def test_the_pdf_kit_draws_chinese_with_its_embedded_font():
    def one(text: str) -> bytes:
        doc = pdf.Document("测试")
        if text:
            doc.line(text, 20)
        return doc.bytes()

    blank, first, second = one(""), one("中华人民共和国招标投标法"), one("政府采购货物和服务招标")
    assert b"/FontFile2" in first, "the TrueType subset is embedded, not referenced"
    assert b"STSong" not in first
    area = (0, 0, 893, 200)  # the top of the page at scale 1.5, where the line is drawn
    assert _dark_pixels(blank, area) == 0
    assert _dark_pixels(first, area) > 500 and _dark_pixels(second, area) > 500
    # different characters draw different glyphs (a missing glyph would draw the same empty box for each)
    one_image = pypdfium2.PdfDocument(first)[0].render(scale=1.5).to_pil().convert("L").crop(area)
    two_image = pypdfium2.PdfDocument(second)[0].render(scale=1.5).to_pil().convert("L").crop(area)
    assert one_image.tobytes() != two_image.tobytes()
    text = pypdfium2.PdfDocument(first)[0].get_textpage().get_text_range()
    assert "中华人民共和国招标投标法" in text


def test_a_draw_contractor_gets_its_letter_and_the_others_their_results(db, client, clock, app):
    result = determined_draw(db, client, clock)
    w, project = result.w, result.project
    pid = project["id"]
    assert project["state"] == "result_published"

    # Only the tenderer's side drafts; a bidder or the centre may not.
    assert client.post(f"/api/v1/projects/{pid}/award-letters/draft", headers=w.headers["bidder0"]).status_code == 403
    drafted = client.post(f"/api/v1/projects/{pid}/award-letters/draft", headers=w.headers["agency"])
    assert drafted.status_code == 200, drafted.text
    letters = drafted.json()["letters"]
    assert [x["kind"] for x in letters] == ["award", "result", "result", "result"]
    award = letters[0]
    assert award["title"] == "中选通知书" and award["state_label"] == "待签章"
    assert award["addressee"] in FIRM_NAMES[:4]
    assert award["amount"] == "386000.00" and "人民币386,000.00元" in award["body"]
    assert "30日内" in award["body"] and "签订书面合同" in award["body"]
    assert all(award["addressee"] in x["body"] and "未被确定为中选承包人" in x["body"] for x in letters[1:])
    assert {x["addressee"] for x in letters} == set(FIRM_NAMES[:4])
    again = client.post(f"/api/v1/projects/{pid}/award-letters/draft", headers=w.headers["agency"])
    assert [x["sha256"] for x in again.json()["letters"]] == [x["sha256"] for x in letters], "drafts are kept"

    winner = next(i for i in range(4) if FIRM_NAMES[i] == award["addressee"])
    loser = next(i for i in range(4) if i != winner)
    # A draft is the issuer's: the addressee does not see it yet.
    assert client.get(f"/api/v1/award-letters/{award['id']}", headers=w.headers[f"bidder{winner}"]).status_code == 404
    assert client.get("/api/v1/award-letters/mine", headers=w.headers[f"bidder{winner}"]).json() == []

    # Issuing waits for every seal.
    early = client.post(f"/api/v1/projects/{pid}/award-letters/issue", headers=w.headers["agency"])
    assert early.status_code == 409 and early.json()["code"] == "letters_unsealed"
    assert award["number"] in early.json()["detail"]
    seal_all(db, client, result, letters)
    issued = client.post(f"/api/v1/projects/{pid}/award-letters/issue", headers=w.headers["agency"])
    assert issued.status_code == 200, issued.text
    body = issued.json()
    assert body["state"] == "awarded" and body["state_label"] == "已发出中选通知书"
    assert all(x["state_label"] == "已发出" and x["ledger_seq"] for x in body["letters"])
    twice = client.post(f"/api/v1/projects/{pid}/award-letters/issue", headers=w.headers["agency"])
    assert twice.status_code == 409 and twice.json()["code"] == "illegal_step"

    # One step on the timeline; its ledger entry holds each letter's hash.
    timeline = client.get(f"/api/v1/projects/{pid}/timeline").json()
    assert timeline[-1]["step"] == "issue_award_letters"
    entry = client.get(f"/api/v1/ledger/entries/{body['letters'][0]['ledger_seq']}").json()
    hashes = {x["letter"]: x["sha256"] for x in entry["payload"]["letters"]}
    assert hashes == {x["id"]: x["sha256"] for x in body["letters"]}

    # The addressees: their own letter on the workbench and in the inbox, never another's.
    mine = client.get("/api/v1/award-letters/mine", headers=w.headers[f"bidder{winner}"]).json()
    assert [x["id"] for x in mine] == [award["id"]]
    theirs = client.get("/api/v1/award-letters/mine", headers=w.headers[f"bidder{loser}"]).json()
    assert len(theirs) == 1 and theirs[0]["kind"] == "result"
    assert client.get(f"/api/v1/award-letters/{award['id']}", headers=w.headers[f"bidder{loser}"]).status_code == 404
    inbox = client.get("/api/v1/me/messages", headers=w.headers[f"bidder{winner}"]).json()
    link = f"/award-letters/{award['id']}"
    assert any(m["subject"].startswith("中选通知书") and m["link"] == link for m in inbox["items"])
    with browser(app, w.bidders[winner].username) as person:
        page = person.get("/my/award-letters")
        assert page.status_code == 200 and "中选通知书" in page.text and award["number"] in page.text
        letter_page = person.get(f"/award-letters/{award['id']}")
        assert "下载 PDF" in page_text(letter_page.text) and "已发出" in page_text(letter_page.text)
        # The PDF: Chinese drawn with the embedded font; its QR code opens the seal's verification, which passes.
        pdf_response = person.get(f"/award-letters/{award['id']}/letter.pdf")
        assert person.get(f"/award-letters/{letters[1]['id']}/letter.pdf").status_code == 404
    assert pdf_response.status_code == 200 and pdf_response.headers["content-type"] == "application/pdf"
    data = pdf_response.content
    assert b"/FontFile2" in data
    text = pypdfium2.PdfDocument(data)[0].get_textpage().get_text_range()
    assert "中选通知书" in text and award["addressee"] in text
    assert _dark_pixels(data) > 5000
    codes = zxingcpp.read_barcodes(_page_image(data))
    assert len(codes) == 1
    url = urlparse(codes[0].text)
    assert url.path == f"/verify/{issued.json()['letters'][0]['seal_code']}"
    verified = client.get(f"/api/v1/seals{url.path}").json()
    assert verified["ok"] is True, verified["checks"]
    assert {c["key"]: c["ok"] for c in verified["checks"]} == {c["key"]: True for c in verified["checks"]}
    assert verified["document_public"] is False
    assert client.get(url.path).status_code == 200


def test_only_the_issuing_side_drafts_and_the_page_refuses_unsealed_letters(db, client, clock, app):
    result = determined_draw(db, client, clock, firms=3)
    w, pid = result.w, result.project["id"]
    assert client.post(f"/api/v1/projects/{pid}/award-letters/draft", headers=w.headers["centre"]).status_code == 403
    assert client.get(f"/api/v1/projects/{pid}/award-letters", headers=w.headers["centre"]).json()["letters"] == []
    with browser(app, w.agency.username) as agency:
        page = agency.get(f"/projects/{pid}/award-letters")
        assert page.status_code == 200 and "起草通知书" in page_text(page.text)
        drafted = agency.post(
            f"/projects/{pid}/award-letters/draft", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True
        )
        assert drafted.status_code == 200 and "待签章" in page_text(drafted.text)
        issued = agency.post(
            f"/projects/{pid}/award-letters/issue", data={"csrf_token": csrf_token(drafted.text)}, follow_redirects=True
        )
        assert "尚未由出具单位签章" in page_text(issued.text)
