// The build of a report (bulletin or review): poll its job every second, move the progress
// bar, show the status in the reader's language (the page's data-status-label-* attributes),
// show the error if it failed, and open the report once it succeeded.
(function () {
  "use strict";

  var root = document.getElementById("job");
  if (!root) return;
  var bar = root.querySelector('[data-role="bar"]');
  var fill = root.querySelector('[data-role="fill"]');
  var statusText = root.querySelector('[data-role="status"]');
  var errorBox = root.querySelector('[data-role="error"]');
  var done = root.querySelector('[data-role="done"]');
  var link = root.querySelector('[data-role="report-link"]');

  function statusLabel(status) {
    var key = "statusLabel" + String(status).charAt(0).toUpperCase() + String(status).slice(1);
    return root.dataset[key] || String(status);
  }

  function show(job) {
    var progress = Math.max(0, Math.min(100, Number(job.progress) || 0));
    fill.style.width = progress + "%";
    fill.textContent = progress + "%";
    bar.setAttribute("aria-valuenow", String(progress));
    statusText.textContent = statusLabel(job.status);
    if (job.status === "failed") {
      fill.classList.add("bg-danger");
      errorBox.textContent = job.error || "";
      errorBox.classList.remove("d-none");
      return true;
    }
    if (job.status === "succeeded") {
      fill.classList.add("bg-success");
      var reportId = job.result && job.result.report_id;
      if (reportId) {
        var url = root.dataset.reportUrlPattern + reportId + "/";
        link.setAttribute("href", url);
        done.classList.remove("d-none");
        window.location.assign(url);
      }
      return true;
    }
    return false;
  }

  function poll() {
    fetch(root.dataset.apiUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (job) {
        if (!show(job)) window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 1000);
      });
  }

  fill.style.width = (Number(bar.getAttribute("aria-valuenow")) || 0) + "%";
  var initial = root.dataset.status;
  if (initial !== "failed" && initial !== "succeeded") poll();
})();
