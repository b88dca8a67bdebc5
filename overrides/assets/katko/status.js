/* Katko: keeps notices right as time passes, without a rebuild.

   The build writes, after each notice's card or status block, a <template>
   for every coming change (data-katko-at): the notice as it will stand then,
   rendered by the same templates, and the list it moves to (data-katko-list;
   empty: off the page). This script only swaps them in when the reader's
   clock passes them, so the rules are katko/lifecycle.py's alone. Without
   JavaScript the page stays as it was built, and the footer says when.

   A change after the page has loaded is told to screen readers in the page's
   status message ([data-katko-announce], role=status): the notice's title and
   what is new in it (its phase, "back in use since …", a passed estimate), in
   the page's own words. The keyboard's focus, if it was in what is swapped,
   goes to the same link in the new one, or to the new one itself. */
(function () {
  "use strict";
  var applied = {};

  function after(a, b, order) {
    return order === "desc" ? a < b : a > b;
  }

  function insert(list, item) {
    var key = item.getAttribute("data-katko-key") || "";
    var order = list.getAttribute("data-katko-order");
    var children = list.children;
    for (var i = 0; i < children.length; i++) {
      var other = children[i];
      if (other.tagName === "LI" && after(other.getAttribute("data-katko-key") || "", key, order)) {
        list.insertBefore(item, other);
        return;
      }
    }
    list.appendChild(item);
  }

  function textOf(element) {
    return (element.textContent || "").replace(/\s+/g, " ").trim();
  }

  // What the new version of a notice says that the old one did not, after its title.
  var NEWS = "[data-katko-phase], .katko-end, .katko-status__detail";

  function news(old, fresh) {
    var before = {};
    if (old) {
      Array.prototype.forEach.call(old.querySelectorAll(NEWS), function (el) { before[textOf(el)] = true; });
    }
    var said = [];
    Array.prototype.forEach.call(fresh.querySelectorAll(NEWS), function (el) {
      var text = textOf(el);
      if (text && !before[text]) { said.push(/[.!?]$/.test(text) ? text : text + "."); }
    });
    if (!said.length) { return ""; }
    var title = fresh.querySelector(".katko-card__title") || document.querySelector("h1");
    return (title ? textOf(title) + ": " : "") + said.join(" ");
  }

  // The element in the new version that stands where the focused one stood in the old:
  // the link to the same address with the same text, or the new version itself.
  function counterpart(focused, fresh) {
    var href = focused.getAttribute && focused.getAttribute("href");
    var links = fresh.querySelectorAll("a[href]");
    for (var i = 0; href && i < links.length; i++) {
      if (links[i].getAttribute("href") === href && textOf(links[i]) === textOf(focused)) { return links[i]; }
    }
    fresh.setAttribute("tabindex", "-1");
    return fresh;
  }

  function apply(template) {
    var key = template.getAttribute("data-katko-for");
    var old = document.querySelector('[data-katko-live="' + key + '"]');
    var fresh = template.content.firstElementChild;
    fresh = fresh ? fresh.cloneNode(true) : null;
    var focused = old && old.contains(document.activeElement) ? document.activeElement : null;
    if (!template.hasAttribute("data-katko-list")) {
      if (old && fresh) { old.parentNode.replaceChild(fresh, old); }
    } else {
      if (old) { old.parentNode.removeChild(old); }
      var list = document.getElementById(template.getAttribute("data-katko-list"));
      if (list && fresh) { insert(list, fresh); } else { fresh = null; }
    }
    if (focused) {
      // A notice that leaves the page leaves the focus at the start of the main content.
      var target = fresh && fresh.isConnected ? counterpart(focused, fresh) : document.getElementById("katko-main");
      if (target) { target.focus(); }
    }
    return fresh && fresh.isConnected ? news(old, fresh) : "";
  }

  function announce(messages) {
    var region = document.querySelector("[data-katko-announce]");
    if (region && messages.length) { region.textContent = messages.join(" "); }
  }

  function showEmpty() {
    var notes = document.querySelectorAll("[data-katko-empty]");
    for (var i = 0; i < notes.length; i++) {
      var list = document.getElementById(notes[i].getAttribute("data-katko-empty"));
      if (!list) { continue; }
      var empty = !list.querySelector("li");
      list.hidden = empty;
      notes[i].hidden = !empty;
    }
  }

  var loaded = false;

  function refresh() {
    var now = Date.now();
    var messages = [];
    var due = {};
    var templates = document.querySelectorAll("template[data-katko-for]");
    for (var i = 0; i < templates.length; i++) {
      var t = templates[i];
      var at = Date.parse(t.getAttribute("data-katko-at"));
      var key = t.getAttribute("data-katko-for");
      // The latest change whose moment has come, for each notice and place.
      if (at <= now && (!due[key] || at >= due[key].at)) { due[key] = {at: at, template: t}; }
    }
    var changed = false;
    for (var name in due) {
      if (Object.prototype.hasOwnProperty.call(due, name) && applied[name] !== due[name].template) {
        var message = apply(due[name].template);
        if (message) { messages.push(message); }
        applied[name] = due[name].template;
        changed = true;
      }
    }
    if (changed) { showEmpty(); }
    // What the page shows as it loads, the reader meets by reading it.
    if (loaded) { announce(messages); }
    loaded = true;
  }

  refresh();
  window.setInterval(refresh, 30000);
}());
