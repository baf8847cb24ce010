(function () {
  "use strict";
  // The display board: announce each new call once, in Mandarin, through the browser's own
  // speech synthesis (works offline). The last announced call is kept in `lastId`; the sentence
  // spoken last is exposed on <body data-last-spoken> so that tests can check it.
  var lastId = null;
  var voiceOn = window.localStorage.getItem("hall-voice") === "on";
  var toggle = document.getElementById("voice-toggle");

  // A Mandarin voice of the browser, or null: without one the board says so at once instead
  // of staying silent (a kiosk PC without Chinese speech installed).
  var warning = document.getElementById("voice-missing");
  function mandarinVoice() {
    if (!("speechSynthesis" in window)) { return null; }
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i += 1) {
      var lang = (voices[i].lang || "").toLowerCase().replace("_", "-");
      if (lang === "zh-cn" || lang === "cmn-cn" || lang.indexOf("cmn") === 0 || lang === "zh") { return voices[i]; }
    }
    return null;
  }
  function renderWarning() {
    if (!warning) { return; }
    var missing = mandarinVoice() === null;
    warning.hidden = !missing;
    document.body.dataset.voiceMissing = missing ? "true" : "false";
  }
  renderWarning();
  if ("speechSynthesis" in window) {
    window.speechSynthesis.addEventListener("voiceschanged", renderWarning);
  }

  function speak(text) {
    document.body.dataset.lastSpoken = text;
    if (!voiceOn || !("speechSynthesis" in window)) { return; }
    var utterance = new SpeechSynthesisUtterance(text);
    var voice = mandarinVoice();
    if (voice) { utterance.voice = voice; }
    utterance.lang = "zh-CN";
    utterance.rate = 0.9;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  }

  function check(first) {
    var el = document.getElementById("board-announce");
    if (!el || !el.dataset.eventId) { return; }
    var id = parseInt(el.dataset.eventId, 10);
    if (first) { lastId = id; return; }  // calls made before the board opened are not spoken
    if (lastId === null || id > lastId) {
      lastId = id;
      var latest = document.querySelector(".board-latest");
      if (latest) { latest.classList.add("is-new"); }
      speak(el.dataset.text);
    }
  }

  function renderToggle() {
    if (!toggle) { return; }
    toggle.querySelector("span").textContent = voiceOn ? "语音播报已开启" : "开启语音播报";
    toggle.classList.toggle("btn-light", voiceOn);
    toggle.classList.toggle("btn-outline-light", !voiceOn);
    if (!("speechSynthesis" in window)) { toggle.title = "此浏览器不支持语音合成"; }
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      voiceOn = !voiceOn;
      window.localStorage.setItem("hall-voice", voiceOn ? "on" : "off");
      renderToggle();
      if (voiceOn && "speechSynthesis" in window) {
        window.speechSynthesis.speak(new SpeechSynthesisUtterance("语音播报已开启"));
      }
    });
  }
  renderToggle();

  // Beijing time whatever the zone of the PC driving the screen (data-time-zone, from the
  // site's TIME_ZONE).
  var clock = document.getElementById("board-clock");
  function tick() {
    var zone = clock.dataset.timeZone || "Asia/Shanghai";
    clock.textContent = new Date().toLocaleTimeString("zh-CN", { hour12: false, timeZone: zone });
  }
  if (clock) { tick(); window.setInterval(tick, 1000); }

  check(true);
  document.body.addEventListener("htmx:afterSwap", function () { check(false); });
})();
