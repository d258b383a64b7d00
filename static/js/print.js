// A page's print button (data-action="print"); no inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-action='print']").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
