/* 阳光交易 — the signer's electronic signature on a sealed bid, in the browser (WebCrypto Ed25519).

   The bid page loads a signing key file (format "sunshine-signing-key/1", made on /signing/keys or by
   `sunshine bid keygen`); on submission seal.js asks window.sunshineBidSignature for the headers. The signed
   message is exactly envelope.signed_message (docs/bidding.md):
     "sunshine-bid-signature/1" || 0x00 || SHA-256(sealed) || SHA-256(UTF-8 binding) || key commitment (32 bytes)
   The private key stays in this page's memory; only the key's number and the 64-byte signature are sent. */
(function () {
  "use strict";

  var PREFIX = "sunshine-bid-signature/1\u0000";
  var loaded = null; /* {keyId, privateKey (CryptoKey), fingerprint} */

  function $(id) { return document.getElementById(id); }

  function fail(message) { var e = new Error(message); e.userFacing = true; throw e; }

  function b64decode(text) { return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); }); }

  function b64encode(bytes) { return btoa(String.fromCharCode.apply(null, bytes)); }

  function b64url(bytes) { return b64encode(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""); }

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function fromHex(text) {
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
    return out;
  }

  async function sha256(bytes) { return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)); }

  function concat(parts) {
    var size = 0, offset = 0;
    parts.forEach(function (p) { size += p.length; });
    var out = new Uint8Array(size);
    parts.forEach(function (p) { out.set(p, offset); offset += p.length; });
    return out;
  }

  async function load(file, known) {
    var info;
    try { info = JSON.parse(await file.text()); } catch (e) { fail("签名私钥文件无法读取（应为 JSON 文件）"); }
    if (!info || info.format !== "sunshine-signing-key/1") fail("这不是签名私钥文件（格式应为 sunshine-signing-key/1）");
    if (info.algorithm !== "ed25519") fail("浏览器中签名目前只支持 Ed25519 密钥；SM2 密钥请使用 sunshine bid submit --key 签名递交");
    var pub = b64decode(info.public_key), seed = b64decode(info.private_key);
    var fingerprint = hex(await sha256(concat([new TextEncoder().encode("ed25519\u0000"), pub])));
    var match = known.filter(function (k) { return k.fingerprint === fingerprint; })[0];
    if (!match) fail("该签名密钥不是本单位已确认的有效密钥（可能待企业管理员确认、已吊销或属于其他单位）");
    var privateKey = await crypto.subtle.importKey(
      "jwk", { kty: "OKP", crv: "Ed25519", d: b64url(seed), x: b64url(pub) }, { name: "Ed25519" }, false, ["sign"]
    );
    return { keyId: match.id, privateKey: privateKey, fingerprint: fingerprint };
  }

  window.sunshineBidSignature = async function (sealed, binding, commitment) {
    if (!loaded) return {};
    var message = concat([
      new TextEncoder().encode(PREFIX),
      await sha256(sealed),
      await sha256(new TextEncoder().encode(binding)),
      fromHex(commitment)
    ]);
    var signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, loaded.privateKey, message));
    return { "Sunshine-Signing-Key": String(loaded.keyId), "Sunshine-Signature": b64encode(signature) };
  };

  document.addEventListener("DOMContentLoaded", function () {
    var input = $("sign-keyfile"), form = $("seal-form");
    if (!input || !form) return;
    var known = JSON.parse(form.dataset.signingKeys || "[]");
    input.addEventListener("change", async function () {
      var status = $("sign-status");
      loaded = null;
      status.textContent = "";
      if (!input.files || !input.files.length) return;
      try {
        loaded = await load(input.files[0], known);
        status.textContent = "已载入签名密钥（指纹 " + loaded.fingerprint.slice(0, 16).toUpperCase() + "），递交时将在本机签名。";
      } catch (e) {
        status.textContent = e.userFacing ? e.message : "签名私钥文件无法使用：" + e;
      }
    });
  });
})();
