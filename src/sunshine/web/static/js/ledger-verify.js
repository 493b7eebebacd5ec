/* 阳光交易 — the platform's one in-browser verification of the transparency log (全程留痕). No library:
   WebCrypto only (SHA-256, Ed25519). It checks any ledger entry given its index, exactly as
   sunshine.ledger.merkle and sunshine.ledger.format do on the server (docs/ledger.md, docs/seals.md):

     leaf input  = "sunshine-ledger-v1|{seq}|{kind}|{subject}|{payload_sha256}|{recorded_at}" (UTF-8)
     leaf hash   = SHA-256(0x00 || leaf input)            node hash = SHA-256(0x01 || left || right)
     payload     = RFC 8785 canonical JSON, its SHA-256 is payload_sha256
     inclusion   = RFC 9162 §2.1.3.2 over the audit path, to the root of a signed tree head
     head        = Ed25519 over "sunshine-ledger-v1|tree-head|{size}|{root_hash}|{signed_at}|{key_id}"

   API (window.SunshineLedger; every function that hashes returns a Promise):
     hex(bytes) / fromHex(text) / utf8(text) / fromBase64(text)
     sha256(bytes) → Uint8Array            leafHash(leafInputBytes), nodeHash(left, right)
     canonicalJson(value) → string          (RFC 8785 for JSON values without non-integer floats)
     verifyInclusion(leafHash, index, size, auditPath[], root) → boolean
     headMessage(head) → string             verifyHeadSignature(head, publicKeyBase64) → boolean
     verifyEd25519(publicKeyBase64, signatureBase64, messageBytes) → boolean
     verifyProof(proof, key) → {ok, checks: [{key, ok, detail}], entry}
         proof: the JSON of GET /api/v1/ledger/entries/{seq}/proof; key: the JSON of GET /api/v1/ledger/key
     verifyEntry(seq, {base}) → the same, fetching both from the server at base (default: this site)
     mount(element) → runs verifyEntry for element[data-ledger-verify] and shows 验证通过 or what failed
   A check never throws for bad data: it answers ok=false with a Chinese reason. */
(function () {
  "use strict";

  var LOG_ID = "sunshine-ledger-v1";

  function utf8(text) { return new TextEncoder().encode(text); }

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function fromHex(text) {
    if (typeof text !== "string" || text.length % 2 || /[^0-9a-fA-F]/.test(text)) throw new Error("bad hex");
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
    return out;
  }

  function fromBase64(text) {
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function concat(parts) {
    var n = 0, i;
    for (i = 0; i < parts.length; i++) n += parts[i].length;
    var out = new Uint8Array(n), at = 0;
    for (i = 0; i < parts.length; i++) { out.set(parts[i], at); at += parts[i].length; }
    return out;
  }

  function equal(a, b) {
    if (!a || !b || a.length !== b.length) return false;
    var d = 0;
    for (var i = 0; i < a.length; i++) d |= a[i] ^ b[i];
    return d === 0;
  }

  function sha256(bytes) {
    return crypto.subtle.digest("SHA-256", bytes).then(function (d) { return new Uint8Array(d); });
  }

  function leafHash(input) { return sha256(concat([new Uint8Array([0]), input])); }

  function nodeHash(left, right) { return sha256(concat([new Uint8Array([1]), left, right])); }

  function isCount(v) { return typeof v === "number" && Number.isInteger(v) && v >= 0; }

  function bitLength(n) { var b = 0; while (n > 0) { b++; n = Math.floor(n / 2); } return b; }

  /* RFC 9162 §2.1.3.2, as sunshine.ledger.merkle.verify_inclusion (sizes below 2**31: plain integer maths). */
  async function verifyInclusion(leaf, index, size, path, root) {
    if (!(isCount(index) && isCount(size) && index < size)) return false;
    if (!(leaf && leaf.length === 32 && root && root.length === 32)) return false;
    if (!Array.isArray(path) || path.length > bitLength(size) + 1) return false;
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < path.length; i++) {
      var c = path[i];
      if (!(c && c.length === 32)) return false;
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(c, r);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, c);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 && equal(r, root);
  }

  /* RFC 8785: keys sorted by UTF-16 code units, ECMAScript number and string serialisation. */
  function canonicalJson(v) {
    if (v === null || typeof v !== "object") return JSON.stringify(v);
    if (Array.isArray(v)) return "[" + v.map(canonicalJson).join(",") + "]";
    return "{" + Object.keys(v).sort().map(function (k) { return JSON.stringify(k) + ":" + canonicalJson(v[k]); }).join(",") + "}";
  }

  function headMessage(head) {
    return [LOG_ID, "tree-head", head.size, head.root_hash, head.signed_at, head.key_id].join("|");
  }

  async function verifyEd25519(publicKeyB64, signatureB64, message) {
    try {
      var key = await crypto.subtle.importKey("raw", fromBase64(publicKeyB64), { name: "Ed25519" }, false, ["verify"]);
      return await crypto.subtle.verify({ name: "Ed25519" }, key, fromBase64(signatureB64), message);
    } catch (e) {
      return false;
    }
  }

  function verifyHeadSignature(head, publicKeyB64) {
    return verifyEd25519(publicKeyB64, head.signature, utf8(headMessage(head)));
  }

  function check(key, ok, detail) { return { key: key, ok: !!ok, detail: detail }; }

  async function verifyProof(proof, key) {
    var checks = [];
    try {
      var entry = proof.entry, head = proof.head;
      var parts = String(proof.leaf_input).split("|");
      var digest = hex(await sha256(utf8(canonicalJson(entry.payload))));
      checks.push(check("payload", parts.length === 6 && parts[0] === LOG_ID && digest === parts[4] && digest === entry.payload_sha256,
        digest === parts[4] ? "留痕记录的内容与其摘要一致" : "留痕记录的内容与其摘要不符"));
      checks.push(check("index", Number(parts[1]) === proof.leaf_index && entry.seq === proof.leaf_index,
        "留痕记录序号 " + proof.leaf_index));
      var leaf = await leafHash(utf8(proof.leaf_input));
      var leafOk = hex(leaf) === entry.leaf_hash;
      checks.push(check("leaf", leafOk, leafOk ? "叶子哈希与记录一致" : "叶子哈希与记录不符"));
      var included = await verifyInclusion(leaf, proof.leaf_index, proof.tree_size,
        proof.audit_path.map(fromHex), fromHex(head.root_hash));
      checks.push(check("inclusion", included && head.size === proof.tree_size, included
        ? "包含性证明成立：第 " + proof.leaf_index + " 号记录在大小为 " + head.size + " 的签名树中"
        : "包含性证明不成立：该记录不在签名树头所承诺的日志中"));
      var keyOk = head.key_id === key.key_id && hex(await sha256(fromBase64(key.public_key))) === key.key_id;
      var signed = keyOk && await verifyHeadSignature(head, key.public_key);
      checks.push(check("head", signed, signed ? "签名树头的 Ed25519 签名有效" : "签名树头的签名无效或不是平台公钥所签"));
    } catch (e) {
      checks.push(check("format", false, "证明数据格式不正确"));
    }
    return { ok: checks.every(function (c) { return c.ok; }), checks: checks, entry: proof && proof.entry };
  }

  async function getJson(url) {
    var response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" });
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }

  async function verifyEntry(seq, options) {
    var base = (options && options.base) || "";
    var proof, key;
    try {
      proof = await getJson(base + "/api/v1/ledger/entries/" + encodeURIComponent(seq) + "/proof");
      key = await getJson(base + "/api/v1/ledger/key");
    } catch (e) {
      return { ok: false, checks: [check("fetch", false, "无法取得留痕记录或其证明（记录尚未被签名树头覆盖，或网络故障）")], entry: null };
    }
    return verifyProof(proof, key);
  }

  /* The one verdict block of every page that checks an entry (the proof page, a bid receipt): an element
     with data-ledger-verify="<seq>" (and optionally data-expect='{"field": value}' — values the entry's
     payload must carry, e.g. a receipt's ciphertext_sha256) gets its checks listed in its .checks list and
     its verdict — 验证通过, or what failed — in its [data-verdict] element (data-state ok | failed). */
  async function mount(el) {
    var list = el.querySelector(".checks"), verdict = el.querySelector("[data-verdict]");
    if (verdict) { verdict.setAttribute("data-state", "running"); verdict.textContent = "正在本机验证…"; }
    var result = await verifyEntry(el.getAttribute("data-ledger-verify"));
    var expect = el.getAttribute("data-expect");
    if (expect && result.entry) {
      var wanted = JSON.parse(expect), payload = result.entry.payload || {}, same = true;
      Object.keys(wanted).forEach(function (k) { if (payload[k] !== wanted[k]) same = false; });
      result.checks.push(check("receipt", same, same ? "留痕记录记载的内容与回执一致" : "留痕记录记载的内容与回执不符"));
      result.ok = result.ok && same;
    }
    if (list) {
      list.textContent = "";
      result.checks.forEach(function (c) {
        var li = document.createElement("li");
        li.className = c.ok ? "check-ok" : "check-failed";
        li.setAttribute("data-check", c.key);
        li.textContent = (c.ok ? "✓ " : "✗ ") + c.detail;
        list.appendChild(li);
      });
    }
    if (verdict) {
      var failed = result.checks.filter(function (c) { return !c.ok; }).map(function (c) { return c.detail; });
      verdict.setAttribute("data-state", result.ok ? "ok" : "failed");
      verdict.className = "notice " + (result.ok ? "notice-success" : "notice-error");
      verdict.textContent = result.ok ? "验证通过" : "验证未通过：" + failed.join("；");
    }
    return result;
  }

  function mountAll() {
    var found = document.querySelectorAll("[data-ledger-verify]");
    for (var i = 0; i < found.length; i++) {
      if (found[i].getAttribute("data-ledger-verify") !== "") mount(found[i]);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();

  window.SunshineLedger = {
    mount: mount,
    hex: hex, fromHex: fromHex, fromBase64: fromBase64, utf8: utf8, sha256: sha256,
    leafHash: leafHash, nodeHash: nodeHash, canonicalJson: canonicalJson,
    verifyInclusion: verifyInclusion, headMessage: headMessage, verifyHeadSignature: verifyHeadSignature,
    verifyEd25519: verifyEd25519, verifyProof: verifyProof, verifyEntry: verifyEntry
  };
})();
