/* 阳光交易 — a signer's private key file, read and used in the browser only (WebCrypto; the key never leaves
   the page). Key file (JSON, docs/seals.md):
     {"format": "sunshine-signing-key/1", "algorithm": "ed25519", "key_id": 12,
      "public_key": "<base64 of the raw 32-byte public key>", "private_key": "<base64 of the 32-byte seed>"}
   API (window.SunshineKeys):
     readKeyFile(file) → Promise<{algorithm, keyId, publicKey, privateKey: CryptoKey}>   (rejects with a Chinese message)
     sign(key, bytes) → Promise<base64 signature> */
(function () {
  "use strict";

  var FORMAT = "sunshine-signing-key/1";
  /* PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): SEQUENCE { INTEGER 0, AlgorithmIdentifier id-Ed25519,
     OCTET STRING { OCTET STRING seed } } — WebCrypto imports Ed25519 private keys as pkcs8 or jwk only. */
  var PKCS8_PREFIX = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

  function fromBase64(text) {
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function toBase64(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }

  async function readKeyFile(file) {
    if (!file) throw new Error("请选择私钥文件");
    var data;
    try {
      data = JSON.parse(await file.text());
    } catch (e) {
      throw new Error("私钥文件格式不正确");
    }
    if (!data || data.format !== FORMAT) throw new Error("这不是阳光交易的签名私钥文件");
    if (data.algorithm !== "ed25519") throw new Error("浏览器签章目前只支持 Ed25519 密钥；SM2 密钥请使用客户端签章");
    var seed;
    try {
      seed = fromBase64(data.private_key);
    } catch (e) {
      seed = new Uint8Array(0);
    }
    if (seed.length !== 32) throw new Error("私钥文件中的私钥不正确");
    var pkcs8 = new Uint8Array(48);
    pkcs8.set(PKCS8_PREFIX, 0);
    pkcs8.set(seed, 16);
    var privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
    return { algorithm: "ed25519", keyId: data.key_id, publicKey: data.public_key, privateKey: privateKey };
  }

  async function sign(key, bytes) {
    var signature = await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, bytes);
    return toBase64(new Uint8Array(signature));
  }

  window.SunshineKeys = { FORMAT: FORMAT, readKeyFile: readKeyFile, sign: sign };
})();
