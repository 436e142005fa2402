/* The import batch page: while its job runs, poll the batch's status.json and draw the
   progress; when the job is done, reload the page, which then shows the outcome. The job's
   state lives on the server (ImportBatch), so closing this page loses nothing. No inline
   script: the page's strict Content-Security-Policy allows only this file. */
(function () {
  "use strict";

  var INTERVAL_MS = 1000;
  var MAX_INTERVAL_MS = 10000;

  function show(box, state) {
    var bar = document.getElementById("import-progress");
    var status = document.getElementById("import-status");
    if (!bar || !status) { return; }
    if (state.queued) { status.textContent = box.getAttribute("data-queued"); return; }
    if (!state.total) { return; }
    bar.max = state.total;
    bar.value = Math.min(state.done, state.total);
    status.textContent = state.phase_label + " · " + state.sheet + " · " +
      state.done.toLocaleString() + " / " + state.total.toLocaleString();
  }

  function poll(box, interval) {
    var request = new XMLHttpRequest();
    request.open("GET", box.getAttribute("data-status-url"));
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) { return later(box, interval * 2); }
      var state = JSON.parse(request.responseText);
      if (!state.running) { window.location.replace(state.url); return; }
      show(box, state);
      later(box, INTERVAL_MS);
    };
    request.onerror = function () { later(box, interval * 2); };
    request.send();
  }

  function later(box, interval) {
    var wait = Math.min(interval, MAX_INTERVAL_MS);
    window.setTimeout(function () { poll(box, wait); }, wait);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("import-job");
    if (box) { later(box, INTERVAL_MS); }
  });
})();
