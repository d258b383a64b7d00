// The decomposition grid: the sum of the rows, the total to reach and the gap, recomputed
// as numbers are typed (the server computes the same figures when the page loads).
(function () {
  "use strict";

  function number(text) {
    var cleaned = String(text == null ? "" : text).replace(/,/g, "").trim();
    if (cleaned === "") return null;
    var value = Number(cleaned);
    return isFinite(value) ? value : null;
  }

  function cents(value) {
    return Math.round(value * 100) / 100;
  }

  // As the server shows them: amounts with two decimals and thousands separators
  // (the `wan` filter), counts without decimals unless they have some.
  function format(value, amount) {
    if (value === null) return "";
    if (amount) {
      return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }

  function inputs(table, role, metric) {
    return table.querySelectorAll('input[data-role="' + role + '"][data-metric="' + metric + '"]');
  }

  function update(table) {
    var labels = {
      under: table.getAttribute("data-label-under"),
      over: table.getAttribute("data-label-over"),
      even: table.getAttribute("data-label-even"),
      "": ""
    };
    table.querySelectorAll("[data-sum]").forEach(function (sumCell) {
      var metric = sumCell.getAttribute("data-sum");
      var amount = sumCell.getAttribute("data-amount") === "true";
      var sum = 0;
      inputs(table, "part", metric).forEach(function (input) {
        var value = number(input.value);
        if (value !== null) sum += value;
      });
      sum = cents(sum);
      var totalInput = inputs(table, "total", metric)[0];
      var total = totalInput ? number(totalInput.value) : null;
      if (total !== null) total = cents(total);
      var status = "";
      if (total !== null) status = sum < total ? "under" : sum > total ? "over" : "even";

      sumCell.textContent = format(sum, amount);
      var totalCell = table.querySelector('[data-total="' + metric + '"]');
      if (totalCell) totalCell.textContent = format(total, amount);
      var gapCell = table.querySelector('[data-gap="' + metric + '"]');
      if (!gapCell) return;
      gapCell.setAttribute("data-status", status);
      gapCell.classList.remove("gap-under", "gap-over", "gap-even", "gap-none");
      gapCell.classList.add("gap-" + (status || "none"));
      var gap = status === "under" || status === "over" ? cents(Math.abs(total - sum)) : null;
      gapCell.querySelector(".gap-value").textContent = format(gap, amount);
      gapCell.querySelector(".gap-label").textContent = labels[status];
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-decomposition]").forEach(function (table) {
      update(table);
      table.addEventListener("input", function () { update(table); });
    });
  });
})();
