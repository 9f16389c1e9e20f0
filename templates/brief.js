/* argmap brief: filters, diagram zoom and pan, links into threads, print. Everything on the
   page is readable without this script; it only adds controls. No network, no storage. */
(function () {
  "use strict";
  var doc = document;
  function $(id) { return doc.getElementById(id); }
  function all(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }
  function openAround(el) {
    for (var d = el && el.parentElement; d; d = d.parentElement) {
      if (d.tagName === "DETAILS" && !d.open) { d.open = true; }  /* again costs a style pass */
    }
  }

  /* ---------- Filters: speaker, standing, tag, words ---------- */
  var form = $("filters_"), none = $("f_none");
  var cards = all(".card"), index = null;
  /* Read on the first use of a filter, not as the page opens: at 10,000 points reading every
     point's words took longer than showing the first screen. A point's own words are those
     whose nearest point is it (a full card wraps them in .node-body, a compact one does not);
     each point's words are lowercased once, here. A full card says its speaker, standing and
     tags in data- attributes; a compact one (a large brief) in its speaker's link, its class
     s-STANDING and its "Tags:" line (a small). */
  function point(n) {
    var body = n.querySelector(".node-body") || n, words = "", who = null, tags = null;
    all(".text, .quote, .who, small", body).forEach(function (el) {
      if (el.closest(".node") !== n) { return; }
      if (el.tagName === "SMALL") { tags = tags || el; return; }
      if (el.classList.contains("who")) { who = who || el; }
      words += " " + el.textContent;
    });
    var full = n.hasAttribute("data-standing"), st = /(?:^| )s-(\S+)/.exec(n.className);
    return { el: n, hit: false, text: words.replace(/\s+/g, " ").toLowerCase(),
      by: full ? n.getAttribute("data-by") : who && who.hash ? who.hash.slice(1) : "",
      st: full ? n.getAttribute("data-standing") : st ? st[1] : "",
      tags: " " + (full ? n.getAttribute("data-tags") :
        tags ? tags.textContent.replace(/^Tags:\s*/, "").split(/,\s*/).join(" ") : "") + " " };
  }
  function indexed() { return index || (index = cards.map(function (card) {
    /* li.node: the points of its thread (not the boxes of its diagram, g.node) */
    return { card: card, shown: true, nodes: [card].concat(all("li.node", card)).map(point) };
  })); }
  window.addEventListener("load", function () { setTimeout(indexed, 100); });
  function value(id) { var el = $(id); return el ? el.value : ""; }
  /* The page changes only where a point's or a card's state changes: at 10,000 points,
     writing every class and attribute again on each keystroke cost more than the search. */
  function filter() {
    var by = value("f_speaker"), st = value("f_standing"), tag = value("f_tag");
    var words = value("f_search").trim().toLowerCase().split(/\s+/).filter(Boolean);
    var active = !!(by || st || tag || words.length), shown = 0;
    indexed().forEach(function (c) {
      var any = false;
      c.nodes.forEach(function (n) {
        var hit = (!by || n.by === by) && (!st || n.st === st) &&
          (!tag || n.tags.indexOf(" " + tag + " ") >= 0) &&
          words.every(function (w) { return n.text.indexOf(w) >= 0; });
        var mark = active && hit;
        if (mark !== n.hit) { n.hit = mark; n.el.classList.toggle("hit", mark); }
        if (hit) { any = true; if (mark) { openAround(n.el); } }
      });
      if (any !== c.shown) { c.shown = any; c.card.hidden = !any; }
      if (any) { shown += 1; }
    });
    $("f_count").textContent = active ? "Showing " + shown + " of " + cards.length +
      " cards; matching points are outlined." : "";
    none.hidden = shown > 0;
  }
  function clear() { if (form) { form.reset(); } filter(); }
  if (form) {
    form.hidden = false;
    form.addEventListener("input", filter);
    form.addEventListener("change", filter);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(filter, 0); });
    all("[data-clear]").forEach(function (b) { b.addEventListener("click", clear); });
  }
  /* argmap watch patched the page's words in place (a save, shown without a reload): they
     are read again, now for a filter in use, else at the next. */
  doc.addEventListener("argmap:patched", function () {
    index = null;
    if (value("f_speaker") || value("f_standing") || value("f_tag") || value("f_search").trim()) {
      filter();
    }
  });

  /* ---------- Diagram: zoom and pan (CSS transform on one layer: fast at 1,000 nodes) ---------- */
  var view = $("diagram_view"), canvas = view && view.querySelector(".canvas");
  var svg = canvas && canvas.querySelector("svg");
  var zoomTo = null;
  if (svg) {
    var W = svg.width.baseVal.value || svg.getBoundingClientRect().width || 1;
    var H = svg.height.baseVal.value || svg.getBoundingClientRect().height || 1;
    svg.style.width = W + "px"; svg.style.height = H + "px";
    var s = 1, x = 0, y = 0, frame = 0, touched = false;
    var level = doc.querySelector(".zoombar .level");
    var box = function () { return view.getBoundingClientRect(); };
    var fitScale = function () { var r = box(); return Math.min(1, r.width / W, r.height / H); };
    var draw = function () {
      frame = 0;
      view.scrollLeft = 0; view.scrollTop = 0;
      canvas.style.transform = "translate(" + x + "px," + y + "px) scale(" + s + ")";
      if (level) { level.textContent = Math.round(s * 100) + "%"; }
    };
    var later = function () {
      var r = box(), w = W * s, h = H * s, m = 40;
      x = Math.min(Math.max(x, Math.min(m, r.width - w) - m), Math.max(m, r.width - w + m));
      y = Math.min(Math.max(y, Math.min(m, r.height - h) - m), Math.max(m, r.height - h + m));
      if (!frame) { frame = requestAnimationFrame(draw); }
    };
    var zoomAt = function (factor, px, py) {
      var next = Math.min(8, Math.max(Math.min(0.5, fitScale() / 2), s * factor));
      x = px - (px - x) * next / s; y = py - (py - y) * next / s; s = next; touched = true; later();
    };
    /* "Fit" shows it all, "100%" full size. The first view shows the title, the key and the
       first claims (top left: claims are the first column, in file order) at a readable
       size: fitted to the width when that is at least READABLE, else at READABLE (11 pt
       text at 11 px); the rest is reached by dragging, or by "Fit". */
    var READABLE = 0.75;
    var widthScale = function () { return Math.min(1, box().width / W); };
    var openScale = function () { return Math.min(1, Math.max(widthScale(), READABLE)); };
    var fit = function (toOpen) {
      var r = box(); s = toOpen ? openScale() : fitScale();
      x = W * s <= r.width ? (r.width - W * s) / 2 : 0;
      y = toOpen && H * s > r.height ? 0 : (r.height - H * s) / 2;
      later();
    };
    var size = function () {  /* a small diagram gets a small box */
      var r = box(), cap = Math.min(window.innerHeight * (r.width < 600 ? 0.6 : 0.7), 640);
      view.style.height = Math.max(180, Math.min(cap, H * openScale() + 2)) + "px";
    };
    var marked = null;
    zoomTo = function (node) {
      var r = box(), n = node.getBoundingClientRect(), c = canvas.getBoundingClientRect();
      var cx = (n.left + n.width / 2 - c.left) / s, cy = (n.top + n.height / 2 - c.top) / s;
      s = Math.max(s, Math.min(1, Math.max(0.75, fitScale() * 3)));  /* readable, in context */
      x = r.width / 2 - cx * s; y = r.height / 2 - cy * s; touched = true; later();
      node.classList.remove("flash"); void node.getBoundingClientRect(); node.classList.add("flash");
      if (marked && marked !== node) { marked.classList.remove("marked"); }
      node.classList.add("marked"); marked = node;  /* stays marked after the flash */
    };
    size(); fit(true);
    window.addEventListener("resize", function () { size(); if (!touched) { fit(true); } else { later(); } });
    all(".zoombar [data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        var r = box(), k = b.getAttribute("data-zoom");
        if (k === "fit") { touched = false; fit(); }
        else if (k === "one") { zoomAt(1 / s, r.width / 2, r.height / 2); }
        else { zoomAt(k === "in" ? 1.4 : 1 / 1.4, r.width / 2, r.height / 2); }
      });
    });
    view.addEventListener("wheel", function (e) {
      if (!(e.ctrlKey || e.metaKey || doc.activeElement === view)) { return; }
      e.preventDefault();
      var r = box(), d = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      zoomAt(Math.exp(-d * 0.0015), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    var pts = {}, moved = false, last = null;
    var pair = function () {
      var k = Object.keys(pts); if (k.length < 2) { return null; }
      var a = pts[k[0]], b = pts[k[1]];
      return { d: Math.hypot(a.x - b.x, a.y - b.y), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    };
    view.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) { return; }
      pts[e.pointerId] = { x: e.clientX, y: e.clientY, x0: e.clientX, y0: e.clientY };
      moved = false; last = pair();
    });
    view.addEventListener("pointermove", function (e) {
      var p = pts[e.pointerId]; if (!p) { return; }
      var dx = e.clientX - p.x, dy = e.clientY - p.y;
      p.x = e.clientX; p.y = e.clientY;
      if (!moved && Math.abs(p.x - p.x0) + Math.abs(p.y - p.y0) < 5) { return; }
      if (!moved) {
        moved = true; view.classList.add("dragging");
        try { view.setPointerCapture(e.pointerId); } catch (err) { /* pointer already gone */ }
      }
      var two = pair();
      if (two && last) {
        var r = box();
        zoomAt(two.d / (last.d || 1), two.x - r.left, two.y - r.top);
        x += two.x - last.x; y += two.y - last.y; last = two;
      } else if (!two) { x += dx; y += dy; touched = true; }
      later();
    });
    var up = function (e) {
      delete pts[e.pointerId]; last = pair();
      if (!Object.keys(pts).length) { view.classList.remove("dragging"); }
    };
    view.addEventListener("pointerup", up);
    view.addEventListener("pointercancel", up);
    view.addEventListener("click", function (e) {  /* a drag is not a click on a box */
      if (moved) { e.preventDefault(); e.stopPropagation(); moved = false; }
    }, true);
    view.addEventListener("keydown", function (e) {
      var r = box(), step = e.shiftKey ? 200 : 50, k = e.key;
      if (k === "+" || k === "=") { zoomAt(1.25, r.width / 2, r.height / 2); }
      else if (k === "-" || k === "_") { zoomAt(0.8, r.width / 2, r.height / 2); }
      else if (k === "0") { touched = false; fit(); }
      else if (k === "1") { zoomAt(1 / s, r.width / 2, r.height / 2); }
      else if (k === "ArrowLeft") { x += step; } else if (k === "ArrowRight") { x -= step; }
      else if (k === "ArrowUp") { y += step; } else if (k === "ArrowDown") { y -= step; }
      else { return; }
      e.preventDefault(); touched = true; later();
    });
  }

  /* ---------- Links: into closed threads, past filters, onto diagram nodes ---------- */
  function reveal(hash, jump) {
    var id = decodeURIComponent((hash || "").slice(1)), el = id && $(id);
    if (!el) { return false; }
    if (id.indexOf("node_") === 0 && zoomTo) {
      $("the_diagram").scrollIntoView({ block: "start" }); zoomTo(el); return true;
    }
    var card = el.closest(".card");
    if (card && card.hidden) { clear(); }
    openAround(el);
    if (jump) { el.scrollIntoView({ block: "start" }); }
    return true;
  }
  doc.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#node_"]');
    if (a && zoomTo && !e.defaultPrevented) {
      e.preventDefault();
      history.pushState(null, "", a.getAttribute("href"));
      reveal(a.getAttribute("href"), true);
    }
  });
  window.addEventListener("hashchange", function () { reveal(location.hash, true); });
  if (location.hash) { reveal(location.hash, true); }

  /* ---------- Print: every thread open ---------- */
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = all("details:not([open])"); closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; }); closed = [];
  });
})();
