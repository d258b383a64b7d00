// Behaviour shared by every page. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  function enhanceSelects(root) {
    root.querySelectorAll("select.js-searchable").forEach(function (select) {
      if (select.tomselect) return;
      new TomSelect(select, { allowEmptyOption: true, maxOptions: 500, plugins: select.multiple ? ["remove_button"] : [] });
    });
  }

  // A button with data-confirm asks before its form is sent.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { enhanceSelects(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceSelects(event.target); });
})();
