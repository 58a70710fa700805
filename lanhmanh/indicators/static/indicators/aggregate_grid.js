// Aggregate data-entry grid: check each cell as it is typed and keep the year's total of each row up to date
// (a flow sums its months, a stock shows its latest month). The server checks everything again on saving.
(() => {
  const WHOLE = /^\d+$|^\d{1,3}(?:[. ]\d{3})+$/;

  const parse = (text) => {
    const value = text.trim();
    if (value === "") return null;
    if (!WHOLE.test(value)) return NaN;
    return Number(value.replace(/[. ]/g, ""));
  };

  const format = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");

  const updateRow = (row) => {
    const inputs = row.querySelectorAll("input[data-month]");
    let sum = 0;
    let last = null;
    let any = false;
    inputs.forEach((input) => {
      const value = parse(input.value);
      const bad = Number.isNaN(value);
      input.classList.toggle("is-invalid", bad || input.dataset.serverError === "1");
      if (value === null || bad) return;
      any = true;
      sum += value;
      last = value;
    });
    const total = row.querySelector("[data-total]");
    if (total) total.textContent = any ? format(row.dataset.kind === "stock" ? last : sum) : "";
  };

  document.addEventListener("DOMContentLoaded", () => {
    const grid = document.querySelector("[data-aggregate-grid]");
    if (!grid) return;
    grid.querySelectorAll("input.is-invalid").forEach((input) => {
      input.dataset.serverError = "1";
    });
    grid.addEventListener("input", (event) => {
      const input = event.target.closest("input[data-month]");
      if (!input) return;
      input.dataset.serverError = "0";
      updateRow(input.closest("tr"));
    });
  });
})();
