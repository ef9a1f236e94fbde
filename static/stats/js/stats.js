/* Leaders' dashboard: charts from the figures embedded with json_script, period fields toggle. */
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function togglePeriodFields() {
    var select = document.getElementById("id_period");
    if (!select) {
      return;
    }
    var update = function () {
      document.querySelectorAll("[data-period]").forEach(function (field) {
        field.hidden = field.getAttribute("data-period") !== select.value;
      });
    };
    select.addEventListener("change", update);
    update();
  }

  function drawCharts() {
    var data = readJson("stats-chart-data");
    var labels = readJson("stats-chart-labels");
    if (!data || !labels || typeof Chart === "undefined") {
      return;
    }
    var locale = document.documentElement.lang || "vi";
    var levels = document.getElementById("chart-levels");
    if (levels) {
      new Chart(levels, {
        type: "bar",
        data: {
          labels: data.levels.map(function (row) { return row.label; }),
          datasets: [
            { label: labels.on_time, data: data.levels.map(function (row) { return row.on_time; }),
              backgroundColor: "#1f7a3a" },
            { label: labels.late, data: data.levels.map(function (row) { return row.late; }),
              backgroundColor: "#b3191d" }
          ]
        },
        options: { locale: locale, responsive: true, maintainAspectRatio: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
      });
    }
    var trend = document.getElementById("chart-trend");
    if (trend) {
      new Chart(trend, {
        type: "bar",
        data: {
          labels: data.trend.map(function (row) { return row.month; }),
          datasets: [
            { label: labels.received, data: data.trend.map(function (row) { return row.received; }),
              backgroundColor: "#0b4d92", yAxisID: "y" },
            { label: labels.resolved, data: data.trend.map(function (row) { return row.resolved; }),
              backgroundColor: "#7aa7d9", yAxisID: "y" },
            { type: "line", label: labels.on_time_rate,
              data: data.trend.map(function (row) { return row.on_time_rate; }),
              borderColor: "#b3191d", backgroundColor: "#b3191d", yAxisID: "rate" }
          ]
        },
        options: { locale: locale, responsive: true, maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, position: "left", ticks: { precision: 0 } },
            rate: { min: 0, max: 100, position: "right", grid: { drawOnChartArea: false } } } }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    togglePeriodFields();
    drawCharts();
  });
})();
