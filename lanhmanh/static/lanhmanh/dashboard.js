// Unit dashboard: monthly charts of the plan's targets (data from json_script, never inline JS, for the CSP)
// and client-side sorting of the children table.
(function () {
  "use strict";

  const readJson = (id) => {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  };

  // Vietnamese grouping: 1.234,5
  const formatNumber = (value, percent) => {
    if (value === null || value === undefined) return "";
    const text = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 }).format(value);
    return percent ? text + "%" : text;
  };

  function drawCharts() {
    const charts = readJson("dashboard-charts");
    const labels = readJson("dashboard-chart-labels") || {};
    if (!charts || typeof window.Chart === "undefined") return;
    charts.forEach((chart) => {
      const canvas = document.querySelector('canvas[data-chart="' + chart.id + '"]');
      if (!canvas) return;
      const datasets = [];
      if (chart.cumulative) {
        datasets.push({ type: "line", label: labels.cumulative, data: chart.cumulative,
                        borderColor: "#198754", backgroundColor: "#198754", tension: 0.1, spanGaps: false });
      }
      if (chart.goal) {
        datasets.push({ type: "line", label: chart.cumulative ? labels.goal : labels.goal_flat, data: chart.goal,
                        borderColor: "#dc3545", backgroundColor: "#dc3545", borderDash: [6, 4],
                        pointRadius: 0 });
      }
      datasets.push({ type: "bar", label: labels.monthly, data: chart.monthly,
                      backgroundColor: "rgba(13, 110, 253, 0.5)", borderColor: "#0d6efd" });
      new window.Chart(canvas, {
        data: { labels: chart.labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { beginAtZero: true, ticks: { callback: (v) => formatNumber(v, chart.percent) } } },
          plugins: {
            tooltip: { callbacks: { label: (ctx) => ctx.dataset.label + ": " + formatNumber(ctx.parsed.y, chart.percent) } },
          },
        },
      });
    });
  }

  // Sort a table by a column: numbers by data-sort-value ("" = no data, always last), text with Vietnamese
  // collation. Clicking the same header again reverses the order.
  function makeSortable(table) {
    const body = table.tBodies[0];
    table.querySelectorAll("[data-sort-column]").forEach((button) => {
      button.addEventListener("click", () => {
        const column = Number(button.dataset.sortColumn);
        const numeric = button.dataset.sortType === "number";
        const header = button.closest("th");
        const current = header.getAttribute("aria-sort");
        // Numbers start with the highest, names from A.
        const ascending = current ? current !== "ascending" : !numeric;
        table.querySelectorAll("th[aria-sort]").forEach((th) => th.removeAttribute("aria-sort"));
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const key = (row) => row.cells[column].dataset.sortValue || "";
        const rows = Array.from(body.rows);
        rows.sort((a, b) => {
          const x = key(a);
          const y = key(b);
          if (numeric) {
            if (x === "" || y === "") return (x === "") - (y === "");
            return ascending ? Number(x) - Number(y) : Number(y) - Number(x);
          }
          const order = x.localeCompare(y, "vi");
          return ascending ? order : -order;
        });
        rows.forEach((row) => body.appendChild(row));
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    drawCharts();
    document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  });
})();
