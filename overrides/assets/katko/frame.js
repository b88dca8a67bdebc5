/* Katko's page frame: the menu and search buttons of the header, and the
   search index loaded only when the search is opened.

   Loaded before Material's bundle (overrides/main.html), which keeps the
   state of the side menu and of the search in two checkboxes, #__drawer and
   #__search; this script opens and closes them as Material does (a click on
   the checkbox), so that Material's own handlers follow.

   - Buttons: a button with data-katko-opens="drawer" or "search" opens it,
     says whether it is open (aria-expanded), and gets the focus back when
     it closes; data-katko-closes closes. While one is open the rest of the
     page is inert (a modal dialog); Escape closes it.
   - Search index: Material fetches search/search_index.json and starts its
     search worker as soon as a page loads, which at a thousand notices is
     more than the page itself. Both are held back here until the reader
     opens the search, then let go in the order Material asked for them. */
(function () {
  "use strict";

  // ------------------------------------------------------------------ //
  // The search index and worker, when the search is first opened
  // ------------------------------------------------------------------ //

  var searchOpened = false;
  var waiting = [];

  function whenSearchOpened(run) {
    if (searchOpened) run(); else waiting.push(run);
  }

  function releaseSearch() {
    if (searchOpened) return;
    searchOpened = true;
    waiting.splice(0).forEach(function (run) { run(); });
  }

  function pathOf(url) {
    try { return new URL(String(url), document.baseURI).pathname; } catch (error) { return ""; }
  }

  var xhrOpen = XMLHttpRequest.prototype.open;
  var xhrSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.katkoSearchIndex = /\/search\/search_index\.json$/.test(pathOf(url));
    return xhrOpen.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this, args = arguments;
    if (!request.katkoSearchIndex) return xhrSend.apply(request, args);
    whenSearchOpened(function () { xhrSend.apply(request, args); });
  };

  var RealWorker = window.Worker;
  if (RealWorker && window.EventTarget && window.MessageEvent) {
    // Material's search worker, started on first use: until then messages wait.
    window.Worker = function (url, options) {
      if (!/\/workers\/search\.[^/]*\.js$/.test(pathOf(url))) return new RealWorker(url, options);
      var stand = new EventTarget(), real = null, queue = [];
      whenSearchOpened(function () {
        real = new RealWorker(url, options);
        real.addEventListener("message", function (event) {
          stand.dispatchEvent(new MessageEvent("message", { data: event.data }));
        });
        queue.splice(0).forEach(function (message) { real.postMessage(message); });
      });
      stand.postMessage = function (message) { if (real) real.postMessage(message); else queue.push(message); };
      stand.terminate = function () { if (real) real.terminate(); };
      return stand;
    };
  }

  // ------------------------------------------------------------------ //
  // The menu and search buttons
  // ------------------------------------------------------------------ //

  // What a button opens: its checkbox, the region, and where the focus goes in it.
  var PARTS = {
    drawer: { region: "katko-drawer", focus: "[data-katko-closes=drawer]" },
    search: { region: "katko-search", focus: "input[name=query]" }
  };

  var made_inert = [];

  // The rest of the page inert while a region is open: what is not on its way up to <body>.
  function isolate(region) {
    for (var node = region; node && node !== document.body; node = node.parentElement) {
      var parent = node.parentElement;
      if (!parent) break;
      Array.prototype.forEach.call(parent.children, function (sibling) {
        // The drawer's overlay closes it at a click, through its checkbox: both stay usable.
        if (sibling === node || sibling.inert || sibling.matches("script, .md-overlay, .md-toggle")) return;
        sibling.inert = true;
        made_inert.push(sibling);
      });
    }
  }

  function release() {
    made_inert.splice(0).forEach(function (element) { element.inert = false; });
  }

  function setUp() {
    Object.keys(PARTS).forEach(function (name) {
      var box = document.getElementById("__" + name);
      var region = document.getElementById(PARTS[name].region);
      var button = document.querySelector("[data-katko-opens=" + name + "]");
      if (!box || !region || !button) return;

      button.addEventListener("click", function () {
        if (!box.checked) box.click();
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-katko-closes=" + name + "]"), function (closer) {
        closer.addEventListener("click", function () { if (box.checked) box.click(); });
      });
      box.addEventListener("change", function () {
        button.setAttribute("aria-expanded", box.checked ? "true" : "false");
        if (box.checked) {
          if (name === "search") releaseSearch();
          release();
          isolate(region);
          var target = region.querySelector(PARTS[name].focus);
          if (target && !region.contains(document.activeElement)) target.focus();
        } else {
          release();
          var focus = document.activeElement;
          if (!focus || focus === document.body || region.contains(focus)) button.focus();
        }
      });
    });

    // Escape closes what is open (Material closes the search itself; the
    // change above brings the focus back). In the search, Tab moves between
    // the field and the results (Material would close the search).
    window.addEventListener("keydown", function (event) {
      var drawer = document.getElementById("__drawer");
      var search = document.getElementById("__search");
      if (event.key === "Escape" && drawer && drawer.checked) {
        drawer.click();
        event.preventDefault();
      } else if (event.key === "Tab" && search && search.checked) {
        event.stopPropagation();
      }
    }, true);

    // Material takes its search results out of the Tab order (tabindex="-1"), for the arrow
    // keys only; then the browser makes their scroll area a Tab stop instead. In a dialog
    // Tab should reach the results themselves.
    var results = document.querySelector(".md-search-result__list");
    if (results && window.MutationObserver) {
      new MutationObserver(function () {
        Array.prototype.forEach.call(results.querySelectorAll("a[tabindex='-1']"), function (link) {
          link.removeAttribute("tabindex");
        });
      }).observe(results, { childList: true, subtree: true });
    }
  }

  // ------------------------------------------------------------------ //
  // The header's height, for the scroll padding that keeps the focus clear of it
  // ------------------------------------------------------------------ //

  // The header wraps onto more rows on a narrow screen, with a long name or larger text;
  // katko.css keeps that much of the top of the screen clear of the focus, and nothing
  // where the header scrolls away with the page (a short screen).
  function measureHeader() {
    var header = document.querySelector(".md-header");
    if (!header) return;
    function measure() {
      var position = window.getComputedStyle(header).position;
      var height = position === "sticky" || position === "fixed" ? header.getBoundingClientRect().height : 0;
      document.documentElement.style.setProperty("--katko-header-height", Math.ceil(height) + "px");
    }
    measure();
    if (window.ResizeObserver) new ResizeObserver(measure).observe(header);
    window.addEventListener("resize", measure);
  }

  function start() {
    setUp();
    measureHeader();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
