(function () {
  "use strict";
  // 按业务 / 按事项 tabs of the kiosk; the page goes back to the first tab after a minute idle.
  var buttons = document.querySelectorAll("[data-kiosk-tab]");
  function show(id) {
    buttons.forEach(function (b) { b.classList.toggle("active", b.dataset.kioskTab === id); });
    document.querySelectorAll(".kiosk-pane").forEach(function (p) { p.hidden = p.id !== id; });
  }
  buttons.forEach(function (b) { b.addEventListener("click", function () { show(b.dataset.kioskTab); }); });
  var idle;
  function rearm() { clearTimeout(idle); idle = setTimeout(function () { window.location.reload(); }, 60000); }
  ["click", "touchstart"].forEach(function (e) { document.addEventListener(e, rearm); });
  rearm();
})();
