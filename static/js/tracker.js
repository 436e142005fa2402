/* Pilot Tracker: the little JavaScript the forms use (no library, works offline).
   - "Add a row" buttons clone a formset's empty form and bump its TOTAL_FORMS counter.
   - Money inputs show the amount in 万元 as the user types "1,234.56". */
(function () {
  "use strict";
  function wan(text) {
    var n = Number(String(text).replace(/[,，\s_]/g, ""));
    if (!text || !isFinite(n)) { return ""; }
    return (Math.round(n / 100) / 100).toString() + "万元";
  }
  function bindMoney(root) {
    root.querySelectorAll("output[data-wan-for]").forEach(function (out) {
      var input = document.getElementById(out.getAttribute("data-wan-for"));
      if (!input) { return; }
      input.addEventListener("input", function () { out.textContent = wan(input.value); });
    });
  }
  document.querySelectorAll("[data-formset]").forEach(function (section) {
    var prefix = section.getAttribute("data-formset");
    var total = section.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = section.querySelector("template[data-empty]");
    var rows = section.querySelector("[data-rows]");
    section.querySelector("[data-add-row]").addEventListener("click", function () {
      var index = Number(total.value);
      var wrapper = document.createElement("div");
      wrapper.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var legend = wrapper.querySelector("legend");
      if (legend) { legend.textContent = legend.textContent + " " + (index + 1); }
      rows.appendChild(wrapper.firstElementChild);
      total.value = String(index + 1);
      bindMoney(rows.lastElementChild);
    });
  });
  bindMoney(document);
})();
