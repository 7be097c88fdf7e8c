// govnum report: show a figure's record on hover or focus. Values are set with textContent (never HTML).
(function () {
  "use strict";
  var box = document.getElementById("record");
  var FIELDS = ["value", "value-max", "unit", "kind", "approx", "metric", "indicator", "aspect", "area",
                "modality", "period", "period-iso"];
  var current = null;
  function show(el) {
    current = el;
    box.textContent = "";
    var head = document.createElement("div");
    head.className = "rt";
    head.textContent = el.textContent;
    box.appendChild(head);
    var dl = document.createElement("dl");
    FIELDS.forEach(function (f) {
      var v = el.getAttribute("data-" + f);
      var dt = document.createElement("dt");
      var dd = document.createElement("dd");
      dt.textContent = f.replace("-", "_");
      dd.textContent = v === null ? "—" : v;
      dd.setAttribute("data-field", f.replace("-", "_"));
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    box.appendChild(dl);
    box.hidden = false;
    var r = el.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 6;
    var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8);
    box.style.top = top + "px";
    box.style.left = Math.max(window.scrollX + 4, left) + "px";
  }
  function hide(el) {
    if (!el || el === current) { box.hidden = true; current = null; }
  }
  function figure(t) { return t && t.closest ? t.closest(".text .q, td .q") : null; }
  document.addEventListener("mouseover", function (e) { var q = figure(e.target); if (q) show(q); });
  document.addEventListener("mouseout", function (e) { var q = figure(e.target); if (q && q !== document.activeElement) hide(q); });
  document.addEventListener("focusin", function (e) { var q = figure(e.target); if (q) show(q); });
  document.addEventListener("focusout", function (e) { var q = figure(e.target); if (q) hide(q); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(null); });
})();
