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
  document.documentElement.setAttribute("data-ready", "1");
})();
