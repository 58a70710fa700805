// Training form: "Thêm dòng" adds a participant-group row from the formset's empty form.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-add-group]");
  const template = document.getElementById("group-empty-row");
  const rows = document.getElementById("group-rows");
  const total = document.querySelector('input[name="groups-TOTAL_FORMS"]');
  if (!button || !template || !rows || !total) return;
  button.addEventListener("click", () => {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  });
});
