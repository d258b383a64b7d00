// The leadership dashboard: each card, chart and the key projects board asks for its own
// JSON section, so none waits on another. Clicking a bar, slice or card opens the list of
// the records behind it. No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";

  var root = document.getElementById("dashboard");
  if (!root) return;

  var RED = "#d9534f";
  var KIND_COLORS = ["#4e79a7", "#59a14f", "#f28e2b", "#76b7b2"];
  var PACE_COLORS = { behind: RED, on_pace: "#f0ad4e", ahead: "#59a14f", no_target: "#8c8c8c" };
  var labels = root.dataset;
  var charts = {};
  var requests = {};

  // --- Data --------------------------------------------------------------------------------

  function section(name, url) {
    if (!requests[name]) {
      requests[name] = fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.json();
      }).then(function (data) { return data[name]; });
    }
    return requests[name];
  }

  // Amounts travel as decimal strings; charts draw them as numbers (drawing only).
  function number(value) {
    if (value === null || value === undefined || value === "") return null;
    return parseFloat(value);
  }

  function percent(ratio) {
    var value = number(ratio);
    return value === null ? 0 : Math.round(value * 1000) / 10;
  }

  function plainNumber(value) {
    if (typeof value === "string" && /^-?\d+\.0+$/.test(value)) return value.replace(/\.0+$/, "");
    return value;
  }

  function money(value) {
    var amount = number(value);
    if (amount === null) return "";
    return amount.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  // --- Cards --------------------------------------------------------------------------------

  function fillCard(card, data) {
    var key = card.getAttribute("data-key");
    var item = key ? data[key] : data;
    var column = card.parentElement;
    if (!item) {
      if (column) column.hidden = true;
      return;
    }
    if (key === "own") {
      item.pace = item.progress === null ? "no_target" : (item.behind ? "behind" : "ahead");
    }
    card.querySelectorAll("[data-field]").forEach(function (field) {
      var source = field.hasAttribute("data-root") ? data : item;
      var value = source[field.getAttribute("data-field")];
      if (value === null || value === undefined || value === "") {
        value = field.getAttribute("data-empty") === "no_target" ? labels.noTargetLabel : "—";
      }
      field.textContent = plainNumber(value);
    });
    [card].concat(Array.prototype.slice.call(card.querySelectorAll("[data-href]"))).forEach(
      function (link) {
        var name = link.getAttribute("data-href");
        if (name && item[name]) link.setAttribute("href", item[name]);
      }
    );
    card.setAttribute("data-pace", item.pace || "");
    card.setAttribute("data-ready", "true");
  }

  root.querySelectorAll(".dash-card[data-section]").forEach(function (card) {
    var name = card.getAttribute("data-section");
    section(name, card.getAttribute("data-url")).then(function (data) {
      fillCard(card, data);
    }).catch(function () {
      card.setAttribute("data-ready", "error");
    });
  });

  // --- Charts -------------------------------------------------------------------------------

  function baseOption() {
    return {
      animation: false,
      textStyle: { fontFamily: "system-ui, -apple-system, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" },
      tooltip: { confine: true },
      grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
    };
  }

  function link(label, url, extra) {
    return { label: label, url: url, extra: extra || {} };
  }

  var builders = {
    monthly_funds: function (data) {
      var months = data.months;
      function items(valueKey, urlKey) {
        return months.map(function (m) {
          var value = number(m[valueKey]);
          return { value: value === null ? "-" : value, url: m[urlKey] };
        });
      }
      var option = baseOption();
      option.tooltip = { trigger: "axis", confine: true, valueFormatter: money };
      option.legend = { top: 0, left: 0, right: 40, type: "scroll" };
      option.grid.top = 64;
      option.xAxis = { type: "category", data: months.map(function (m) { return m.label; }) };
      option.yAxis = [
        { type: "value", name: "万元", splitLine: { show: true } },
        { type: "value", name: "万元", splitLine: { show: false } },
      ];
      option.series = [
        { type: "bar", name: data.series.this_year, data: items("this_year_wan", "this_year_url"), itemStyle: { color: "#4e79a7" } },
        { type: "bar", name: data.series.last_year, data: items("last_year_wan", "last_year_url"), itemStyle: { color: "#bab0ac" } },
        { type: "line", name: data.series.this_year_cumulative, yAxisIndex: 1, data: items("this_year_cumulative_wan", "this_year_cumulative_url"), itemStyle: { color: RED }, symbolSize: 7 },
        { type: "line", name: data.series.last_year_cumulative, yAxisIndex: 1, data: items("last_year_cumulative_wan", "last_year_cumulative_url"), itemStyle: { color: "#9c755f" }, lineStyle: { type: "dashed" }, symbolSize: 6 },
      ];
      var links = [];
      months.forEach(function (m) {
        if (m.this_year_url) links.push(link(data.series.this_year + " " + m.label + ": " + money(m.this_year_wan), m.this_year_url));
      });
      months.forEach(function (m) {
        if (m.this_year_cumulative_url) links.push(link(data.series.this_year_cumulative + " " + m.label + ": " + money(m.this_year_cumulative_wan), m.this_year_cumulative_url));
      });
      return { option: option, links: links };
    },

    monthly_investment: function (data) { return builders.monthly_funds(data); },

    units: function (data) {
      var rows = [];
      data.groups.forEach(function (group) {
        group.units.forEach(function (unit) { rows.push({ group: group, unit: unit }); });
      });
      if (!rows.length) return null;
      var timeProgress = percent(data.time_progress);
      var maximum = Math.max(100, timeProgress);
      rows.forEach(function (row) { maximum = Math.max(maximum, percent(row.unit.progress)); });
      var option = baseOption();
      option.legend = { top: 0, left: 0, right: 40 };
      option.grid.top = 56;
      option.grid.right = 72;
      option.tooltip = {
        trigger: "item",
        confine: true,
        formatter: function (params) {
          var unit = params.data.unit;
          return [
            unit.name,
            params.seriesName + (unit.rank ? " · " + labels.rankLabel + " " + unit.rank + "/" + params.data.ranked : ""),
            unit.funds_text + " 万元 · " + (unit.progress_text || labels.noTargetLabel),
          ].join("<br>");
        },
      };
      option.xAxis = { type: "value", max: Math.ceil(maximum / 10) * 10, axisLabel: { formatter: "{value}%" } };
      option.yAxis = {
        type: "category",
        inverse: true,
        data: rows.map(function (row) { return row.unit.name; }),
        axisLabel: { width: 90, overflow: "truncate" },
      };
      option.series = data.groups.map(function (group, index) {
        return {
          type: "bar",
          name: group.label,
          stack: "units",
          barMaxWidth: 22,
          itemStyle: { color: KIND_COLORS[index % KIND_COLORS.length] },
          label: {
            show: true,
            position: "right",
            formatter: function (params) {
              var unit = params.data.unit;
              return unit.progress_text ? unit.progress_text + (unit.rank ? " #" + unit.rank : "") : labels.noTargetLabel;
            },
          },
          data: rows.map(function (row) {
            if (row.group !== group) return "-";
            return {
              value: percent(row.unit.progress),
              url: row.unit.url,
              unit: row.unit,
              ranked: group.ranked,
              itemStyle: row.unit.behind ? { color: RED } : undefined,
            };
          }),
          markLine: index === 0 ? {
            symbol: "none",
            silent: true,
            lineStyle: { type: "dashed", color: "#6f42c1", width: 2 },
            label: { formatter: data.time_progress_label + " " + timeProgress + "%", position: "start", distance: 4 },
            data: [{ xAxis: timeProgress }],
          } : undefined,
        };
      });
      var links = rows.map(function (row) {
        return link(row.unit.name + " · " + (row.unit.progress_text || labels.noTargetLabel), row.unit.url, { unit: row.unit.unit_id, funds: row.unit.funds_url });
      });
      return { option: option, links: links, height: Math.max(280, 70 + rows.length * 30) };
    },

    funnel: function (data) {
      var option = baseOption();
      option.tooltip = { trigger: "item", confine: true, formatter: "{b}: {c}" };
      option.series = [{
        type: "funnel",
        sort: "none",
        left: "12%",
        width: "76%",
        top: 36,
        bottom: 8,
        minSize: "12%",
        gap: 2,
        label: { show: true, position: "inside", formatter: "{b} {c}", color: "#fff" },
        data: data.stages.map(function (stage, index) {
          return { name: stage.label, value: stage.count, url: stage.url, itemStyle: { color: ["#4e79a7", "#59a14f", "#8cd17d", "#f28e2b", "#76b7b2", "#b07aa1"][index] } };
        }),
      }];
      var links = data.stages.map(function (stage) { return link(stage.label + ": " + stage.count, stage.url); });
      return { option: option, links: links };
    },

    industries: function (data) {
      var rows = data.industries;
      if (!rows.length) return null;
      var option = baseOption();
      option.title = { subtext: "★ " + data.leading_label, right: 36, top: -8, subtextStyle: { color: "#f28e2b" } };
      option.tooltip = {
        trigger: "item",
        confine: true,
        formatter: function (params) {
          var row = params.data.row;
          return (row.leading ? "★ " : "") + row.name + "<br>" + row.contract_amount_text + " 万元 · " + row.count;
        },
      };
      option.xAxis = {
        type: "category",
        data: rows.map(function (row) { return (row.leading ? "★" : "") + row.name; }),
        axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0, width: 80, overflow: "truncate" },
      };
      option.yAxis = { type: "value", name: "万元" };
      option.series = [{
        type: "bar",
        barMaxWidth: 36,
        data: rows.map(function (row) {
          return { value: number(row.contract_amount_wan), url: row.url, row: row, itemStyle: { color: row.leading ? "#f28e2b" : "#4e79a7" } };
        }),
      }];
      var links = rows.map(function (row) { return link((row.leading ? "★" : "") + row.name + ": " + row.contract_amount_text, row.url); });
      return { option: option, links: links };
    },

    origins: function (data) {
      var colors = ["#4e79a7", "#59a14f", "#e15759"];
      var option = baseOption();
      option.color = colors;
      option.tooltip = { trigger: "item", confine: true, formatter: "{a}<br>{b}: {c} ({d}%)" };
      option.legend = { bottom: 0 };
      option.title = [
        { text: data.series.projects, left: "25%", top: 4, textAlign: "center", textStyle: { fontSize: 12, fontWeight: "normal" } },
        { text: data.series.funds, left: "75%", top: 4, textAlign: "center", textStyle: { fontSize: 12, fontWeight: "normal" } },
      ];
      function pie(name, center, valueKey, urlKey) {
        return {
          type: "pie",
          name: name,
          center: center,
          radius: ["22%", "48%"],
          label: { show: true, position: "inside", formatter: function (p) { return p.value ? String(p.value) : ""; }, color: "#fff" },
          data: data.origins.map(function (row) { return { name: row.label, value: number(row[valueKey]), url: row[urlKey] }; }),
        };
      }
      option.series = [
        pie(data.series.projects, ["25%", "52%"], "projects", "projects_url"),
        pie(data.series.funds, ["75%", "52%"], "funds_wan", "funds_url"),
      ];
      var links = [];
      data.origins.forEach(function (row) {
        links.push(link(data.series.projects + " · " + row.label + ": " + row.projects, row.projects_url));
        links.push(link(data.series.funds + " · " + row.label + ": " + row.funds_text, row.funds_url));
      });
      return { option: option, links: links };
    },

    size_classes: function (data) {
      var option = baseOption();
      option.legend = { top: 0, left: 0 };
      option.tooltip = { trigger: "axis", confine: true };
      option.xAxis = { type: "category", data: data.classes.map(function (row) { return row.label; }), axisLabel: { interval: 0 } };
      option.yAxis = { type: "value", minInterval: 1 };
      option.series = [
        {
          type: "bar",
          name: data.series.count,
          barMaxWidth: 32,
          label: { show: true, position: "top" },
          data: data.classes.map(function (row) {
            return { value: row.count, url: row.url, itemStyle: { color: PACE_COLORS[row.pace] || "#4e79a7" } };
          }),
        },
        {
          type: "bar",
          name: data.series.goal,
          barMaxWidth: 32,
          silent: true,
          itemStyle: { color: "#d9d9d9" },
          label: { show: true, position: "top", color: "#777" },
          data: data.classes.map(function (row) { return row.goal === null ? "-" : row.goal; }),
        },
      ];
      var links = data.classes.map(function (row) {
        return link(row.label + ": " + row.count + (row.goal === null ? "" : " / " + row.goal), row.url);
      });
      return { option: option, links: links };
    },

    teams: function (data) {
      var rows = [];
      data.groups.forEach(function (group) {
        group.teams.forEach(function (team) { rows.push({ group: group, team: team }); });
      });
      if (!rows.length) return null;
      var option = baseOption();
      option.legend = { top: 0, left: 0, right: 40 };
      option.grid.top = 40;
      option.grid.right = 48;
      option.tooltip = {
        trigger: "item",
        confine: true,
        formatter: function (params) {
          var team = params.data.team;
          return team.name + " · " + labels.rankLabel + " " + team.rank + "/" + params.data.ranked + "<br>" + team.funds_text + " 万元";
        },
      };
      option.xAxis = { type: "value", name: "万元" };
      option.yAxis = {
        type: "category",
        inverse: true,
        data: rows.map(function (row) { return row.team.name; }),
        axisLabel: { width: 90, overflow: "truncate" },
      };
      option.series = data.groups.map(function (group, index) {
        return {
          type: "bar",
          name: group.label,
          stack: "teams",
          barMaxWidth: 22,
          itemStyle: { color: KIND_COLORS[index % KIND_COLORS.length] },
          label: { show: true, position: "right", formatter: function (params) { return "#" + params.data.team.rank; } },
          data: rows.map(function (row) {
            if (row.group !== group) return "-";
            return { value: number(row.team.funds_wan), url: row.team.url, team: row.team, ranked: group.ranked };
          }),
        };
      });
      var links = rows.map(function (row) { return link(row.team.name + " #" + row.team.rank + ": " + row.team.funds_text, row.team.url); });
      return { option: option, links: links, height: Math.max(280, 70 + rows.length * 30) };
    },
  };

  function renderLinks(name, links) {
    var list = root.querySelector('[data-links="' + name + '"]');
    if (!list) return;
    list.replaceChildren.apply(list, links.map(function (item) {
      var entry = document.createElement("li");
      var anchor = document.createElement("a");
      anchor.href = item.url;
      anchor.textContent = item.label;
      anchor.setAttribute("data-testid", "drill-link");
      if (item.extra.unit) anchor.setAttribute("data-unit", item.extra.unit);
      entry.appendChild(anchor);
      if (item.extra.funds) {
        var funds = document.createElement("a");
        funds.href = item.extra.funds;
        funds.className = "ms-2";
        funds.textContent = "万元";
        entry.appendChild(funds);
      }
      return entry;
    }));
  }

  function drawChart(element) {
    var name = element.getAttribute("data-chart");
    section(name, element.getAttribute("data-url")).then(function (data) {
      var built = builders[name](data);
      if (!built) {
        element.textContent = labels.emptyLabel;
        element.setAttribute("data-ready", "empty");
        return;
      }
      if (built.height) {
        element.style.height = built.height + "px";
        element.setAttribute("data-tall", "");
      }
      var option = built.option;
      option.toolbox = {
        right: 0,
        top: 0,
        feature: {
          saveAsImage: {
            title: labels.saveLabel,
            name: element.getAttribute("data-title"),
            pixelRatio: 2,
            backgroundColor: "#fff",
          },
        },
      };
      var chart = echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(option);
      chart.on("click", function (params) {
        var url = params.data && params.data.url;
        if (url) window.location.assign(url);
      });
      charts[name] = chart;
      renderLinks(name, built.links);
      element.setAttribute("data-ready", "true");
    }).catch(function () {
      element.textContent = labels.errorLabel;
      element.setAttribute("data-ready", "error");
    });
  }

  root.querySelectorAll("[data-chart]").forEach(drawChart);

  function resizeAll() {
    Object.keys(charts).forEach(function (name) { charts[name].resize(); });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(resizeAll, 150);
  });
  // Charts are drawn to their box: redraw them for the printed page, and back afterwards.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    if (printing.addEventListener) printing.addEventListener("change", resizeAll);
  }

  // --- The key projects board (sortable) ------------------------------------------------------

  var board = root.querySelector('[data-testid="key-projects"]');
  if (board) {
    var body = board.querySelector("[data-board-rows]");
    var county = body.getAttribute("data-county") === "true";
    var projects = [];
    var sorted = { key: null, descending: false };

    var cell = function (row, text, className) {
      var td = document.createElement("td");
      if (className) td.className = className;
      td.textContent = text === null || text === undefined ? "" : text;
      row.appendChild(td);
      return td;
    };

    var drawBoard = function () {
      if (!projects.length) {
        var empty = document.createElement("tr");
        var td = cell(empty, labels.emptyLabel, "text-muted");
        td.colSpan = county ? 10 : 9;
        body.replaceChildren(empty);
        return;
      }
      body.replaceChildren.apply(body, projects.map(function (project) {
        var row = document.createElement("tr");
        row.setAttribute("data-project", project.project_id);
        if (project.stalled.length || project.overdue_blocker) row.className = "table-danger";
        cell(row, project.code);
        var name = cell(row, "");
        var anchor = document.createElement("a");
        anchor.href = project.url;
        anchor.textContent = project.name;
        name.appendChild(anchor);
        if (county) cell(row, project.unit);
        cell(row, project.stage_label);
        cell(row, project.contract_amount_text, "text-end");
        cell(row, project.funds_to_date_text, "text-end");
        cell(row, project.funds_rate_text, "text-end");
        cell(row, project.leader_name);
        cell(row, project.open_blockers, "text-end");
        cell(row, project.flags_text, project.flags_text ? "text-danger-emphasis" : "");
        return row;
      }));
    };

    var sortBy = function (key, type) {
      sorted.descending = sorted.key === key ? !sorted.descending : type === "number";
      sorted.key = key;
      projects.sort(function (a, b) {
        var left = a[key];
        var right = b[key];
        var order;
        if (type === "number") {
          order = (number(left) === null ? -Infinity : number(left)) - (number(right) === null ? -Infinity : number(right));
        } else {
          order = String(left || "").localeCompare(String(right || ""), "zh-CN");
        }
        return sorted.descending ? -order : order;
      });
      board.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
      var button = board.querySelector('[data-sort="' + key + '"]');
      button.parentElement.setAttribute("aria-sort", sorted.descending ? "descending" : "ascending");
      drawBoard();
    };

    board.querySelectorAll("[data-sort]").forEach(function (button) {
      button.addEventListener("click", function () {
        sortBy(button.getAttribute("data-sort"), button.getAttribute("data-type"));
      });
    });

    section("key_projects", board.getAttribute("data-url")).then(function (data) {
      projects = data.projects.slice();
      var listLink = board.querySelector("[data-board-list]");
      if (listLink) {
        listLink.setAttribute("href", data.list_url);
        if (data.total > projects.length) listLink.textContent += " (" + projects.length + "/" + data.total + ")";
      }
      drawBoard();
      board.setAttribute("data-ready", "true");
    }).catch(function () {
      board.setAttribute("data-ready", "error");
    });
  }

  // --- Filters and printing -------------------------------------------------------------------

  var form = document.querySelector(".dash-filters");
  if (form) {
    var published = (form.getAttribute("data-published-months") || "").split(",").filter(Boolean);
    var month = form.querySelector('[name="month"]');
    var year = form.querySelector('[name="year"]');
    var markPublished = function () {
      var source = form.querySelector('[name="source"]:checked');
      var onlyPublished = source && source.value === "published";
      Array.prototype.forEach.call(month.options, function (option) {
        if (!option.value) return;
        var period = year.value + "-" + (option.value.length === 1 ? "0" : "") + option.value;
        option.disabled = onlyPublished && published.indexOf(period) === -1;
      });
    };
    markPublished();
    form.addEventListener("change", function (event) {
      var name = event.target.getAttribute("name");
      // A new source or year starts from its default month.
      if (name === "source" || name === "year") month.value = "";
      markPublished();
      form.submit();
    });
  }

  var printButton = root.querySelector('[data-action="print"]');
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }
})();
