// Behaviour shared by every page. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // A long select box (core.forms.MAX_RENDERED_CHOICES) holds only its chosen options: the
  // others come from its data-options-url, the first ones on focus, then as the user types.
  function loadOptions(url) {
    return function (query, callback) {
      fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (options) { callback(options); }, function () { callback(); });
    };
  }

  function enhanceSelects(root) {
    root.querySelectorAll("select.js-searchable").forEach(function (select) {
      if (select.tomselect) return;
      var settings = { allowEmptyOption: true, maxOptions: 500, plugins: select.multiple ? ["remove_button"] : [] };
      var url = select.getAttribute("data-options-url");
      if (url) {
        settings.valueField = "value";
        settings.labelField = "text";
        settings.searchField = ["text"];
        settings.preload = "focus";
        settings.load = loadOptions(url);
      }
      new TomSelect(select, settings);
    });
  }

  // A button with data-confirm asks before its form is sent.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // A file shown on demand (the verification queue's evidence) loads when its row opens.
  document.addEventListener("show.bs.collapse", function (event) {
    event.target.querySelectorAll("[data-src]").forEach(function (element) {
      element.setAttribute("src", element.getAttribute("data-src"));
      element.removeAttribute("data-src");
    });
  });

  // A button with data-copy puts the text of the element it names on the clipboard (the
  // draw's reproduction code), its lines kept.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent).then(function () {
        button.setAttribute("data-copied", "true");
      });
    }
  });

  document.addEventListener("DOMContentLoaded", function () { enhanceSelects(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceSelects(event.target); });
})();
