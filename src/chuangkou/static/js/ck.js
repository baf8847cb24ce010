/* Page behaviour that templates declare with data-* attributes instead of inline handlers, so the
   Content-Security-Policy can forbid inline script. Listeners sit on the document, so content
   swapped in by htmx works too.

   <form data-confirm="确定…？">          asks before submitting
   <button data-confirm="确定…？">        asks before the click goes on
   <button data-print>                    prints the page
   <select data-autosubmit>               submits its form when the choice changes
   <input type="checkbox" data-check-all="name">  ticks or clears every checkbox named `name`
   <input data-live-search>               a live filter's search box: its form already asks as the
                                          user types, so the box's own change event (fired when it
                                          loses focus) is not passed on to the form
   <button data-formset-add="prefix" data-formset-template="id" data-formset-rows="id">
                                          adds a row to a Django formset from a <template> */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var asking = event.target.closest("[data-confirm]:not(form)");
    if (asking && !window.confirm(asking.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    var adder = event.target.closest("[data-formset-add]");
    if (adder) { addFormsetRow(adder); }
  }, true);

  // Without this, clicking a result link blurs the search box, the form asks again for the same
  // list, and the answer's history push cancels the navigation the click had started.
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-live-search]")) { event.stopPropagation(); }
  }, true);

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches("[data-autosubmit]") && select.form) { select.form.submit(); }
    if (select.matches("input[data-check-all]")) {
      var boxes = document.querySelectorAll(
        'input[type="checkbox"][name="' + select.dataset.checkAll + '"]');
      boxes.forEach(function (box) { box.checked = select.checked; });
    }
  });

  function addFormsetRow(button) {
    var prefix = button.dataset.formsetAdd;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var index = parseInt(total.value, 10);
    if (index >= parseInt(max.value, 10)) { return; }
    var html = document.getElementById(button.dataset.formsetTemplate).innerHTML;
    document.getElementById(button.dataset.formsetRows)
      .insertAdjacentHTML("beforeend", html.replace(/__prefix__/g, index));
    total.value = index + 1;
  }
})();
