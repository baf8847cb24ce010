/* 1call desk: "插入" puts a suggested passage and its guide link into the reply being written
   (at the cursor). Declared with data-consult-insert / data-consult-link; no inline script. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-consult-insert]");
    if (!button) { return; }
    var box = document.querySelector("textarea[data-consult-reply]");
    if (!box) { return; }
    var text = button.dataset.consultInsert;
    if (button.dataset.consultLink) { text += "\n办事指南：" + button.dataset.consultLink; }
    var start = box.selectionStart || box.value.length, end = box.selectionEnd || start;
    var before = box.value.slice(0, start), after = box.value.slice(end);
    if (before && !/\n$/.test(before)) { text = "\n" + text; }
    box.value = before + text + after;
    box.focus();
    box.selectionStart = box.selectionEnd = (before + text).length;
    button.classList.add("btn-success");
  });
  window.ckConsultReady = true;
})();
