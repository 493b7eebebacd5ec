/* 阳光交易 — replay of a publicly verifiable draw in the visitor's browser (constructions sunshine-draw-v1 and
   sunshine-draw-v2, docs/draws.md; a record says its version), over window.SunshineLedger (ledger-verify.js: SHA-256, hex, RFC 8785 canonical JSON, ledger
   inclusion proofs). From GET /api/v1/draws/{code}/record it recomputes:
     leaf       = H("sunshine-draw-v1|candidate|" + JCS({draw, ref, salt, groups, status}))   (after disclosure)
     pool_hash  = H(JCS(sorted pool))     list_hash = H(JCS({draw, groups, eligible, pool_hash}))
     commitment = H("sunshine-draw-v1|commit|" + code + "|" + party + "|" + secret)
     default    = H("sunshine-draw-v1|default|" + code + "|" + party)
     seed       = H("sunshine-draw-v1|seed|" + list_hash + "|" + "party=secret" joined by "|" (sorted) + "|" + beacon)
     stream     = SHA-256(seed bytes || 8-byte big-endian counter), read as big-endian uint64
     uniform(n) = rejection sampling below 2^64 - (2^64 mod n);  order = Fisher–Yates over the sorted eligible
   then the calls (seats, reserves, replacements) from the recorded outcomes, and each ledger entry of the draw
   with its inclusion proof and signed tree head (SunshineLedger.verifyEntry). */
(function () {
  "use strict";

  var V = "sunshine-draw-v1";
  var V2 = "sunshine-draw-v2";  /* steps 3-7 (commitments, defaults, seed, stream) keep the v1 prefixes */
  var TWO64 = BigInt("18446744073709551616");
  var OUTCOMES = ["confirmed", "declined", "no_show"];
  var L;

  async function H(text) { return L.hex(await L.sha256(L.utf8(text))); }
  function jcs(value) { return L.canonicalJson(value); }
  function same(a, b) { return jcs(a) === jcs(b); }
  function sorted(list) { return list.slice().sort(); }
  function isSortedUnique(list) {
    for (var i = 1; i < list.length; i++) if (!(list[i - 1] < list[i])) return false;
    return true;
  }
  function publicGroups(groups) {
    return groups.map(function (g) { return { code: g.code, count: g.count, reserve: g.reserve || 0 }; });
  }

  function Stream(seedHex) {
    this.seed = L.fromHex(seedHex);
    this.counter = 0;
    this.block = null;
    this.offset = 32;
  }
  Stream.prototype.next = async function () {
    if (this.offset >= 32) {
      var input = new Uint8Array(this.seed.length + 8);
      input.set(this.seed, 0);
      var c = BigInt(this.counter);
      for (var i = 7; i >= 0; i--) { input[this.seed.length + i] = Number(c & BigInt(255)); c = c >> BigInt(8); }
      this.block = await L.sha256(input);
      this.counter += 1;
      this.offset = 0;
    }
    var x = BigInt(0);
    for (var k = 0; k < 8; k++) x = (x << BigInt(8)) | BigInt(this.block[this.offset + k]);
    this.offset += 8;
    return x;
  };
  Stream.prototype.uniform = async function (n) {
    var N = BigInt(n), limit = TWO64 - (TWO64 % N);
    var x = await this.next();
    while (x >= limit) x = await this.next();
    return Number(x % N);
  };

  async function order(seedHex, eligible) {
    var items = sorted(eligible.map(function (e) { return e.leaf; }));
    var stream = new Stream(seedHex);
    for (var i = items.length - 1; i > 0; i--) {
      var j = await stream.uniform(i + 1);
      var t = items[i]; items[i] = items[j]; items[j] = t;
    }
    return items;
  }

  function assign(orderList, groups, groupsOf, outcomes) {
    var specs = publicGroups(groups), seats = {}, places = {};
    var codes = specs.map(function (g) { return g.code; });
    specs.forEach(function (g) { seats[g.code] = g.count; places[g.code] = g.reserve; });
    var cands = orderList.map(function (lf, i) { return { position: i + 1, leaf: lf, groups: groupsOf[lf] || [] }; });
    var called = new Set(), calls = [];
    function make(leaf, group, kind, position, replaces) {
      return { leaf: leaf, group: group, kind: kind, position: position, state: "called", replaces: replaces || null };
    }
    function isOpen(c) { return c.state === "called" || c.state === "confirmed"; }
    cands.forEach(function (c) {
      for (var i = 0; i < codes.length; i++) {
        var g = codes[i];
        if (c.groups.indexOf(g) >= 0 && seats[g] > 0) { seats[g] -= 1; called.add(c.leaf); calls.push(make(c.leaf, g, "seat", c.position)); break; }
      }
    });
    cands.forEach(function (c) {
      if (called.has(c.leaf)) return;
      for (var i = 0; i < codes.length; i++) {
        var g = codes[i];
        if (c.groups.indexOf(g) >= 0 && places[g] > 0) { places[g] -= 1; called.add(c.leaf); calls.push(make(c.leaf, g, "reserve", c.position)); break; }
      }
    });
    function nextUncalled(group) {
      for (var i = 0; i < cands.length; i++) if (!called.has(cands[i].leaf) && cands[i].groups.indexOf(group) >= 0) return cands[i];
      return null;
    }
    (outcomes || []).forEach(function (o) {
      if (OUTCOMES.indexOf(o.outcome) < 0) throw new Error("未知的应答结果");
      var current = null;
      for (var i = calls.length - 1; i >= 0; i--) if (calls[i].leaf === o.leaf && isOpen(calls[i])) { current = calls[i]; break; }
      if (!current) throw new Error("应答结果所指的候选人没有待确认的抽取结果");
      if (o.outcome === "confirmed") { current.state = "confirmed"; return; }
      current.state = o.outcome;
      var kind = current.kind, group = current.group, leaf = o.leaf;
      if (kind === "seat") {
        var reserve = calls.find(function (c) { return c.kind === "reserve" && c.group === group && isOpen(c); });
        if (reserve) {
          reserve.state = "promoted";
          calls.push(make(reserve.leaf, group, "seat", reserve.position, leaf));
          kind = "reserve"; leaf = reserve.leaf;
        }
      }
      var found = nextUncalled(group);
      if (found) { called.add(found.leaf); calls.push(make(found.leaf, group, kind, found.position, leaf)); }
    });
    return calls;
  }

  /* v2 steps 4-5: the first `places` tickets of the order (partial Fisher–Yates from the seed's stream, read from
     the eligible entries sorted by ref, rotated by the salt's offset) and the groups of each. */
  async function orderV2(code, salt, seedHex, eligible, places) {
    var m = eligible.length, stream = new Stream(seedHex), swapped = new Map(), tickets = [], groupsOf = {};
    var offset = m ? Number(BigInt("0x" + await H(V2 + "|offset|" + code + "|" + salt)) % BigInt(m)) : 0;
    for (var i = 0; i < Math.min(places, m); i++) {
      var j = i < m - 1 ? i + await stream.uniform(m - i) : i;
      var ai = swapped.has(i) ? swapped.get(i) : i, aj = swapped.has(j) ? swapped.get(j) : j;
      swapped.set(j, ai);
      var entry = eligible[(aj + offset) % m];
      var ticket = await H(V2 + "|ticket|" + code + "|" + salt + "|" + entry[0]);
      tickets.push(ticket);
      groupsOf[ticket] = entry[1];
    }
    return { tickets: tickets, groupsOf: groupsOf };
  }

  async function seedOk(record, add) {
    var code = record.code, secrets = {}, ok = true;
    for (var p = 0; p < record.parties.length; p++) {
      var party = record.parties[p];
      if (party.defaulted) {
        secrets[party.party] = await H(V + "|default|" + code + "|" + party.party);
        var okDefault = party.secret === null || party.secret === secrets[party.party];
        add(okDefault, party.label, "逾期未揭示，使用公布的默认值");
        ok = ok && okDefault;
      } else if (party.secret) {
        var okCommit = await H(V + "|commit|" + code + "|" + party.party + "|" + party.secret) === party.commitment;
        add(okCommit, party.label, okCommit ? "揭示的随机数与承诺一致" : "揭示的随机数与承诺不符");
        secrets[party.party] = party.secret;
        ok = ok && okCommit;
      } else {
        ok = false;
      }
    }
    if (!record.seed) return false;
    var joined = Object.keys(secrets).sort().map(function (k) { return k + "=" + secrets[k]; }).join("|");
    var beacon = (record.beacon && record.beacon.value) || "";
    add(ok && await H(V + "|seed|" + record.list_hash + "|" + joined + "|" + beacon) === record.seed, "随机种子", record.seed);
    return true;
  }

  async function replayV2(record, add) {
    var code = record.code;
    add(record.version === V2, "构造版本", V2 + "（对整个候选池作一次加盐承诺）");
    var listHash = await H(V2 + "|list|" + jcs({ draw: code, eligible_count: record.eligible_count,
      groups: publicGroups(record.groups), pool_hash: record.pool_hash, pool_size: record.pool_size }));
    add(listHash === record.list_hash, "名单哈希", "候选池承诺、组别与人数（候选池 " + record.pool_size + " 人，符合条件 " + record.eligible_count + " 人）");
    var entries = null;
    if (record.candidates) {
      entries = record.candidates.map(function (c) { return [c.ref, c.groups, c.status]; });
      var refs = entries.map(function (e) { return e[0]; }), unknown = [];
      add(isSortedUnique(refs) && refs.length === record.pool_size, "候选池", "公开的候选人按标识排序、不重复，共 " + refs.length + " 人");
      var opened = await H(V2 + "|pool|" + jcs({ draw: code, entries: entries, salt: record.salt }));
      add(opened === record.pool_hash, "候选池承诺", "公开的候选池与随机盐还原出抽取前记入留痕的候选池哈希");
      var eligibleCount = entries.filter(function (e) { return e[2] === "eligible"; }).length;
      add(eligibleCount === record.eligible_count, "名单完整", "符合条件的人数与公开的候选池一致");
      entries.forEach(function (e) { if (e[2] !== "eligible" && !(e[2] in (record.reasons || {}))) unknown.push(e[2]); });
      add(unknown.length === 0, "排除原因", unknown.length ? "未登记的原因：" + unknown.join("、") : "每一项排除都有登记的原因");
    }
    if (await seedOk(record, add) && entries) {
      var eligible = entries.filter(function (e) { return e[2] === "eligible"; });
      var computed = await orderV2(code, record.salt, record.seed, eligible, (record.order || []).length);
      add(same(computed.tickets, record.order), "抽取顺序", "按随机种子重新计算已用到的 " + computed.tickets.length + " 个抽取序号");
      var calls;
      try { calls = assign(computed.tickets, record.groups, computed.groupsOf, record.outcomes); } catch (e) { calls = null; }
      add(calls !== null && same(calls, record.assignment), "席位与递补", "按抽取顺序和应答记录重新计算正选、备选和递补");
    }
    await ledger(record, add);
  }

  async function replay(record, add) {
    if (record.version === V2) return replayV2(record, add);
    var code = record.code, pool = record.pool, eligible = record.eligible;
    add(record.version === V, "构造版本", "应为 " + V);
    add(isSortedUnique(pool), "候选池", "叶子按顺序排列且不重复（" + pool.length + " 人）");
    add(await H(jcs(pool)) === record.pool_hash, "候选池哈希", record.pool_hash);
    var leaves = eligible.map(function (e) { return e.leaf; }), inPool = new Set(pool);
    add(isSortedUnique(leaves) && leaves.every(function (l) { return inPool.has(l); }), "合格名单", "按叶子排序且均在候选池中（" + leaves.length + " 人）");
    var listHash = await H(jcs({ draw: code, groups: publicGroups(record.groups), eligible: eligible, pool_hash: record.pool_hash }));
    add(listHash === record.list_hash, "名单哈希", record.list_hash);
    if (record.candidates) {
      var recomputed = [], expected = [], unknown = [];
      for (var i = 0; i < record.candidates.length; i++) {
        var c = record.candidates[i];
        var lf = await H(V + "|candidate|" + jcs({ draw: code, ref: c.ref, salt: c.salt, groups: c.groups, status: c.status }));
        recomputed.push(lf);
        if (c.status === "eligible") expected.push({ leaf: lf, groups: c.groups });
        else if (!(c.status in (record.reasons || {}))) unknown.push(c.status);
      }
      add(same(sorted(recomputed), pool), "候选人信息", "公开的标识、随机盐、组别和状态逐一还原出候选池叶子");
      expected.sort(function (a, b) { return a.leaf < b.leaf ? -1 : a.leaf > b.leaf ? 1 : 0; });
      add(same(expected, eligible), "名单完整", "合格名单与候选池中状态为符合条件的候选人完全一致");
      add(unknown.length === 0, "排除原因", unknown.length ? "未登记的原因：" + unknown.join("、") : "每一项排除都有登记的原因");
    }
    var secrets = {}, ok = true;
    for (var p = 0; p < record.parties.length; p++) {
      var party = record.parties[p];
      if (party.defaulted) {
        secrets[party.party] = await H(V + "|default|" + code + "|" + party.party);
        var okDefault = party.secret === null || party.secret === secrets[party.party];
        add(okDefault, party.label, "逾期未揭示，使用公布的默认值");
        ok = ok && okDefault;
      } else if (party.secret) {
        var okCommit = await H(V + "|commit|" + code + "|" + party.party + "|" + party.secret) === party.commitment;
        add(okCommit, party.label, okCommit ? "揭示的随机数与承诺一致" : "揭示的随机数与承诺不符");
        secrets[party.party] = party.secret;
        ok = ok && okCommit;
      } else {
        ok = false;
      }
    }
    if (record.seed) {
      var joined = Object.keys(secrets).sort().map(function (k) { return k + "=" + secrets[k]; }).join("|");
      var beacon = (record.beacon && record.beacon.value) || "";
      add(ok && await H(V + "|seed|" + record.list_hash + "|" + joined + "|" + beacon) === record.seed, "随机种子", record.seed);
      var computed = await order(record.seed, eligible);
      add(same(computed, record.order), "抽取顺序", "按随机种子重新洗牌，得到相同的顺序");
      var groupsOf = {};
      eligible.forEach(function (e) { groupsOf[e.leaf] = e.groups; });
      var calls;
      try { calls = assign(computed, record.groups, groupsOf, record.outcomes); } catch (e) { calls = null; }
      add(calls !== null && same(calls, record.assignment), "席位与递补", "按抽取顺序和应答记录重新计算正选、备选和递补");
    }
    await ledger(record, add);
  }

  async function ledger(record, add) {
    var entries = record.ledger || [];
    var byKind = {};
    entries.forEach(function (e) { (byKind[e.kind] = byKind[e.kind] || []).push(e.payload); });
    var prepared = byKind["draws:draw:prepared"] || [];
    add(prepared.length === 1 && prepared[0].pool_hash === record.pool_hash && prepared[0].list_hash === record.list_hash,
      "留痕中的名单", "抽取前记入留痕的候选池哈希和名单哈希与记录一致");
    var logged = {}, expected = {};
    prepared.concat(byKind["draws:draw:committed"] || []).forEach(function (pl) { Object.assign(logged, pl.commitments || {}); });
    record.parties.forEach(function (p) { if (p.commitment) expected[p.party] = p.commitment; });
    add(same(logged, expected), "留痕中的承诺", "各方承诺与留痕记录一致");
    var firstReveal = Infinity, lastCommit = -1;
    entries.forEach(function (e) {
      if (e.kind === "draws:draw:revealed") firstReveal = Math.min(firstReveal, e.seq);
      if (e.kind === "draws:draw:committed" || e.kind === "draws:draw:prepared") lastCommit = Math.max(lastCommit, e.seq);
    });
    add(lastCommit < firstReveal, "承诺先于揭示", "所有承诺都在任何揭示之前记入留痕");
    if (record.seed && record.version === V2) {
      var drawn2 = byKind["draws:draw:drawn"] || [], order = record.order || [];
      var firstCalls = drawn2.length === 1 && (drawn2[0].calls || []).every(function (c) { return order[c.position - 1] === c.leaf; });
      add(drawn2.length === 1 && drawn2[0].seed === record.seed && firstCalls && drawn2[0].order_size === record.eligible_count,
        "留痕中的种子", "随机种子与抽取时通知的位次与留痕记录一致");
    } else if (record.seed) {
      var drawn = byKind["draws:draw:drawn"] || [];
      var orderHash = await H(jcs(record.order));
      add(drawn.length === 1 && drawn[0].seed === record.seed && drawn[0].order_hash === orderHash,
        "留痕中的种子", "随机种子和抽取顺序的哈希与留痕记录一致");
    }
    var included = 0, failed = [];
    for (var i = 0; i < entries.length; i++) {
      var result = await L.verifyEntry(entries[i].seq);
      var digest = await H(jcs(entries[i].payload));
      var matches = result.ok && result.entry && result.entry.payload_sha256 === entries[i].payload_sha256 && digest === entries[i].payload_sha256;
      if (matches) included += 1; else failed.push(entries[i].seq);
    }
    add(entries.length > 0 && failed.length === 0, "留痕包含性证明",
      failed.length ? "第 " + failed.join("、") + " 号留痕记录未通过包含性证明或与记录不符" : "本次抽取的 " + included + " 条留痕记录均在签名树中，树头签名有效");
  }

  function item(ok, label, detail) {
    var li = document.createElement("li");
    li.className = "check " + (ok ? "ok" : "failed");
    li.setAttribute("data-browser-check", ok ? "ok" : "failed");
    var strong = document.createElement("strong");
    strong.textContent = label + "：" + (ok ? "通过" : "未通过") + " ";
    li.appendChild(strong);
    li.appendChild(document.createTextNode(detail || ""));
    return li;
  }

  async function run(button) {
    var list = document.getElementById("draw-check-list");
    var verdict = document.getElementById("draw-browser-verdict");
    list.textContent = "";
    verdict.className = "notice notice-info";
    verdict.setAttribute("data-state", "running");
    verdict.textContent = "正在验证……";
    var failed = false;
    function add(ok, label, detail) { list.appendChild(item(ok, label, detail)); if (!ok) failed = true; }
    L = window.SunshineLedger;
    if (!window.crypto || !crypto.subtle || !L) {
      add(false, "浏览器", "本浏览器不支持 WebCrypto（须通过 HTTPS 访问），无法在本机验证");
    } else {
      try {
        var response = await fetch("/api/v1/draws/" + encodeURIComponent(button.getAttribute("data-code")) + "/record",
          { headers: { Accept: "application/json" }, credentials: "omit" });
        if (!response.ok) throw new Error(String(response.status));
        await replay(await response.json(), add);
      } catch (e) {
        add(false, "公开记录", "无法取得或解析公开记录");
      }
    }
    verdict.className = "notice " + (failed ? "notice-error" : "notice-success");
    verdict.setAttribute("data-state", failed ? "failed" : "ok");
    verdict.textContent = failed ? "本机浏览器验证未通过" : "本机浏览器验证通过";
  }

  var button = document.getElementById("draw-verify");
  if (button) button.addEventListener("click", function () { run(button); });
  window.SunshineDraw = { order: order, orderV2: orderV2, assign: assign, replay: replay };
})();
