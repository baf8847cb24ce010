/* The sitting page: autosave each answer (PUT, idempotent), keep unsent answers in localStorage
   and resend them when the connection is back, show the time left and submit when it is up.
   The server keeps the real time: a save after the deadline is refused with 409. */
(function () {
  "use strict";
  var root = document.getElementById("sitting");
  if (!root) { return; }
  var api = root.dataset.api;
  var csrf = root.dataset.csrf;
  var storeKey = "ck-exam-" + root.dataset.attempt;
  var deadline = Date.now() + parseInt(root.dataset.secondsLeft, 10) * 1000;
  var form = document.getElementById(root.dataset.submitForm);
  var timerEl = document.getElementById("timer");
  var stateEl = document.getElementById("save-state");
  var answeredEl = document.getElementById("answered");
  var pending = load();
  var inflight = {};
  var debounce = {};
  var finishing = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function persist() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* full */ }
  }
  function say(text, css) {
    stateEl.innerHTML = "";
    var span = document.createElement("span");
    span.className = css || "text-secondary";
    span.textContent = text;
    stateEl.appendChild(span);
  }
  function cards() { return Array.prototype.slice.call(root.querySelectorAll(".question")); }
  function all(card, selector) { return Array.prototype.slice.call(card.querySelectorAll(selector)); }

  function collect(card) {
    var kind = card.dataset.kind;
    if (kind === "single") {
      var checked = card.querySelector("input:checked");
      return checked ? checked.value : null;
    }
    if (kind === "multiple" || kind === "scenario") {
      return all(card, "input:checked").map(function (i) { return i.value; });
    }
    if (kind === "fill") { return all(card, "input.blank").map(function (i) { return i.value; }); }
    if (kind === "correction") {
      if (card.querySelector(".wrong")) {
        return all(card, ".pair").map(function (p) {
          return { wrong: p.querySelector(".wrong").value, right: p.querySelector(".right").value };
        });
      }
      return all(card, ".right").map(function (i) { return i.value; });
    }
    return card.querySelector("textarea").value;
  }

  function restore(card, response) {
    var kind = card.dataset.kind;
    if (kind === "single" || kind === "multiple" || kind === "scenario") {
      var chosen = [].concat(response || []);
      all(card, "input").forEach(function (i) { i.checked = chosen.indexOf(i.value) >= 0; });
    } else if (kind === "fill") {
      all(card, "input.blank").forEach(function (i, n) { i.value = (response || [])[n] || ""; });
    } else if (kind === "correction") {
      all(card, ".pair").forEach(function (p, n) {
        var v = (response || [])[n];
        if (p.querySelector(".wrong")) {
          p.querySelector(".wrong").value = (v && v.wrong) || "";
          p.querySelector(".right").value = (v && v.right) || "";
        } else { p.querySelector(".right").value = v || ""; }
      });
    } else { card.querySelector("textarea").value = response || ""; }
  }

  function isAnswered(value) {
    if (value === null || value === undefined) { return false; }
    if (typeof value === "string") { return value.trim() !== ""; }
    return value.some(function (v) {
      return typeof v === "string" ? v.trim() !== "" : (v.wrong || v.right || "").trim() !== "";
    });
  }
  function countAnswered() {
    answeredEl.textContent = cards().filter(function (c) { return isAnswered(collect(c)); }).length;
  }
  function unsent() { return Object.keys(pending).length; }
  function settled() {
    if (!unsent()) { say("已全部保存 " + new Date().toLocaleTimeString("zh-CN"), "text-success"); }
  }

  function send(id) {
    if (!(id in pending)) { return Promise.resolve(); }
    if (inflight[id]) { inflight[id].again = true; return inflight[id].promise; }
    var body = JSON.stringify({ response: pending[id] });
    var entry = { again: false };
    say("保存中…");
    entry.promise = fetch(api + id, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body
    }).then(function (r) {
      if (r.ok) {
        if (JSON.stringify({ response: pending[id] }) === body) { delete pending[id]; persist(); }
        settled();
      } else if (r.status === 409) {
        timeUp();
      } else if (r.status === 401 || r.status === 403) {
        say("登录已失效：作答已暂存在本机，请重新登录后回到本页", "text-danger");
      } else {
        return r.json().then(function (d) {
          delete pending[id]; persist();
          say(d.detail || "保存失败", "text-danger");
        });
      }
    }).catch(function () {
      say("网络中断：" + unsent() + " 题暂存在本机，恢复后自动提交", "text-warning");
    }).then(function () {
      var again = entry.again;
      delete inflight[id];
      if (again) { return send(id); }
    });
    inflight[id] = entry;
    return entry.promise;
  }
  function flush() { return Promise.all(Object.keys(pending).map(send)); }

  function changed(card, wait) {
    var id = card.dataset.item;
    pending[id] = collect(card);
    persist();
    countAnswered();
    window.clearTimeout(debounce[id]);
    debounce[id] = window.setTimeout(function () { send(id); }, wait);
  }

  function timeUp() {
    if (finishing) { return; }
    finishing = true;
    say("时间到，正在交卷…", "text-danger");
    flush().then(function () {
      window.localStorage.removeItem(storeKey);
      window.setTimeout(function () { form.submit(); }, 1000);  // just past the server's deadline
    });
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
    timerEl.textContent = (h ? h + ":" : "") + (m < 10 && h ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    timerEl.classList.toggle("text-danger", left <= 300);
    if (left === 0) { timeUp(); }
  }

  cards().forEach(function (card) {
    var id = card.dataset.item;
    if (id in pending) { restore(card, pending[id]); }
    card.addEventListener("change", function () { changed(card, 0); });
    card.addEventListener("input", function (e) {
      if (e.target.matches("textarea, input[type=text], input:not([type])")) { changed(card, 800); }
    });
  });

  function confirmSubmit(event) {
    if (finishing) { return true; }
    event.preventDefault();
    if (!window.confirm("交卷后不能再修改，确定交卷？")) { return false; }
    finishing = true;
    flush().then(function () { window.localStorage.removeItem(storeKey); form.submit(); });
    return false;
  }
  form.addEventListener("submit", confirmSubmit);
  window.ckExam = { confirmSubmit: confirmSubmit, pending: function () { return unsent(); } };
  window.addEventListener("online", flush);
  window.setInterval(function () { if (unsent()) { flush(); } }, 10000);
  window.setInterval(tick, 1000);
  tick();
  countAnswered();
  if (unsent()) { flush(); }
})();
