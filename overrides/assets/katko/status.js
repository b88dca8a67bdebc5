/* Katko: keeps notices right as time passes, without a rebuild.

   The build writes, after each notice's card or status block, a <template>
   for every coming change (data-katko-at): the notice as it will stand then,
   rendered by the same templates, and the list it moves to (data-katko-list;
   empty: off the page). This script only swaps them in when the reader's
   clock passes them, so the rules are katko/lifecycle.py's alone. Without
   JavaScript the page stays as it was built, and the footer says when. */
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

  function apply(template) {
    var key = template.getAttribute("data-katko-for");
    var old = document.querySelector('[data-katko-live="' + key + '"]');
    var fresh = template.content.firstElementChild;
    fresh = fresh ? fresh.cloneNode(true) : null;
    if (!template.hasAttribute("data-katko-list")) {
      if (old && fresh) { old.parentNode.replaceChild(fresh, old); }
      return;
    }
    if (old) { old.parentNode.removeChild(old); }
    var list = document.getElementById(template.getAttribute("data-katko-list"));
    if (list && fresh) { insert(list, fresh); }
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

  function refresh() {
    var now = Date.now();
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
        apply(due[name].template);
        applied[name] = due[name].template;
        changed = true;
      }
    }
    if (changed) { showEmpty(); }
  }

  refresh();
  window.setInterval(refresh, 30000);
}());
