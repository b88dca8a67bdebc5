// What the browser audit measures inside a page (tests/browser/audit.py drives it).
// Installed before the page's own scripts as window.__katkoAudit; it only reads.
(function () {
  "use strict";

  // ---------------------------------------------------------------- colours

  // A computed colour ("rgb(1, 2, 3)", "rgba(1, 2, 3, 0.5)") as [r, g, b, a].
  function parseColour(text) {
    const m = /rgba?\(([^)]+)\)/.exec(text || "");
    if (!m) return null;
    const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  }

  function over(top, bottom) {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  }

  function luminance(c) {
    const lin = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  }

  function contrast(a, b) {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  }

  function hex(c) {
    return "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  }

  // The colour painted behind an element: its own and its ancestors' background
  // colours, composited down to the page's white canvas.
  function backgroundOf(el) {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = up(e)) {
      const c = parseColour(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    return layers.reverse().reduce((below, c) => over(c, below), [255, 255, 255, 1]);
  }

  // An element's parent, across the boundary of a shadow root (the banner's).
  function up(el) {
    if (el.parentElement) return el.parentElement;
    const root = el.getRootNode();
    return root && root.host ? root.host : null;
  }

  // The element that has focus, inside shadow roots too.
  function focused() {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el;
  }

  // ------------------------------------------------------------- geometry

  function rect(r) {
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  }
  function inflate(r, d) {
    return { left: r.left - d, top: r.top - d, right: r.right + d, bottom: r.bottom + d };
  }
  function intersect(a, b) {
    return {
      left: Math.max(a.left, b.left), top: Math.max(a.top, b.top),
      right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom),
    };
  }
  function area(r) {
    return Math.max(0, r.right - r.left) * Math.max(0, r.bottom - r.top);
  }
  function viewport() {
    return { left: 0, top: 0, right: document.documentElement.clientWidth, bottom: window.innerHeight };
  }

  // The part of the page an element's ancestors let it paint in: each ancestor
  // that clips (overflow other than visible) cuts it down. The root and body are
  // left out: their overflow applies to the viewport, whose edge is what the
  // reflow check measures against. Cached for one measurement at a time.
  const EVERYWHERE = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
  let cache = null;
  function cached(kind, el, compute) {
    if (!cache) return compute();
    const key = kind + "";
    let map = cache.get(key);
    if (!map) cache.set(key, (map = new Map()));
    if (!map.has(el)) map.set(el, compute());
    return map.get(el);
  }
  function measuring(fn) {
    cache = new Map();
    try { return fn(); } finally { cache = null; }
  }

  // The clip an element puts on what it contains (its own, and its ancestors').
  function innerClip(el) {
    if (!el || el === document.body || el === document.documentElement) return EVERYWHERE;
    return cached("inner", el, () => {
      const s = getComputedStyle(el);
      let box = s.position === "fixed" ? EVERYWHERE : innerClip(up(el));
      if (s.overflowX !== "visible" || s.overflowY !== "visible") {
        const r = el.getBoundingClientRect();
        box = Object.assign({}, box);
        if (s.overflowX !== "visible") { box.left = Math.max(box.left, r.left); box.right = Math.min(box.right, r.right); }
        if (s.overflowY !== "visible") { box.top = Math.max(box.top, r.top); box.bottom = Math.min(box.bottom, r.bottom); }
      }
      return box;
    });
  }
  function clipOf(el) {
    return getComputedStyle(el).position === "fixed" ? EVERYWHERE : innerClip(up(el));
  }

  // Hidden by `clip`/`clip-path` on the element or an ancestor (the
  // visually-hidden pattern), or painted (nearly) fully transparent.
  function concealment(el) {
    const s = getComputedStyle(el);
    if (s.visibility !== "visible") return "visibility " + s.visibility;
    const own = hiding(el);
    if (own.hidden) return own.hidden;
    if (own.opacity < 0.1) return "opacity " + own.opacity.toFixed(2);
    return "";
  }
  function hiding(el) {
    if (!el || el.nodeType !== 1) return { opacity: 1, hidden: "" };
    return cached("hiding", el, () => {
      const above = hiding(up(el));
      if (above.hidden) return above;
      const s = getComputedStyle(el);
      if (s.clip && s.clip !== "auto" && s.position !== "static") {
        const r = /rect\(([^)]*)\)/.exec(s.clip);
        const v = r ? r[1].split(/[\s,]+/).map(parseFloat) : [];
        if (v.length === 4 && (v[2] - v[0] <= 1 || v[1] - v[3] <= 1)) return { opacity: 0, hidden: "clipped by `clip` on " + describe(el) };
      }
      if (s.clipPath && s.clipPath !== "none") return { opacity: 0, hidden: "clipped by `clip-path` on " + describe(el) };
      return { opacity: above.opacity * Number(s.opacity), hidden: "" };
    });
  }

  function describe(el) {
    if (!el || el.nodeType !== 1) return String(el);
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    const classes = (el.getAttribute("class") || "").trim().split(/\s+/).filter(Boolean).slice(0, 2);
    if (classes.length) text += "." + classes.join(".");
    const label = (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    if (label) text += ' "' + label + '"';
    return text;
  }

  // ---------------------------------------------------------------- reflow

  // Everything painted beyond the right (or left) edge of the viewport, where
  // no one can scroll to it: elements' boxes and each line of text, after their
  // ancestors' clipping. `overflow-x: hidden` on html or body only hides the
  // problem, so it is not counted as a clip.
  function overflow() {
    return measuring(measureOverflow);
  }
  function measureOverflow() {
    const vw = document.documentElement.clientWidth;
    const found = [];
    function check(clip, r, what) {
      if (r.right - r.left < 1 || r.bottom - r.top < 1) return;
      const v = intersect(rect(r), clip);
      if (v.right - v.left < 1 || v.bottom - v.top < 1) return;
      // Wholly off to the left is the usual way to hide a closed menu; what
      // crosses the left edge, or reaches past the right one, is cut off.
      const cut = v.right > vw + 0.5 || (v.left < -0.5 && v.right > 0.5);
      if (cut) found.push({ what: what, left: Math.round(v.left), right: Math.round(v.right) });
    }
    const range = document.createRange();
    // The page, then each open shadow root met on the way (the banner's).
    const roots = [document.body];
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let node = walker.currentNode; node; node = walker.nextNode()) {
        if (node.nodeType === 11) continue;  // a shadow root itself: its children follow
        if (node.nodeType === 1 && node.shadowRoot) roots.push(node.shadowRoot);
        if (node.nodeType === 1) {
          const s = getComputedStyle(node);
          if (s.display === "none") continue;
          if (s.visibility !== "visible" || concealment(node)) continue;
          // An element's own box; its text is measured line by line below.
          if (["IMG", "SVG", "svg", "INPUT", "SELECT", "TEXTAREA", "TABLE", "IFRAME", "VIDEO", "CANVAS", "BUTTON"].includes(node.tagName)
              || s.borderLeftStyle !== "none" || s.borderRightStyle !== "none"
              || parseColour(s.backgroundColor)[3] > 0) {
            check(clipOf(node), node.getBoundingClientRect(), describe(node));
          }
        } else if (node.textContent.trim()) {
          const parent = node.parentElement;
          if (!parent || getComputedStyle(parent).visibility !== "visible" || concealment(parent)) continue;
          range.selectNodeContents(node);
          // Text is clipped by its own element's overflow too (an ellipsis, say).
          const clip = innerClip(parent);
          for (const r of range.getClientRects()) {
            check(clip, r, "text " + JSON.stringify(node.textContent.trim().replace(/\s+/g, " ").slice(0, 40)) + " in " + describe(parent));
          }
        }
      }
    }
    // One line per element is enough to find it; the widest first.
    const seen = new Set();
    return found.sort((a, b) => b.right - a.right).filter((f) => !seen.has(f.what) && seen.add(f.what));
  }

  // Scroll containers whose content is wider than they are: a keyboard user
  // must be able to reach them (a Tab stop) and a screen reader user to know
  // what they hold (a name).
  function scrollers() {
    return measuring(findScrollers);
  }
  function findScrollers() {
    const found = [];
    for (const el of document.body.querySelectorAll("*")) {
      const s = getComputedStyle(el);
      if (!["auto", "scroll"].includes(s.overflowX) || el.scrollWidth <= el.clientWidth + 1) continue;
      if (s.display === "none" || s.visibility !== "visible" || concealment(el)) continue;
      const problems = [];
      if (el.tabIndex < 0) problems.push("no Tab stop (tabindex=0)");
      // A region must be named; a scrolling code block is announced by its content.
      if (el.getAttribute("role") === "region" && !(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby"))) problems.push("no name");
      if (problems.length) found.push(describe(el) + ` scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px) but has ` + problems.join(" and "));
    }
    return found;
  }

  // Text cut off inside the page: a line of text that reaches past the edge of an
  // ancestor that hides what overflows it and does not scroll (overflow hidden or
  // clip, an ellipsis), where no one can read the rest. Scrolling boxes are
  // scrollers()' business; hiding by clip or clip-path (the visually-hidden
  // pattern) is deliberate.
  function clipped() {
    return measuring(findClipped);
  }
  function findClipped() {
    const found = new Set();
    const range = document.createRange();
    // The page, then each open shadow root in it (the banner's).
    const roots = [document.body, ...[...document.querySelectorAll("*")].map((el) => el.shadowRoot).filter(Boolean)];
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || !node.textContent.trim() || getComputedStyle(parent).visibility !== "visible" || concealment(parent)) continue;
        range.selectNodeContents(node);
        const lines = [...range.getClientRects()].filter((r) => r.width >= 1 && r.height >= 1);
        const box = cutBy(parent, lines);
        if (box) found.add("text " + JSON.stringify(node.textContent.trim().replace(/\s+/g, " ").slice(0, 40)) + " in " + describe(parent) + " is cut off by " + describe(box));
      }
    }
    return [...found];
  }
  // The nearest ancestor that hides part of these lines, up to the first that scrolls:
  // beyond a box that scrolls, the text is where scrolling brings it.
  function cutBy(el, lines) {
    for (let box = el; box && box !== document.body && lines.length; box = up(box)) {
      const s = getComputedStyle(box);
      if (s.position === "fixed") return null;
      const hides = (overflow) => !["visible", "auto", "scroll"].includes(overflow);
      const x = hides(s.overflowX), y = hides(s.overflowY);
      const r = box.getBoundingClientRect();
      if (lines.some((l) => (x && (l.right > r.right + 1 || l.left < r.left - 1)) || (y && (l.bottom > r.bottom + 1 || l.top < r.top - 1)))) return box;
      if (["auto", "scroll"].includes(s.overflowX) || ["auto", "scroll"].includes(s.overflowY)) return null;
    }
    return null;
  }

  // ------------------------------------------------------------------ focus

  // What may draw a focus indicator: the outline, a box shadow, the background.
  function look(el) {
    const s = getComputedStyle(el);
    return {
      outlineStyle: s.outlineStyle,
      outlineWidth: parseFloat(s.outlineWidth) || 0,
      outlineColour: s.outlineColor,
      outlineOffset: parseFloat(s.outlineOffset) || 0,
      boxShadow: s.boxShadow,
      background: s.backgroundColor,
      colour: s.color,
    };
  }

  // A box shadow's rings: [colour, offset x, offset y, blur, spread, inset].
  function shadows(text) {
    if (!text || text === "none") return [];
    return text.split(/,(?![^(]*\))/).map((part) => {
      const colour = parseColour(part);
      const lengths = (part.replace(/rgba?\([^)]*\)/, "").match(/-?[\d.]+px/g) || []).map(parseFloat);
      return { colour: colour, x: lengths[0] || 0, y: lengths[1] || 0, blur: lengths[2] || 0,
               spread: lengths[3] || 0, inset: /inset/.test(part) };
    });
  }

  const stops = [];

  function reset() {
    stops.length = 0;
  }

  // Called after each Tab: records the element that has focus, as it is
  // painted now. Returns "end" once focus has left the page's last stop.
  function step() {
    const el = focused();
    if (!el || el === document.body || el === document.documentElement) return stops.length ? "end" : "none";
    if (stops.length && stops[stops.length - 1].el === el) return "same";
    // Past the last stop focus leaves the page, or comes straight back to the first.
    if (stops.length && stops[0].el === el) return "first";
    if (stops.some((stop) => stop.el === el)) return "cycle: back to " + describe(el) + " after " + stops[stops.length - 1].what;
    const r = el.getBoundingClientRect();
    const vp = viewport();
    const clip = clipOf(el);
    const visible = intersect(intersect(rect(r), clip), vp);
    const centre = { x: (visible.left + visible.right) / 2, y: (visible.top + visible.bottom) / 2 };
    const hit = area(visible) > 0 ? el.getRootNode().elementFromPoint(centre.x, centre.y) : null;
    stops.push({
      el: el, what: describe(el), rect: rect(r), visible: visible, clip: clip,
      concealed: concealment(el), scrollX: window.scrollX,
      covered: hit && !(el.contains(hit) || hit.contains(el) || (el.labels && [...el.labels].some((l) => l.contains(hit))))
        ? describe(hit) : "",
      focused: look(el), parentBackground: backgroundOf(up(el) || el), ownBackground: backgroundOf(el),
    });
    return "ok";
  }

  function refocus() {
    if (stops.length) stops[0].el.focus();
  }

  // Each Tab stop's problems, judged once focus has left them all (so that
  // their unfocused look can be compared with the focused one).
  function report() {
    return stops.map((stop, index) => {
      const problems = [];
      const r = stop.rect;
      const w = r.right - r.left, h = r.bottom - r.top;
      if (w < 2 || h < 2) problems.push(`is ${Math.round(w)}×${Math.round(h)} px`);
      const seen = stop.visible;
      if (w >= 2 && h >= 2 && (seen.right - seen.left < Math.min(w, innerWidth) / 2 || seen.bottom - seen.top < Math.min(h, innerHeight) / 2)) {
        problems.push(`is not in view when focused (at ${Math.round(r.left)},${Math.round(r.top)}, ${Math.round(w)}×${Math.round(h)} px)`);
      }
      if (stop.concealed) problems.push("is invisible: " + stop.concealed);
      if (stop.covered) problems.push("is covered by " + stop.covered);
      if (stop.scrollX) problems.push(`scrolls the page ${Math.round(stop.scrollX)} px sideways`);
      const indicator = judgeIndicator(stop);
      if (indicator) problems.push(indicator);
      return { index: index + 1, what: stop.what, problems: problems };
    });
  }

  // The focus indicator: a ring (outline or box shadow) that is not there
  // without focus, at least 3:1 against the background around it and not cut
  // off by a clipping ancestor; or else a background that changes by 3:1.
  function judgeIndicator(stop) {
    const now = stop.focused, before = look(stop.el);
    const rings = [];
    if (now.outlineStyle !== "none" && now.outlineWidth >= 1 &&
        !(before.outlineStyle === now.outlineStyle && before.outlineWidth === now.outlineWidth && before.outlineColour === now.outlineColour)) {
      if (now.outlineStyle === "auto") return "has the browser's default focus ring (outline-style: auto), whose colours are not known";
      const inner = now.outlineOffset;
      rings.push({ colour: parseColour(now.outlineColour), inner: inner, outer: inner + now.outlineWidth,
                   where: `outline ${now.outlineWidth}px ${hex(parseColour(now.outlineColour))}` });
    }
    if (now.boxShadow !== before.boxShadow) {
      for (const sh of shadows(now.boxShadow)) {
        if (!sh.colour || sh.colour[3] < 0.5 || sh.spread < 1) continue;
        rings.push({ colour: sh.colour, inner: sh.inset ? -sh.spread : 0, outer: sh.inset ? 0 : sh.spread,
                     where: `${sh.inset ? "inset " : ""}box-shadow ${sh.spread}px ${hex(sh.colour)}` });
      }
    }
    if (rings.length) {
      let best = 0, shown = 0;
      const notes = [];
      for (const ring of rings) {
        // The ring as far as it is in view (a tall element is partly out of view),
        // and how much of that its ancestors let show.
        const vp = viewport();
        const outer = intersect(inflate(stop.rect, ring.outer), vp), inner = intersect(inflate(stop.rect, ring.inner), vp);
        const ringArea = area(outer) - area(inner);
        const visibleShare = ringArea > 0
          ? (area(intersect(outer, stop.clip)) - area(intersect(inner, stop.clip))) / ringArea : 0;
        // Drawn outside the element, the ring meets what is behind it; drawn
        // inside, the element's own background.
        const behind = ring.inner >= 0 ? stop.parentBackground : stop.ownBackground;
        const ratio = contrast(over(ring.colour, behind), behind);
        notes.push(`${ring.where} on ${hex(behind)} ${ratio.toFixed(2)}:1, ${Math.round(visibleShare * 100)}% visible`);
        if (visibleShare >= 0.5) { shown += 1; best = Math.max(best, ratio); }
      }
      if (!shown) return "focus indicator is cut off: " + notes.join("; ");
      if (best < 3) return "focus indicator below 3:1: " + notes.join("; ");
      return "";
    }
    const a = parseColour(now.background), b = parseColour(before.background);
    if (a && b && now.background !== before.background) {
      const behind = stop.parentBackground;
      const ratio = contrast(over(a, behind), over(b, behind));
      if (ratio >= 3) return "";
      return `focus indicator is only a background change of ${ratio.toFixed(2)}:1`;
    }
    return "has no visible focus indicator (no outline, box shadow or background change)";
  }

  // ---------------------------------------------------------- reading order

  // Elements in document order, for checking what comes before what.
  function precedes(a, b) {
    return Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  }

  window.__katkoAudit = {
    overflow: overflow, scrollers: scrollers, clipped: clipped, reset: reset, step: step, report: report, refocus: refocus,
    describe: describe, precedes: precedes, contrast: contrast, parseColour: parseColour,
  };
})();
