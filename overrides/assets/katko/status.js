/* Katko: keeps each outage's phase label (upcoming, ongoing, ended) right
   as time passes, without a rebuild. The rules are those of katko/phase.py.
   Without JavaScript the labels stay as they were when the page was built,
   and the footer says when that was. */
(function () {
  "use strict";
  var source = document.getElementById("katko-phase-labels");
  if (!source) { return; }
  var labels;
  try { labels = JSON.parse(source.textContent); } catch (e) { return; }

  function phaseOf(el, now) {
    var status = el.getAttribute("data-status");
    if (status === "cancelled") { return "cancelled"; }
    if (status === "ended" || status === "resolved") { return "ended"; }
    var start = Date.parse(el.getAttribute("data-start"));
    if (isNaN(start)) { return null; }
    if (now < start) { return "upcoming"; }
    var end = Date.parse(el.getAttribute("data-end") || "");
    if (el.getAttribute("data-kind") === "planned" && !isNaN(end) && now >= end) { return "ended"; }
    return "ongoing";
  }

  function refresh() {
    var now = Date.now();
    var items = document.querySelectorAll("[data-katko-phase]");
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      var phase = phaseOf(el, now);
      if (phase && labels[phase] && el.getAttribute("data-phase-now") !== phase) {
        el.setAttribute("data-phase-now", phase);
        el.className = "katko-phase katko-phase--" + phase;
        el.textContent = labels[phase];
      }
    }
  }

  refresh();
  window.setInterval(refresh, 30000);
}());
