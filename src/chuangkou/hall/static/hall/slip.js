(function () {
  "use strict";
  // At the kiosk the slip page goes back to the start screen by itself: a few seconds after
  // the slip is printed, or after a while if nobody prints, so the next person finds the kiosk
  // ready. The page tells how many seconds are left.
  var box = document.querySelector("[data-kiosk-return]");
  if (!box) { return; }
  var url = box.dataset.kioskReturn;
  var left = parseInt(box.dataset.seconds || "30", 10);
  var count = box.querySelector("[data-countdown]");
  var timer = null;
  function back() { window.location.assign(url); }
  function tick() {
    left -= 1;
    if (count) { count.textContent = String(Math.max(left, 0)); }
    if (left <= 0) { clearInterval(timer); back(); }
  }
  function start(seconds) {
    left = seconds;
    if (count) { count.textContent = String(left); }
    clearInterval(timer);
    timer = setInterval(tick, 1000);
  }
  window.addEventListener("afterprint", function () { start(parseInt(box.dataset.afterPrint || "3", 10)); });
  start(left);
})();
