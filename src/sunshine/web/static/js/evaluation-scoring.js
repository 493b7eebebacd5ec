// 评分表: each row's subtotal computed live as the member types (no fetch, no library); the submit button is
// disabled after the first click so a double click never submits twice (the server refuses a second submission
// anyway). Scores out of range are marked by the browser's own validation before submitting.
(function () {
  "use strict";
  function subtotal(row) {
    var sum = 0;
    row.querySelectorAll("[data-score]").forEach(function (input) {
      var value = parseFloat(input.value);
      if (!isNaN(value)) sum += Math.round(value * 100);
    });
    row.querySelector("[data-subtotal]").textContent = (sum / 100).toFixed(2);
  }
  document.querySelectorAll("form[data-scoresheet]").forEach(function (form) {
    form.querySelectorAll("[data-row]").forEach(function (row) {
      row.addEventListener("input", function () { subtotal(row); });
      subtotal(row);
    });
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-submit-once]");
      if (button) { button.disabled = true; button.textContent = "正在提交…"; }
    });
  });
})();
