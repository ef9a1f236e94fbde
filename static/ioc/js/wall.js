// The operations-centre wall: fetch the figures every 30 seconds and redraw (no inline script).
(function () {
  "use strict";
  var wall = document.getElementById("ioc-wall");
  if (!wall) return;
  var levels = { province: "Tỉnh", district: "Huyện", commune: "Xã" };
  if (document.documentElement.lang === "en") {
    levels = { province: "Province", district: "District", commune: "Commune" };
  }
  function get(data, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? o : o[k]; }, data);
  }
  function pct(v) { return v == null ? "—" : v + "%"; }
  function item(list, text, cls) {
    var li = document.createElement("li");
    li.textContent = text;
    if (cls) li.className = cls;
    list.appendChild(li);
  }
  function draw(data) {
    wall.querySelectorAll("[data-field]").forEach(function (el) {
      var v = get(data, el.dataset.field);
      el.textContent = el.dataset.field.indexOf("rate") >= 0 || el.dataset.field.indexOf("on_time") === 0 ? pct(v) : (v == null ? "—" : v);
    });
    var body = document.getElementById("ioc-levels");
    body.replaceChildren();
    Object.keys(levels).forEach(function (key) {
      var tr = document.createElement("tr");
      [levels[key], pct(get(data, "on_time.today." + key)), pct(get(data, "on_time.month." + key)), pct(get(data, "on_time.year." + key))].forEach(function (t, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.scope = "row";
        cell.textContent = t;
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    var risks = document.getElementById("ioc-risk-list");
    risks.replaceChildren();
    data.at_risk.forEach(function (r) {
      item(risks, r.risk + "% · " + r.code + " · " + r.desk + " · " + r.due + " · " + r.reason);
    });
    if (!data.at_risk.length) item(risks, risks.dataset.empty);
    var wait = document.getElementById("ioc-desks-wait");
    wait.replaceChildren();
    data.desks_by_wait.forEach(function (d) { item(wait, d.name + ": " + d.wait_minutes); });
    var risk = document.getElementById("ioc-desks-risk");
    risk.replaceChildren();
    data.desks_by_risk.forEach(function (d) { item(risk, d.name + ": " + d.at_risk); });
    var map = document.getElementById("ioc-map");
    map.replaceChildren();
    var groups = {};
    data.desks.forEach(function (d) { (groups[d.district || d.name] = groups[d.district || d.name] || []).push(d); });
    Object.keys(groups).forEach(function (g) {
      var box = document.createElement("ul");
      box.className = "ioc-district";
      groups[g].forEach(function (d) { item(box, d.name, "ioc-cell " + d.state); });
      map.appendChild(box);
    });
  }
  function refresh() {
    fetch(wall.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(draw)
      .catch(function () { /* keep the last figures; the next refresh tries again */ });
  }
  refresh();
  setInterval(refresh, 30000);
})();
