// Field visit form: show the violation list only when the outcome is "violation found".
document.addEventListener("DOMContentLoaded", () => {
  const violations = document.querySelector('[data-field="violations"]');
  const radios = document.querySelectorAll('input[name="outcome"]');
  if (!violations || !radios.length) return;
  const update = () => {
    const chosen = document.querySelector('input[name="outcome"]:checked');
    const hasTicks = violations.querySelector("input:checked");
    violations.hidden = !(chosen && chosen.value === "violation") && !hasTicks;
  };
  radios.forEach((radio) => radio.addEventListener("change", update));
  update();
});
