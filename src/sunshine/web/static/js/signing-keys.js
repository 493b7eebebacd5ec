/* 阳光交易 — a signer's key pair made in the browser (WebCrypto Ed25519).

   The private key never leaves this machine: it is offered as a key file (JSON, format
   "sunshine-signing-key/1": algorithm, public_key = base64 of the raw 32-byte key, private_key = base64 of the
   32-byte seed, fingerprint = hex SHA-256("ed25519" || 0x00 || raw public key)); the form then posts only the
   public key. The same file is what `sunshine bid keygen` writes and what the bid page and
   `sunshine bid submit --key` load to sign (docs/signing.md). */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  function base64(bytes) { return btoa(String.fromCharCode.apply(null, bytes)); }

  function fromBase64url(text) {
    var t = text.replace(/-/g, "+").replace(/_/g, "/");
    while (t.length % 4) t += "=";
    return Uint8Array.from(atob(t), function (c) { return c.charCodeAt(0); });
  }

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  async function fingerprint(raw) {
    var prefix = new TextEncoder().encode("ed25519\u0000");
    var data = new Uint8Array(prefix.length + raw.length);
    data.set(prefix, 0);
    data.set(raw, prefix.length);
    return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
  }

  async function generate() {
    var pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
    var raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
    var jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
    var file = {
      format: "sunshine-signing-key/1",
      algorithm: "ed25519",
      public_key: base64(raw),
      private_key: base64(fromBase64url(jwk.d)),
      fingerprint: await fingerprint(raw)
    };
    var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    var link = $("keyfile-download");
    link.href = URL.createObjectURL(blob);
    link.download = "sunshine-signing-key-" + file.fingerprint.slice(0, 8) + ".json";
    $("key-algorithm").value = "ed25519";
    $("key-public").value = file.public_key;
    $("keygen-result").hidden = false;
  }

  async function supported() {
    try {
      await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign"]);
      return true;
    } catch (e) {
      return false;
    }
  }

  document.addEventListener("DOMContentLoaded", async function () {
    var button = $("keygen-button");
    if (!button || !window.crypto || !crypto.subtle || !(await supported())) return;
    $("keygen-needs-js").hidden = true;
    button.disabled = false;
    button.addEventListener("click", function () { generate(); });
  });
})();
