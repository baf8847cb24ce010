/* 到号提醒: ask for the Notification permission when opting in; while the page is open, poll
   the pending notices and show each as a browser notification (and on the page); subscribe to
   Web Push when the browser offers it; each notice fires "notify-notice" on the body for
   the page to refresh what it shows. No inline script: behaviour hangs on data-notify-*. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-notify-optin]");
    if (!form) return;
    var ask = form.querySelector("[data-notify-ask]");
    if (ask && ask.checked && "Notification" in window && Notification.permission === "default") {
      Notification.requestPermission();
    }
  });

  function show(card, notice) {
    // the page's own figures (e.g. 前面等候 on the ticket page) refresh at once, not up to 10 s later
    document.body.dispatchEvent(new CustomEvent("notify-notice"));
    var latest = card.querySelector("[data-notify-latest]");
    if (latest) {
      latest.textContent = notice.body;
      latest.classList.remove("d-none");
    }
    if ("Notification" in window && Notification.permission === "granted") {
      try { new Notification(notice.title, {body: notice.body, tag: "chuangkou"}); } catch (e) { /* some phones only via the worker */ }
    }
  }

  function poll(card) {
    var url = card.getAttribute("data-notify-poll");
    fetch(url, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : {notices: [], open: true}; })
      .then(function (data) {
        (data.notices || []).forEach(function (n) { show(card, n); });
        if (data.open !== false) setTimeout(function () { poll(card); }, 5000);
      })
      .catch(function () { setTimeout(function () { poll(card); }, 15000); });
  }

  function b64ToBytes(text) {
    var pad = "=".repeat((4 - text.length % 4) % 4);
    var raw = atob((text + pad).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }

  function subscribePush(card) {
    var key = card.getAttribute("data-notify-key");
    if (!key || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    navigator.serviceWorker.register(card.getAttribute("data-notify-sw"), {scope: "/"})
      .then(function (reg) {
        return reg.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: b64ToBytes(key)});
      })
      .then(function (sub) {
        return fetch(card.getAttribute("data-notify-push"), {
          method: "POST",
          credentials: "same-origin",
          headers: {"Content-Type": "application/json", "X-CSRFToken": card.getAttribute("data-notify-csrf")},
          body: JSON.stringify(sub.toJSON())
        });
      })
      .catch(function () { /* no push service reachable: the open page still polls */ });
  }

  document.querySelectorAll("[data-notify-poll]").forEach(function (card) {
    poll(card);
    subscribePush(card);
  });
})();
