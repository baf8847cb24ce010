/* One submit, one record: every POST form carries an idempotency key, made once per form and
   page, so a double click sends the same key twice and the server creates once
   (core/idempotency.py). Forms rendered through _form.html carry a key from the server. */
(function () {
  "use strict";

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
    if (form.querySelector("input[name=idempotency_key]")) { return; }
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "idempotency_key";
    input.value = newKey();
    form.appendChild(input);
  }, true);
})();
