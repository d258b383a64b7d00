// The trip report: "Add a company" appends a row of the companies-visited formset,
// copied from its empty form. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-visit]");
    if (!button) return;
    event.preventDefault();
    var total = document.getElementById("id_visits-TOTAL_FORMS");
    var template = document.getElementById("visit-row-template");
    var rows = document.getElementById("visit-rows");
    if (!total || !template || !rows) return;
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = rows.querySelectorAll("tr[data-testid='visit-row']");
    var first = added[added.length - 1].querySelector("input[type=text]");
    if (first) first.focus();
  });

  // Removing companies visited is asked first: the rows ticked are deleted on saving.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var ticked = form.querySelectorAll("#visit-rows input[type=checkbox][name$='-DELETE']:checked");
    if (ticked.length && !window.confirm(form.getAttribute("data-confirm-delete").replace("{count}", ticked.length))) {
      event.preventDefault();
    }
  });
})();
