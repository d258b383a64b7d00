// A ledger's preview or import: poll its job every second, move the progress bar, and
// reload the page (which then shows the preview or the result) once the job has ended.
(function () {
  "use strict";

  var root = document.getElementById("ledger-job");
  if (!root) return;
  var bar = root.querySelector('[data-role="bar"]');
  var fill = root.querySelector('[data-role="fill"]');

  function poll() {
    fetch(root.dataset.apiUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (job) {
        var progress = Math.max(0, Math.min(100, Number(job.progress) || 0));
        fill.style.width = progress + "%";
        fill.textContent = progress + "%";
        bar.setAttribute("aria-valuenow", String(progress));
        if (job.status === "succeeded" || job.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 1000);
      });
  }

  poll();
})();
