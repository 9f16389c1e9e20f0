(() => {
  /* argmap watch's live script. A new build is patched into the open page when it changes only
     words and attributes (a claim's text, a standing, a picture's coordinates): the page is
     compared as served before and after, and only the differences are written into it, so
     the reader keeps their place, and the browser lays out only what changed. Any other
     change (a card more or less, another script, style or policy, a diagram of another size)
     reloads the page; a claim's picture of other boxes or lines is swapped whole. The server
     hears when the new build is on screen (/__argmap/shown). */
  let built = document.currentScript.dataset.build;
  let served = null;  /* the page as served, parsed: what the open page was made from */
  let box = null;
  const show = (errors) => {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;margin:0;padding:1em 1.5em;background:#7f1d1d;color:#fff;" +
        "font:14px/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px #0006";
      document.body.append(box);
    }
    const head = document.createElement("strong");
    head.textContent = "The map has errors: this page is the last good build. Fix and save.";
    const list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;font:13px/1.5 monospace;margin:.5em 0 0";
    list.textContent = errors.join("\n");
    box.replaceChildren(head, list);
  };
  const hide = () => { if (box) { box.remove(); box = null; } };
  /* A page longer than this (in characters) is reloaded rather than patched: keeping a parsed
     copy of a large brief costs more memory, and parsing it again more time, than it saves. */
  const LARGEST = 4000000;
  const read = () => fetch("/brief.html", { cache: "no-store" }).then((r) => {
    if (!r.ok || Number(r.headers.get("Content-Length")) > 4 * LARGEST) {
      throw new Error(r.ok ? "a large page: reloaded" : r.statusText);  /* (bytes: at most 4) */
    }
    return r.text();
  }).then((html) => {
    if (html.length > LARGEST) { throw new Error("a large page: reloaded"); }
    return new DOMParser().parseFromString(html, "text/html");
  });
  const buildOf = (doc) => {
    const tag = doc.querySelector('script[src="/__argmap/live.js"]');
    return tag ? tag.dataset.build : null;
  };
  const told = (build) => {
    requestAnimationFrame(() => setTimeout(() => {
      fetch("/__argmap/shown?build=" + encodeURIComponent(build), { cache: "no-store" })
        .catch(() => {});
    }, 0));
  };
  /* The edits that make `live` (made from `old`) show `neu`, or null when it takes more. */
  const FIXED = new Set(["script", "style", "meta", "link", "base", "noscript", "template"]);
  /* the zoomable diagram, whose size the page's script measured once, as it opened */
  const measured = (el) => el.localName === "svg" && !!el.closest(".canvas");
  const diff = (old, neu, live, edits) => {
    if (old.nodeType !== neu.nodeType || old.nodeName !== neu.nodeName ||
        !live || live.nodeType !== old.nodeType || live.nodeName !== old.nodeName) {
      return false;
    }
    if (old.nodeType === Node.TEXT_NODE || old.nodeType === Node.COMMENT_NODE) {
      if (old.data !== neu.data) { edits.push(() => { live.data = neu.data; }); }
      return true;
    }
    if (old.nodeType !== Node.ELEMENT_NODE || old.isEqualNode(neu)) {
      return true;  /* as it was: what the page's own script made of it stays */
    }
    const names = new Set([...old.getAttributeNames(), ...neu.getAttributeNames()]);
    for (const name of names) {
      const was = old.getAttribute(name), now = neu.getAttribute(name);
      if (was === now) { continue; }
      if ((FIXED.has(old.localName) || measured(live)) &&
          !(old.localName === "script" && name === "data-build")) {
        return false;  /* code, policy, the diagram's size: the page reads them once */
      }
      edits.push(now === null ? () => live.removeAttribute(name)
        : () => live.setAttribute(name, now));
    }
    if ((old.localName === "script" || old.localName === "style") &&
        old.textContent !== neu.textContent) {
      return false;
    }
    const a = old.childNodes, b = neu.childNodes, c = live.childNodes, inner = [];
    let same = a.length === b.length && c.length === a.length;
    for (let i = 0; same && i < a.length; i += 1) { same = diff(a[i], b[i], c[i], inner); }
    if (!same && old.localName === "svg" && !measured(live)) {
      /* a claim's picture of other boxes or lines: no script keeps a hold on it */
      edits.push(() => live.replaceWith(document.importNode(neu, true)));
      return true;
    }
    edits.push(...inner);
    return same;
  };
  let latest = null, busy = false;  /* one update at a time, to the latest state */
  const settle = () => {
    const state = latest;
    if (busy || !state) { return; }
    latest = null;
    if (state.good === built) {
      if (!state.ok) { show(state.errors); } else { hide(); }
      return;
    }
    if (!served) { location.reload(); return; }
    busy = true;
    read().then((neu) => {
      const now = buildOf(neu), edits = [];
      if (!now || now === built) { return; }  /* not newer yet: the next event brings it */
      hide();
      if (!diff(served.documentElement, neu.documentElement, document.documentElement, edits)) {
        location.reload();
        return;
      }
      edits.forEach((edit) => edit());
      served = neu;
      built = now;
      document.dispatchEvent(new CustomEvent("argmap:patched"));
      told(now);
      if (!state.ok) { show(state.errors); }
    }).catch(() => location.reload()).finally(() => { busy = false; settle(); });
  };
  /* The page as served, read once it has opened, for the next build to be compared with. */
  const remember = () => read().then((doc) => { if (buildOf(doc) === built) { served = doc; } })
    .catch(() => {});
  if (document.readyState === "complete") { setTimeout(remember, 100); }
  else { addEventListener("load", () => setTimeout(remember, 100)); }
  const events = new EventSource("/__argmap/events");
  events.onmessage = (event) => { latest = JSON.parse(event.data); settle(); };
})();
