/* Katko outage banner (docs/embedding.md): reads ID/LANG.json beside it; strict-CSP safe,
   text as text, failures show nothing. */
(() => {
  "use strict";
  const TIMEOUT = 5e3, TICK = 3e4, REFRESH = 6e5;
  const CSS =
    // all:initial keeps the host page's styles out
    ".r{all:initial;display:block;font-family:inherit;line-height:1.5;color:#1a1a1a;margin:0 0 1em}" +
    ".n{margin:0 0 .5em;padding:.75em 1em;background:#fff;border:1px solid #6b6b6b;border-left:.5em solid #0a4a7f}" +
    ".ongoing{border-left-color:#8a1c00}p{margin:0 0 .5em}p:last-child{margin:0}" +
    ".p{display:inline-block;padding:0 .5em;border-radius:.2em;background:#0a4a7f;color:#fff;font-weight:700}" +
    ".ongoing .p{background:#8a1c00}a{color:#0a4a7f;text-decoration:underline}" +
    ".a{display:flex;flex-wrap:wrap;gap:.5em 1.5em}" +
    "button{font:inherit;color:#1a1a1a;background:#f2f2f2;border:1px solid;border-radius:.2em;padding:.2em .8em}" +
    "a:focus-visible,button:focus-visible,p:focus{outline:3px solid #1a1a1a;outline-offset:2px}" +
    ".v{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}" +
    // no motion if asked for less
    "@media (prefers-reduced-motion:no-preference){.n{animation:k .25s ease-out}}" +
    "@keyframes k{from{transform:translateY(-.4em)}}";

  const script = document.currentScript;
  let data = null, labels = null, root = null, said, drawn = "";
  const hiddenNow = {}; // hidden in this page view, should storage fail

  // nothing of ours may throw into the host page
  const safely = (fn) => (...args) => { try { fn(...args); } catch {} };

  function el(tag, className, text, lang) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    if (lang) node.lang = lang;
    return node;
  }

  // http(s) only, whatever the file says
  function link(href, text, base, lang) {
    const url = new URL(String(href), base);
    if (!/^https?:$/.test(url.protocol)) throw new Error("link");
    const a = el("a", "", text, lang);
    a.href = url.href;
    return a;
  }

  // names the outage of a repeated link, for screen readers
  const about = (title, lang) => el("span", "v", ": " + title, lang);

  function start() {
    if (!script?.src || !window.AbortController || !("adoptedStyleSheets" in Document.prototype)) return;
    const wanted = (script.dataset.service || "").split(/[\s,]+/).filter(Boolean);
    if (!wanted.length) return;
    const base = script.src;
    const asked = (script.dataset.lang || document.documentElement.lang || "").toLowerCase().split("-")[0];
    let lang = /^(fi|sv|en)$/.test(asked) ? asked : "fi";

    function get(id) {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), TIMEOUT);
      return fetch(new URL(encodeURIComponent(id) + "/" + lang + ".json", base), { credentials: "omit", signal: abort.signal })
        .then((r) => r.json()).then((d) => Array.isArray(d.outages) && d).catch(() => 0);
    }

    function load() {
      Promise.all(wanted.map(get)).then((docs) => {
        const got = docs.filter((d) => d && d.labels), seen = {};
        // no such language: Finnish; else keep what was shown
        if (!got.length) return lang !== "fi" && !data && load(lang = "fi");
        labels = got[0].labels;
        // once each, in order of start
        data = got.flatMap((d) => d.outages).filter((o) => !seen[o.id] && (seen[o.id] = 1))
          .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || (a.id < b.id ? -1 : 1));
        update();
      }).catch(() => {});
    }

    // the latest state whose moment has come
    function stateOf(o, now) {
      let found = null;
      for (const s of o.states) if (Date.parse(s.from) <= now) found = s;
      return found && (found.phase === "upcoming" || found.phase === "ongoing") ? found : null;
    }

    const storageKey = (o, s) => "katko-banner-hidden:" + o.id + "@" + s.changed;

    function isHidden(o, s) {
      // no storage: show it
      try { return hiddenNow[storageKey(o, s)] || localStorage.getItem(storageKey(o, s)) === "1"; } catch { return false; }
    }

    function hide(o, s) {
      said.textContent = labels.hidden; // polite live region
      hiddenNow[storageKey(o, s)] = true;
      try { localStorage.setItem(storageKey(o, s), "1"); } catch {} // then for this page view only
      update();
    }

    function update() {
      if (!data) return;
      const now = Date.now(), items = [];
      let key = lang;
      for (const o of data) {
        try {
          const state = stateOf(o, now);
          if (state && !isHidden(o, state)) {
            items.push({ o, state });
            key += "|" + o.id + state.from + state.changed;
          }
        } catch {} // a malformed outage is left out
      }
      // redraw only on a change: keeps a reader's place
      if (key !== drawn) { draw(items); drawn = key; }
    }

    function draw(items) {
      if (!root && !items.length) return;
      if (!root) mount();
      // focus stays in the banner if it was there (none left: on "hidden"); never taken
      const before = focusables().indexOf(root.activeElement);
      said.nextSibling?.remove();
      const region = el("section", "r", null, lang);
      region.setAttribute("aria-label", labels.region);
      for (const item of items) {
        try { region.append(notice(item)); } catch {}
      }
      if (region.firstChild) root.append(region);
      said.className = region.firstChild || !said.textContent ? "v" : "r n";
      const after = focusables();
      if (before >= 0) (after[Math.min(before, after.length - 1)] || (said.tabIndex = -1, said)).focus();
    }

    function notice({ o, state }) {
      const titleLang = o.title_lang && o.title_lang !== lang ? o.title_lang : "";
      const box = el("div", "n " + (state.phase === "ongoing" ? "ongoing" : "upcoming"));
      const head = el("p"), actions = el("p", "a");
      head.append(el("span", "p", state.label), " ", link(o.url, o.title, base, titleLang));
      const instead = link(o.alternatives_url, labels.instead, base);
      instead.append(about(o.title, titleLang));
      const button = el("button", "", labels.hide);
      button.type = "button";
      button.append(about(o.title, titleLang));
      button.addEventListener("click", safely(() => hide(o, state)));
      actions.append(instead, button);
      box.append(head, el("p", "", state.period), actions);
      return box;
    }

    function mount() {
      const host = el("div"), shadow = host.attachShadow({ mode: "open" }), sheet = new CSSStyleSheet();
      host.setAttribute("data-katko-banner", "");
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
      said = el("p", "v", null, lang);
      said.setAttribute("role", "status");
      shadow.append(said);
      // in place of the tag; from <head>, at the top
      const body = document.body;
      if (script.parentNode !== document.head && body.contains(script)) script.before(host);
      else body.prepend(host);
      root = shadow;
    }

    const focusables = () => [...root.querySelectorAll("a,button")];

    load();
    setInterval(safely(update), TICK);
    setInterval(safely(load), REFRESH);
  }

  safely(start)();
})();
