/* 阳光交易 — progressive enhancement only. Every page reads and submits without this file.
   Draws charts declared with the chart() macro, shows flash notices sent by htmx responses
   (HX-Trigger: {"sunshine:flash": {"category": "error", "message": "…"}}), reports failed htmx
   requests, and enables the "返回上一页" button. Contract: docs/ui.md. */
(function () {
  "use strict";

  var PALETTE = ["#b71c1c", "#1565c0", "#f9a825", "#2e7d32", "#6a1b9a", "#00838f", "#ef6c00", "#546e7a"];
  var FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
  var themeReady = false;

  function each(root, selector, fn) {
    var nodes = (root.querySelectorAll ? root : document).querySelectorAll(selector);
    if (root.matches && root.matches(selector)) fn(root);
    for (var i = 0; i < nodes.length; i++) fn(nodes[i]);
  }

  /* ---- charts: <div class="chart" data-echarts='{…option…}' hidden> ---- */
  function drawCharts(root) {
    if (!window.echarts) return;
    if (!themeReady) {
      window.echarts.registerTheme("sunshine", {
        color: PALETTE,
        textStyle: { fontFamily: FONT },
        grid: { left: 56, right: 24, top: 40, bottom: 36 }
      });
      themeReady = true;
    }
    each(root, ".chart[data-echarts]", function (el) {
      if (el.getAttribute("data-chart-ready")) return;
      var option;
      try { option = JSON.parse(el.getAttribute("data-echarts")); } catch (e) { return; }
      /* Tooltips drawn on the canvas: ECharts' HTML tooltips carry style attributes, which the site's
         Content-Security-Policy (no inline styles) refuses. */
      if (option.tooltip && !Array.isArray(option.tooltip)) option.tooltip.renderMode = "richText";
      layoutLegend(option);
      el.hidden = false;
      var chart = window.echarts.init(el, "sunshine", {
        locale: "ZH",
        renderer: el.getAttribute("data-renderer") === "svg" ? "svg" : "canvas"
      });
      chart.setOption(option);
      el.setAttribute("data-chart-ready", "1");
      var table = el.parentNode && el.parentNode.querySelector(".chart-data");
      if (table) table.open = false;
      if (window.ResizeObserver) {
        new ResizeObserver(function () { chart.resize(); }).observe(el);
      } else {
        window.addEventListener("resize", function () { chart.resize(); });
      }
    });
  }

  /* A chart with axes keeps its legend on one scrolling line above the plot and its axis labels inside the
     grid, so the legend never lies over the month labels however narrow the screen. */
  function layoutLegend(option) {
    if (!option.legend || Array.isArray(option.legend) || !option.xAxis) return;
    option.legend.type = "scroll";
    option.legend.top = 0;
    delete option.legend.bottom;
    var grid = option.grid && !Array.isArray(option.grid) ? option.grid : {};
    grid.top = Math.max(grid.top || 0, 64); /* the legend line, then room for the axis names */
    grid.bottom = Math.max(grid.bottom || 0, 12);
    grid.containLabel = true;
    option.grid = grid;
  }

  function disposeCharts(root) {
    if (!window.echarts) return;
    each(root, ".chart[data-chart-ready]", function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) chart.dispose();
    });
  }

  /* ---- flash notices added after load (htmx) ---- */
  function flash(category, message) {
    var main = document.getElementById("main");
    if (!main || !message) return;
    var box = main.querySelector(".flashes");
    if (!box) {
      box = document.createElement("div");
      box.className = "flashes";
      main.insertBefore(box, main.firstChild);
    }
    var kind = { success: 1, error: 1, info: 1 }[category] ? category : "info";
    var note = document.createElement("div");
    note.className = "notice notice-" + kind;
    note.setAttribute("role", kind === "error" ? "alert" : "status");
    var text = document.createElement("span");
    text.className = "notice-text";
    text.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "notice-close";
    close.setAttribute("aria-label", "关闭此提示");
    close.textContent = "×";
    close.addEventListener("click", function () { note.remove(); });
    note.appendChild(text);
    note.appendChild(close);
    box.appendChild(note);
  }

  function enhance(root) {
    drawCharts(root);
    each(root, "[data-history-back]", function (btn) {
      if (window.history.length < 2) return;
      btn.hidden = false;
      btn.addEventListener("click", function () { window.history.back(); });
    });
    scrollableTables(root);
  }

  /* A table wider than the screen scrolls sideways: keyboard users reach it with Tab and scroll it with the
     arrow keys (WCAG 2.1.1), and screen readers hear what it is (the card's title). */
  function scrollableTables(root) {
    each(root, ".table-wrap", function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth || wrap.hasAttribute("tabindex")) return;
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      var card = wrap.closest(".card");
      var title = card && card.querySelector(".card-title");
      wrap.setAttribute("aria-label", (title ? title.textContent.trim() + "：" : "") + "表格（可左右滚动）");
    });
  }

  /* Kiosk: <body class="kiosk" data-kiosk-idle="180"> returns to the home page after that many idle seconds. */
  function kioskIdle() {
    var seconds = parseInt(document.body.getAttribute("data-kiosk-idle") || "0", 10);
    if (!seconds || !document.body.classList.contains("kiosk")) return;
    var timer;
    function reset() {
      clearTimeout(timer);
      timer = setTimeout(function () { if (location.pathname !== "/") location.href = "/"; }, seconds * 1000);
    }
    ["pointerdown", "keydown", "scroll", "touchstart"].forEach(function (name) {
      document.addEventListener(name, reset, { passive: true });
    });
    reset();
  }

  function start() {
    var body = document.body;
    body.addEventListener("sunshine:flash", function (evt) {
      var d = evt.detail || {};
      flash(d.category || d.level || "info", d.message || d.value);
    });
    body.addEventListener("htmx:responseError", function (evt) {
      var xhr = evt.detail && evt.detail.xhr;
      if (xhr && xhr.getResponseHeader("HX-Trigger")) return; /* the server sent its own message */
      var status = xhr ? xhr.status : 0;
      flash("error", status === 403 ? "没有权限执行此操作，或页面已过期，请刷新后重试。"
        : status === 404 ? "请求的内容不存在或已被撤回。"
        : "操作未完成（服务器返回 " + status + "），请稍后重试。");
    });
    body.addEventListener("htmx:sendError", function () {
      flash("error", "网络连接失败，请检查网络后重试。");
    });
    body.addEventListener("htmx:beforeCleanupElement", function (evt) { disposeCharts(evt.target); });
    document.addEventListener("keydown", function (evt) {
      if (evt.key !== "Escape") return;
      each(document, "details.nav-mobile[open]", function (d) { d.open = false; d.querySelector("summary").focus(); });
    });
    document.addEventListener("click", function (evt) {
      each(document, "details.nav-mobile[open]", function (d) { if (!d.contains(evt.target)) d.open = false; });
    });
    kioskIdle();
    if (window.htmx && window.htmx.onLoad) {
      window.htmx.onLoad(enhance); /* runs for the page and for every swapped-in fragment */
    } else {
      enhance(document);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
