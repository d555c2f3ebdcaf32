(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("#browser > details.conv"));
  var selects = Array.prototype.slice.call(document.querySelectorAll("#filters select"));
  var shown = document.getElementById("shown");
  var cache = new WeakMap();
  function values(el, key) {
    var all = cache.get(el);
    if (!all) { all = {}; cache.set(el, all); }
    if (!(key in all)) {
      var raw = el.getAttribute("data-" + key) || "";
      all[key] = key === "outcome" ? raw.split(" ") : JSON.parse(raw || "[]");
    }
    return all[key];
  }
  function apply() {
    var want = selects.filter(function (s) { return s.value !== ""; });
    var n = 0;
    items.forEach(function (el) {
      var ok = want.every(function (s) {
        return values(el, s.getAttribute("data-filter")).indexOf(s.value) >= 0;
      });
      el.hidden = !ok;
      if (ok) { n += 1; }
    });
    if (shown) { shown.textContent = String(n); }
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });

  // large runs: the conversations' HTML (escaped by backbone) is packed as gzip; unpack it
  // in the page (no request) and fill a conversation when it is opened
  var packed = document.getElementById("conversations");
  var bodies = null;
  function unpack() {
    if (!bodies) {
      var bin = atob(packed.textContent.trim());
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      bodies = new Response(stream).text().then(JSON.parse);
    }
    return bodies;
  }
  function fill(el) {
    if (!el.open || el.hasAttribute("data-filled")) { return; }
    el.setAttribute("data-filled", "1");
    unpack().then(function (all) {
      el.insertAdjacentHTML("beforeend", all[Number(el.getAttribute("data-body"))]);
    });
  }
  if (packed) {
    items.forEach(function (el) {
      el.addEventListener("toggle", function () { fill(el); });
      // a conversation opened from the start (caved, over-held) may have fired its toggle
      // event before this listener existed: fill it now (fill runs once per conversation)
      fill(el);
    });
  }
  document.documentElement.setAttribute("data-ready", "1");
})();
