// The public tip form: hide the no-JavaScript "choose" button (htmx reloads the communes instead), and filter
// the commune list as the person types, ignoring accents ("hong bang" finds "Hồng Bàng").
(function () {
  "use strict";
  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
    document.querySelectorAll("input[data-filters]").forEach(function (input) {
      input.addEventListener("input", function () {
        var select = document.getElementById(input.dataset.filters);
        var wanted = plain(input.value.trim());
        var first = null;
        Array.prototype.forEach.call(select.options, function (option) {
          var show = !option.value || plain(option.text).indexOf(wanted) !== -1;
          option.hidden = !show;
          if (show && option.value && first === null) { first = option; }
        });
        if (wanted && first && select.selectedOptions.length && select.selectedOptions[0].hidden) {
          select.value = first.value;
        }
      });
    });
  });
})();
