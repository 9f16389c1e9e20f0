(() => {
  const built = document.currentScript.dataset.build;
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
  const events = new EventSource("/__argmap/events");
  events.onmessage = (event) => {
    const state = JSON.parse(event.data);
    if (state.good !== built) location.reload();
    else if (!state.ok) show(state.errors);
    else if (box) { box.remove(); box = null; }
  };
})();
