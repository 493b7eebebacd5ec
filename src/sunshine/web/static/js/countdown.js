/* 阳光交易 — countdowns: <span data-countdown-to="ISO" data-server-now="ISO"> ticks by the server's clock
   (the page's text, computed by the server, stays when JavaScript is off). */
(function () {
  "use strict";

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
      var hours = Math.floor(left / 3600), minutes = Math.floor(left % 3600 / 60), seconds = left % 60;
      var text = minutes + " 分 " + (seconds < 10 ? "0" : "") + seconds + " 秒";
      el.textContent = "剩余 " + (hours ? hours + " 时 " : "") + text;
    });
  }

  function start() { tick(); setInterval(tick, 1000); }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
