/* 阳光交易 — sealed bids in the browser: sealing on the bid page, loading a key file in the opening room,
   and the countdowns of both. No library: WebCrypto only.

   Sealing is exactly what sunshine.bidding.envelope does on the command line:
     package   = JSON {"format": "sunshine-sealed-bid/1",
                       "form": {"price": "1234.00", "duration_days": int|null, "quality": str, "commitments": str},
                       "documents": [{"name", "content_type", "data": base64}]}
     key       = a fresh AES-256-GCM key; nonce = 12 random bytes
     aad       = UTF-8 of the binding string the page carries (data-binding)
     sealed    = "SSB1" || nonce || AES-256-GCM(package) with its 16-byte tag
     commitment = hex SHA-256("sunshine-bid-key/1" || 0x00 || raw key)
   Only the sealed bytes and the commitment are sent. The key is shown and offered as a file; it never
   leaves this page until the bidder reveals it at the opening. */
(function () {
  "use strict";

  var MAGIC = [0x53, 0x53, 0x42, 0x31]; /* "SSB1" */
  var KEY_FILE_FORMAT = "sunshine-bid-key/1";
  var COMMITMENT_PREFIX = "sunshine-bid-key/1\u0000";
  var MAX_TEXT = 2000;

  function $(id) { return document.getElementById(id); }

  function utf8(text) { return new TextEncoder().encode(text); }

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function concat(parts) {
    var size = 0, offset = 0;
    parts.forEach(function (p) { size += p.length; });
    var out = new Uint8Array(size);
    parts.forEach(function (p) { out.set(p, offset); offset += p.length; });
    return out;
  }

  function base64(bytes) {
    var chunks = [];
    for (var i = 0; i < bytes.length; i += 0x8000) {
      chunks.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
    }
    return btoa(chunks.join(""));
  }

  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }

  function fail(message) { var e = new Error(message); e.userFacing = true; throw e; }

  /* ---- the bid form, checked as envelope.make_form checks it ---- */

  function price(text) {
    var t = String(text || "").replace(/[,，\s]/g, "");
    if (!/^\d+(\.\d{1,2})?$/.test(t)) fail("投标报价应为以元为单位的数字，最多保留两位小数（元、角、分）");
    var parts = t.split(".");
    var whole = parts[0].replace(/^0+(?=\d)/, "");
    var cents = ((parts[1] || "") + "00").slice(0, 2);
    if (whole.length > 16) fail("投标报价应大于 0 且在合理范围内");
    if (/^0+$/.test(whole) && cents === "00") fail("投标报价应大于 0 且在合理范围内");
    return whole + "." + cents;
  }

  function duration(text) {
    var t = String(text || "").trim();
    if (!t) return null;
    if (!/^\d+$/.test(t)) fail("工期应为整数（日历天）");
    var n = parseInt(t, 10);
    if (n < 1 || n > 36500) fail("工期应在 1 到 36500 日历天之间");
    return n;
  }

  function words(label, text) {
    var t = String(text || "").trim();
    if (Array.from(t).length > MAX_TEXT) fail(label + "应为不超过 2000 字的文字");
    return t;
  }

  async function documents(input) {
    var out = [];
    var files = input && input.files ? Array.prototype.slice.call(input.files) : [];
    for (var i = 0; i < files.length; i++) {
      var data = new Uint8Array(await files[i].arrayBuffer());
      out.push({ name: files[i].name.slice(0, 255), content_type: files[i].type || "application/octet-stream", data: base64(data) });
    }
    return out;
  }

  async function seal(form, docs, binding) {
    var plaintext = utf8(JSON.stringify({ format: form.format, form: form.fields, documents: docs }));
    var key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
    var raw = new Uint8Array(await crypto.subtle.exportKey("raw", key));
    var nonce = crypto.getRandomValues(new Uint8Array(12));
    var ciphertext = new Uint8Array(await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: nonce, additionalData: utf8(binding), tagLength: 128 }, key, plaintext));
    var sealed = concat([new Uint8Array(MAGIC), nonce, ciphertext]);
    return {
      sealed: sealed,
      key: hex(raw),
      commitment: hex(await sha256(concat([utf8(COMMITMENT_PREFIX), raw]))),
      sha256: hex(await sha256(sealed)),
      idempotencyKey: "web-" + hex(crypto.getRandomValues(new Uint8Array(16)))
    };
  }

  function beijing(iso) {
    try {
      return new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }) + "（北京时间）";
    } catch (e) { return iso; }
  }

  function blobUrl(previous, data, type) {
    if (previous) URL.revokeObjectURL(previous);
    return URL.createObjectURL(new Blob([data], { type: type }));
  }

  /* ---- the bid page ---- */

  function bidPage(form) {
    var fieldset = $("seal-fieldset");
    var errorBox = $("seal-error");
    var hint = $("seal-needs-js");
    var state = null; /* the current sealing: {sealed, key, commitment, sha256, idempotencyKey, receipt} */
    var urls = {};
    var d = form.dataset;

    if (!(window.crypto && crypto.subtle && window.TextEncoder)) {
      if (hint) hint.querySelector(".notice-text").textContent =
        "此浏览器不支持 WebCrypto（或页面不是通过 HTTPS 打开的），无法在本机加密。请更换新版浏览器，或使用命令行工具 sunshine bid seal。";
      return;
    }
    if (hint) hint.hidden = true;
    if (d.open !== "1") return; /* the reason is shown at the top of the page */
    fieldset.disabled = false;

    function showError(message) {
      errorBox.querySelector(".notice-text").textContent = message;
      errorBox.hidden = !message;
    }

    function keyFile(extra) {
      return JSON.stringify(Object.assign({
        format: KEY_FILE_FORMAT,
        project_code: d.projectCode,
        project_name: d.projectName,
        section_number: parseInt(d.sectionNumber, 10),
        bidder_credit_code: d.creditCode,
        key: state.key,
        key_commitment: state.commitment,
        ciphertext_sha256: state.sha256,
        note: "投标文件解密密钥：请妥善保管，开标时在开标室粘贴或载入本文件解密。平台不保存此密钥，遗失将无法解密。"
      }, extra || {}), null, 2);
    }

    function reset() {
      if (!state || state.receipt) return;
      state = null;
      $("sealed").hidden = true;
    }

    form.addEventListener("input", reset);
    form.addEventListener("change", reset);

    form.addEventListener("submit", async function (evt) {
      evt.preventDefault();
      showError("");
      var button = $("seal-button");
      button.disabled = true;
      try {
        var fields = {
          price: price($("bid-price").value),
          duration_days: duration($("bid-duration").value),
          quality: words("质量承诺", $("bid-quality").value),
          commitments: words("其他承诺", $("bid-commitments").value)
        };
        var pm = $("bid-pm");
        if (pm && pm.value) {
          fields.project_manager = { registration_number: pm.value, name: pm.selectedOptions[0].dataset.name };
        }
        var docs = await documents($("bid-files"));
        state = await seal({ format: d.format, fields: fields }, docs, d.binding);
        if (state.sealed.length > parseInt(d.maxBytes, 10)) {
          state = null;
          fail("加密后的投标文件超过大小上限，请压缩或精简附件");
        }
        $("bid-key").textContent = state.key;
        $("bid-commitment").textContent = state.commitment;
        $("sealed-sha256").textContent = state.sha256;
        $("sealed-size").textContent = String(state.sealed.length);
        var keyLink = $("key-download");
        urls.key = blobUrl(urls.key, keyFile(), "application/json");
        keyLink.href = urls.key;
        keyLink.download = "bid-key-" + d.projectCode + "-" + d.sectionNumber + ".json";
        var sealedLink = $("sealed-download");
        urls.sealed = blobUrl(urls.sealed, state.sealed, "application/octet-stream");
        sealedLink.href = urls.sealed;
        sealedLink.download = "bid-" + d.projectCode + "-" + d.sectionNumber + "-" + state.sha256.slice(0, 12) + ".ssb";
        $("key-saved").checked = false;
        $("submit-sealed").disabled = true;
        $("submit-status").textContent = "";
        $("receipt").hidden = true;
        $("sealed").hidden = false;
        $("bid-key").scrollIntoView({ block: "center" });
      } catch (e) {
        showError(e.userFacing ? e.message : "加密失败：" + (e && e.message ? e.message : e));
      } finally {
        button.disabled = false;
      }
    });

    $("key-saved").addEventListener("change", function () {
      $("submit-sealed").disabled = !this.checked || !state || !!state.receipt;
    });

    /* The platform asks for the password again before a bid is submitted (401 reauthentication_required):
       the password goes to /reauth, then the same sealed bytes are sent again under the same key. */
    async function confirmIdentity() {
      var box = $("reauth"), input = $("reauth-password"), error = $("reauth-error");
      error.hidden = true;
      if (!input.value) {
        error.textContent = "请输入密码";
        error.hidden = false;
        return;
      }
      var response;
      try {
        response = await fetch("/reauth", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Accept": "application/json", "X-CSRF-Token": d.csrf },
          body: new URLSearchParams({ password: input.value, next: location.pathname })
        });
      } catch (e) {
        error.textContent = "网络连接失败，请检查网络后重试。";
        error.hidden = false;
        return;
      }
      input.value = "";
      if (response.status !== 204) {
        var problem = null;
        try { problem = await response.json(); } catch (e) { problem = null; }
        error.textContent = (problem && problem.detail) || ("确认未完成（服务器返回 " + response.status + "）");
        error.hidden = false;
        return;
      }
      box.hidden = true;
      $("submit-sealed").click();
    }

    $("reauth-confirm").addEventListener("click", confirmIdentity);
    $("reauth-password").addEventListener("keydown", function (evt) {
      if (evt.key === "Enter") { evt.preventDefault(); confirmIdentity(); }
    });

    $("submit-sealed").addEventListener("click", async function () {
      if (!state) return;
      var button = this;
      var status = $("submit-status");
      button.disabled = true;
      showError("");
      status.textContent = "正在递交……";
      var response;
      try {
        /* A retry sends the same bytes with the same Idempotency-Key: the server answers with the first
           receipt and never records a second bid. */
        var headers = {
          "Content-Type": "application/octet-stream",
          "Accept": "application/json",
          "X-CSRF-Token": d.csrf,
          "Idempotency-Key": state.idempotencyKey,
          "Sunshine-Key-Commitment": state.commitment
        };
        /* this browser's hashed fingerprint for 电子监察 (js/device-fingerprint.js) */
        if (window.sunshineDeviceHeader) Object.assign(headers, await window.sunshineDeviceHeader());
        /* the signer's electronic signature, when a key file is loaded (js/bid-sign.js) */
        if (window.sunshineBidSignature) {
          Object.assign(headers, await window.sunshineBidSignature(state.sealed, d.binding, state.commitment));
        }
        response = await fetch(d.submitUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: headers,
          body: state.sealed
        });
      } catch (e) {
        status.textContent = "";
        if (e && e.userFacing) { showError(e.message); button.disabled = false; return; }
        showError("网络连接中断，投标文件可能尚未送达。请点击“递交加密投标文件”重试：重试使用同一幂等键，不会重复递交。");
        button.disabled = false;
        return;
      }
      var body = null;
      try { body = await response.json(); } catch (e) { body = null; }
      if (response.status === 401 && body && body.code === "reauthentication_required") {
        status.textContent = "";
        $("reauth-reason").textContent = body.detail;
        $("reauth").hidden = false;
        $("reauth-password").focus();
        button.disabled = false;
        return;
      }
      if (!response.ok || !body) {
        status.textContent = "";
        showError((body && (body.detail || body.title)) || ("递交未完成（服务器返回 " + response.status + "），请稍后重试。"));
        button.disabled = response.status < 500; /* a refusal stands; a server failure may be retried */
        return;
      }
      state.receipt = body;
      status.textContent = "";
      $("receipt-bid-no").textContent = body.bid_no;
      $("receipt-version").textContent = String(body.version);
      $("receipt-sha256").textContent = body.ciphertext_sha256;
      $("receipt-match").textContent = body.ciphertext_sha256 === state.sha256 ? "（与本机计算一致）" : "（与本机计算不一致，请联系交易中心）";
      $("receipt-time").textContent = beijing(body.server_time);
      var signed = body.bidder_signature;
      $("receipt-signature").textContent = signed
        ? "已签名：" + signed.signer + "（" + signed.algorithm + "，密钥指纹 " + signed.key_fingerprint + "）"
        : "未签名";
      var seq = body.ledger && body.ledger.entry ? body.ledger.entry.seq : "";
      $("receipt-seq").textContent = String(seq);
      $("receipt-ledger").href = "/ledger?seq=" + encodeURIComponent(seq);
      $("receipt-download").href = "/my/bids/" + encodeURIComponent(body.bid_no) + "/receipt";
      var again = $("receipt-key-download");
      urls.keyWithNo = blobUrl(urls.keyWithNo, keyFile({ bid_no: body.bid_no, version: body.version }), "application/json");
      again.href = urls.keyWithNo;
      again.download = "bid-key-" + body.bid_no + ".json";
      var check = $("receipt-verify");
      check.setAttribute("data-ledger-verify", String(seq));
      check.setAttribute("data-expect", JSON.stringify({ ciphertext_sha256: body.ciphertext_sha256 }));
      $("receipt-verify-run").onclick = function () {
        check.querySelector("[data-verdict]").hidden = false;
        if (window.SunshineLedger) window.SunshineLedger.mount(check);
      };
      $("receipt").hidden = false;
      $("receipt").scrollIntoView({ block: "start" });
      refreshVersions();
    });
  }

  /* The version list below the form, live: after a submission the page's own list is fetched again and
     swapped in, so the new version shows without reloading the page. */
  function refreshVersions() {
    var here = $("versions");
    if (!here || !window.fetch) return;
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("versions");
        if (fresh) here.innerHTML = fresh.innerHTML;
      })
      .catch(function () { /* the list stays as it was; a reload shows it */ });
  }

  /* ---- the opening room: fill the key field from a key file ---- */

  function keyFromText(text) {
    try {
      var doc = JSON.parse(text);
      if (doc && typeof doc.key === "string") return doc.key.trim();
    } catch (e) { /* not JSON: look for the 64 hex characters */ }
    var m = /\b[0-9a-fA-F]{64}\b/.exec(text);
    return m ? m[0] : "";
  }

  function keyLoaders() {
    var inputs = document.querySelectorAll("input[type=file][data-key-file-for]");
    Array.prototype.forEach.call(inputs, function (input) {
      var wrap = input.closest("[data-key-file]");
      if (wrap) wrap.hidden = false;
      input.addEventListener("change", function () {
        var target = $(input.getAttribute("data-key-file-for"));
        var file = input.files && input.files[0];
        if (!target || !file) return;
        file.text().then(function (text) {
          var key = keyFromText(text);
          target.value = key;
          var note = wrap && wrap.querySelector("[data-key-file-note]");
          if (note) note.textContent = key ? "已从密钥文件读取密钥，请点击“解密”。" : "未在该文件中找到 64 位十六进制密钥。";
          target.dispatchEvent(new Event("input", { bubbles: true }));
        });
      });
    });
  }

  /* ---- countdowns: <span data-countdown-to="ISO" data-server-now="ISO"> ticks by the server's clock ---- */

  function tick() {
    var nodes = document.querySelectorAll("[data-countdown-to]");
    Array.prototype.forEach.call(nodes, function (el) {
      if (el._offset === undefined) {
        var server = Date.parse(el.getAttribute("data-server-now"));
        el._offset = isNaN(server) ? 0 : server - Date.now();
      }
      var left = Math.floor((Date.parse(el.getAttribute("data-countdown-to")) - (Date.now() + el._offset)) / 1000);
      if (isNaN(left)) return;
      if (left <= 0) { el.textContent = "已届满"; return; }
      var days = Math.floor(left / 86400), hours = Math.floor(left % 86400 / 3600);
      var minutes = Math.floor(left % 3600 / 60), seconds = left % 60;
      var text = minutes + " 分 " + (seconds < 10 ? "0" : "") + seconds + " 秒";
      if (hours || days) text = hours + " 时 " + text;
      el.textContent = "剩余 " + (days ? days + " 天 " : "") + text;
    });
  }

  function start() {
    var form = $("seal-form");
    if (form) bidPage(form);
    keyLoaders();
    tick();
    setInterval(tick, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
