/* Pilot Tracker: all the JavaScript the pages use (no library, works offline).
   The Content-Security-Policy allows no inline script or event handler, so behaviour is bound
   here, from data attributes in the templates:
   - [data-submit-on-change]: a select that submits its form when changed (language switch).
   - [data-formset]: "Add a row" buttons clone a formset's empty form and bump TOTAL_FORMS.
   - output[data-wan-for]: money inputs show the amount in 万元 as the user types "1,234.56" or
     "85万".
   - [data-menu-toggle]: on a phone, the header's menu button opens and closes the menu (the
     "js" class on <html>, set at once, lets the stylesheet fold the menu only when it can
     be unfolded again).
   - [data-history-back]: the error pages' "Go back" button.
   - [data-error-summary]: after a failed save, the focus moves to the list of errors above the
     form; following one of its links ([data-error-link]) focuses that field.
   - input[role=combobox][data-suggest-url]: the enterprise box lists, under it, the clients
     whose name or credit code contains what is typed (a JSON endpoint that answers only with
     the user's own clients); arrow keys move, Enter picks, Escape closes, a click picks.
   - input[data-code-suggest-url]: on the new project form, choosing a platform fills in its
     next code, unless the user has typed a code of their own.
   (The import batch page's polling is static/js/imports.js.) */
(function () {
  "use strict";

  // The units tracker.formatting.parse_amount reads, longest first, with their power of ten.
  var UNITS = [["万亿元", 12], ["万亿", 12], ["亿元", 8], ["亿", 8], ["万元", 4], ["万", 4], ["元", 0]];
  // Thousands grouped by commas or spaces, or not at all; no exponent (as parse_amount).
  var NUMBER = /^[+-]?(\d{1,3}(,\d{3})+|\d{1,3}( \d{3})+|\d*)(\.\d*)?$/;

  // A live hint only: the server reads the amount (tracker.formatting.parse_amount).
  function wan(text) {
    var typed = String(text || "").normalize("NFKC").trim();
    var power = 0;
    for (var i = 0; i < UNITS.length; i++) {
      var unit = UNITS[i][0];
      if (typed.slice(-unit.length) === unit) {
        typed = typed.slice(0, -unit.length).trim();
        power = UNITS[i][1];
        break;
      }
    }
    if (!/\d/.test(typed) || !NUMBER.test(typed)) { return ""; }
    var yuan = Number(typed.replace(/[, ]/g, "")) * Math.pow(10, power);
    if (!isFinite(yuan)) { return ""; }
    return (Math.round(yuan / 100) / 100).toString() + "万元";
  }

  function bindMoney(root) {
    root.querySelectorAll("output[data-wan-for]").forEach(function (out) {
      var input = document.getElementById(out.getAttribute("data-wan-for"));
      if (!input) { return; }
      input.addEventListener("input", function () { out.textContent = wan(input.value); });
    });
  }

  function bindFormsets() {
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
  }

  function bindSubmitOnChange() {
    document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function bindMenuToggle() {
    document.querySelectorAll("[data-menu-toggle]").forEach(function (button) {
      var header = button.closest("header");
      button.addEventListener("click", function () {
        var open = header.classList.toggle("menu-open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
  }

  function bindHistoryBack() {
    document.querySelectorAll("[data-history-back]").forEach(function (button) {
      if (window.history.length < 2) { button.hidden = true; return; }
      button.addEventListener("click", function () { window.history.back(); });
    });
  }

  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) { return false; }
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
    return true;
  }

  function bindErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    summary.querySelectorAll("a[data-error-link]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (focusField(link.getAttribute("href").slice(1))) { event.preventDefault(); }
      });
    });
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }

  function getJSON(url, done) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { done(data); } })
      .catch(function () { /* a suggestion is a help, never a requirement */ });
  }

  function bindCombobox(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = input.closest(".combobox").querySelector("[data-suggest-status]");
    var url = input.getAttribute("data-suggest-url");
    var timer = null;
    var asked = 0;
    var active = -1;

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = options();
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(item) {
      input.value = item.getAttribute("data-value");
      close();
    }

    function show(results) {
      list.textContent = "";
      results.forEach(function (result, i) {
        var item = document.createElement("li");
        var code = document.createElement("span");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-value", result.value);
        item.textContent = result.name + " ";
        code.className = "code";
        code.textContent = result.uscc;
        item.appendChild(code);
        // mousedown, not click: the box keeps the focus, so picking does not close the list first.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(item);
        });
        list.appendChild(item);
      });
      status.textContent = status.getAttribute(results.length ? "data-some" : "data-none");
      if (!results.length) { close(); return; }
      list.hidden = false;
      active = -1;
      input.setAttribute("aria-expanded", "true");
    }

    function suggest() {
      var typed = input.value.trim();
      var mine = ++asked;
      if (!typed) { close(); return; }
      getJSON(url + "?q=" + encodeURIComponent(typed), function (data) {
        if (mine === asked && document.activeElement === input) { show(data.results); }
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        if (open) { highlight(active + 1); } else { suggest(); }
        event.preventDefault();
      } else if (event.key === "ArrowUp" && open) {
        highlight(active - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && open && active >= 0) {
        choose(options()[active]);
        event.preventDefault();
      } else if (event.key === "Escape" && open) {
        close();
        event.preventDefault();
      }
    });
    input.addEventListener("blur", close);
  }

  function bindCodeSuggestion(code) {
    var platform = code.form && code.form.querySelector("select[name=platform]");
    var url = code.getAttribute("data-code-suggest-url");
    if (!platform) { return; }
    // The code the page offered; replaced only while the user has not typed one of their own.
    var offered = code.value;
    platform.addEventListener("change", function () {
      if (!platform.value || (code.value && code.value !== offered)) { return; }
      getJSON(url + "?platform=" + encodeURIComponent(platform.value), function (data) {
        if (code.value === offered || !code.value) {
          code.value = data.code;
          offered = data.code;
        }
      });
    });
  }

  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    bindSubmitOnChange();
    bindMenuToggle();
    bindHistoryBack();
    bindErrorSummary();
    document.querySelectorAll("input[role=combobox][data-suggest-url]").forEach(bindCombobox);
    document.querySelectorAll("input[data-code-suggest-url]").forEach(bindCodeSuggestion);
    bindFormsets();
    bindMoney(document);
  });
})();
