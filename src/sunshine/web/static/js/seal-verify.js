/* 阳光交易 — the verification page's own checks in the visitor's browser (uses window.SunshineLedger from
   ledger-verify.js): the document's SHA-256 recomputed from its canonical text, the seal's signature over
   "sunshine-seal/1|{kind}|{id}|{sha256}|{issuer credit code}" (Ed25519 by WebCrypto; SM2 is left to the
   server), and the seal's ledger entry with its inclusion proof and signed tree head. */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  function item(ok, label, detail) {
    var li = document.createElement("li");
    li.className = "check " + (ok === null ? "pending" : ok ? "ok" : "failed");
    li.setAttribute("data-browser-check", ok === null ? "info" : ok ? "ok" : "failed");
    var strong = document.createElement("strong");
    strong.textContent = label + "：" + (ok === null ? "说明" : ok ? "通过" : "未通过") + " ";
    li.appendChild(strong);
    li.appendChild(document.createTextNode(detail));
    return li;
  }

  async function run(list) {
    var L = window.SunshineLedger;
    var code = list.getAttribute("data-code");
    var rows = [], failed = false;
    function add(ok, label, detail) { rows.push(item(ok, label, detail)); if (ok === false) failed = true; }
    if (!window.crypto || !crypto.subtle) {
      add(false, "浏览器", "本浏览器不支持 WebCrypto（须通过 HTTPS 访问），无法在本机验证");
      return finish(list, rows, true);
    }
    var data;
    try {
      var response = await fetch("/api/v1/seals/verify/" + encodeURIComponent(code), { headers: { Accept: "application/json" } });
      data = await response.json();
    } catch (e) {
      add(false, "签章", "无法取得签章数据");
      return finish(list, rows, true);
    }
    var seal = data.seal;
    if (data.document_url) {
      var bytes = new Uint8Array(await (await fetch(data.document_url)).arrayBuffer());
      var digest = L.hex(await L.sha256(bytes));
      add(digest === seal.document_sha256, "文书内容", digest === seal.document_sha256
        ? "本机计算的文书摘要与签章时一致（" + digest.slice(0, 16) + "…）"
        : "文书内容已被改动：本机计算的摘要 " + digest.slice(0, 16) + "… 与签章时的 " + seal.document_sha256.slice(0, 16) + "… 不一致");
    } else {
      add(null, "文书内容", "该文书内容不公开，摘要由服务器核对");
    }
    var message = ["sunshine-seal/1", seal.kind, seal.document_id, seal.document_sha256, seal.organisation_credit_code].join("|");
    if (data.algorithm === "ed25519" && data.public_key) {
      var good = message === data.message && await L.verifyEd25519(data.public_key, seal.signature, L.utf8(message));
      add(good, "签名", good ? "签章签名有效（Ed25519）" : "签名无效：签名与登记的公钥或文书不符");
    } else {
      add(null, "签名", "SM2 签名由服务器核验（浏览器不提供国密算法）");
    }
    var result = await L.verifyEntry(seal.ledger_seq);
    result.checks.forEach(function (c) { add(c.ok, "全程留痕", c.detail); });
    var p = result.entry && result.entry.payload;
    if (p) {
      var same = p.seal === seal.code && p.signature === seal.signature && p.document_sha256 === seal.document_sha256;
      add(same, "全程留痕", same ? "留痕记录记载的签章与本签章一致" : "留痕记录与签章不符");
    }
    return finish(list, rows, failed);
  }

  function finish(list, rows, failed) {
    list.textContent = "";
    rows.forEach(function (r) { list.appendChild(r); });
    var verdict = $("browser-verdict");
    verdict.setAttribute("data-state", failed ? "failed" : "ok");
    verdict.className = "notice " + (failed ? "notice-error" : "notice-success");
    verdict.textContent = failed ? "本机浏览器验证未通过" : "本机浏览器验证通过";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = $("browser-check-list");
    if (list) run(list).catch(function () {
      finish(list, [item(false, "验证", "验证过程出错")], true);
    });
  });
})();
