/* 阳光交易 — an independent party's part of a draw, in its own browser (uses window.SunshineLedger from
   ledger-verify.js for SHA-256 and hex). Commit: 32 random bytes from crypto.getRandomValues are the party's
   secret, kept in this browser's localStorage; only the commitment
     SHA-256("sunshine-draw-v1|commit|" + code + "|" + party + "|" + secret)   (hex, UTF-8)
   is sent. Reveal: the kept secret is sent; the server checks it against the commitment. The secret never
   leaves this browser before the reveal. A party that does not reveal in time gets the published default. */
(function () {
  "use strict";

  var panel = document.getElementById("draw-party");
  if (!panel) return;
  var code = panel.getAttribute("data-code");
  var party = panel.getAttribute("data-party");
  var storageKey = "sunshine-draw-secret:" + code + ":" + party;

  function status(text) { document.getElementById("draw-party-status").textContent = text; }

  function error(text) {
    var box = document.getElementById("draw-party-error");
    box.textContent = text;
    box.hidden = !text;
  }

  async function post(url, field, value) {
    var response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRF-Token": panel.getAttribute("data-csrf") },
        body: new URLSearchParams([[field, value]])
      });
    } catch (e) {
      throw new Error("网络连接失败，请检查网络后重试。");
    }
    var data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) throw new Error((data && data.detail) || ("操作未完成（服务器返回 " + response.status + "）"));
    return data;
  }

  async function commitment(secret) {
    var L = window.SunshineLedger;
    return L.hex(await L.sha256(L.utf8("sunshine-draw-v1|commit|" + code + "|" + party + "|" + secret)));
  }

  var commitButton = document.getElementById("draw-commit");
  if (commitButton) {
    commitButton.addEventListener("click", async function () {
      error("");
      if (!window.crypto || !crypto.subtle || !window.SunshineLedger) {
        error("本浏览器不支持 WebCrypto（须通过 HTTPS 访问），无法生成随机数。");
        return;
      }
      commitButton.disabled = true;
      var secret = localStorage.getItem(storageKey);
      if (!secret) {  /* a retry after a network failure commits to the same secret */
        secret = window.SunshineLedger.hex(crypto.getRandomValues(new Uint8Array(32)));
        localStorage.setItem(storageKey, secret);
      }
      status("正在提交承诺……");
      try {
        var data = await post(panel.getAttribute("data-commit-url"), "commitment", await commitment(secret));
        status(data.message + "。请勿清除本浏览器的数据，开始抽取后在本页揭示。");
        window.location.reload();
      } catch (e) {
        status("");
        error(e.message);
        commitButton.disabled = false;
      }
    });
  }

  var revealButton = document.getElementById("draw-reveal");
  if (revealButton) {
    revealButton.addEventListener("click", async function () {
      error("");
      var secret = localStorage.getItem(storageKey);
      if (!secret) {
        error("本浏览器中没有找到您提交承诺时生成的随机数（须使用提交承诺的同一浏览器）。逾期未揭示的，将以公布的默认值计入。");
        return;
      }
      revealButton.disabled = true;
      status("正在揭示……");
      try {
        var data = await post(panel.getAttribute("data-reveal-url"), "secret", secret);
        localStorage.removeItem(storageKey);
        status(data.message);
        window.location.reload();
      } catch (e) {
        status("");
        error(e.message);
        revealButton.disabled = false;
      }
    });
  }
})();
