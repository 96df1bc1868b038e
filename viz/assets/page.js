/* policykg graph page: search, filters, department highlight, tooltip and details panel.
   Document text only ever enters the DOM through textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("pkg-data").textContent);
  var byId = {}, members = {}, hidden = {};
  data.nodes.forEach(function (n) {
    byId[n.id] = n;
    n.depts.forEach(function (d) { (members[d] = members[d] || [d]).push(n.id); });
  });
  var styleOf = function (e) { return data.edgeStyles[e.kind] || {color: "#999999"}; };
  var edgeStyle = function (e) { return Object.assign({}, styleOf(e), e); };
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges.map(edgeStyle));
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  var view = {highlight: [], matches: [], selected: null, ready: false};
  window.network = network;
  window.pkgView = view;
  var $ = function (id) { return document.getElementById(id); };
  var tip = $("tip");

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  // Layout: let the physics settle once, then freeze it so large graphs stay responsive.
  function ready() {
    network.setOptions({physics: {enabled: false}});
    $("loading").hidden = true;
    view.ready = true;
    document.body.setAttribute("data-ready", "true");
  }
  network.on("stabilizationProgress", function (p) {
    $("progress").textContent = Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", function () { network.fit(); ready(); });
  if (!data.nodes.length) ready();

  // Highlight: everything else fades.
  function fontColor(n) {
    var g = data.options.groups[n.group] || {};
    return (g.font && g.font.color) || data.options.nodes.font.color;
  }
  function setHighlight(ids) {
    var keep = new Set(ids);
    view.highlight = ids.slice();
    nodes.update(data.nodes.map(function (n) {
      var on = !keep.size || keep.has(n.id);
      return {id: n.id, opacity: on ? 1 : 0.15, font: {color: on ? fontColor(n) : "rgba(28,40,51,0.2)"}};
    }));
    edges.update(data.edges.map(function (e) {
      var on = !keep.size || (keep.has(e.from) && keep.has(e.to));
      var c = styleOf(e).color;
      return {id: e.id, color: {color: c, highlight: c, hover: c, inherit: false, opacity: on ? 1 : 0.1}};
    }));
  }

  // Details panel.
  var hint = $("details").firstElementChild;
  function showDetails(id) {
    var box = $("details");
    box.replaceChildren();
    if (id === null) { box.appendChild(hint); return; }
    var p = byId[id].panel;
    box.appendChild(el("h2", p.heading));
    box.appendChild(fields(p.rows));
    if (p.quote) {
      box.appendChild(el("blockquote", p.quote));
      box.appendChild(el("p", "出处 source: " + p.where, "where"));
    }
    box.appendChild(fields(p.more));
  }
  function fields(rows) {
    var dl = el("dl");
    rows.forEach(function (row) {
      var dd = el("dd");
      [].concat(row[1]).forEach(function (v) { dd.appendChild(el("div", v)); });
      dl.appendChild(el("dt", row[0]));
      dl.appendChild(dd);
    });
    return dl;
  }
  function select(id) {
    tip.hidden = true;
    view.selected = id;
    // a department lights up its tasks and targets; any other node is just selected (its edges in bold)
    setHighlight(id !== null && byId[id].kind === "department" ? (members[id] || [id]) : []);
    showDetails(id);
  }
  network.on("click", function (p) { select(p.nodes.length ? p.nodes[0] : null); });

  // Tooltip.
  network.on("hoverNode", function (p) {
    var box = container.getBoundingClientRect();
    tip.textContent = byId[p.node].panel.tip;
    tip.style.left = Math.min(box.left + p.pointer.DOM.x + 14, window.innerWidth - 330) + "px";
    tip.style.top = (box.top + p.pointer.DOM.y + 14) + "px";
    tip.hidden = false;
  });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });
  network.on("zoom", function () { tip.hidden = true; });

  // Filters: node type, department, audit. A node is shown when it passes all three.
  var groupBoxes = document.querySelectorAll("#kinds input[data-group]");
  function applyFilters() {
    var on = {}, dept = $("department").value, audit = $("audit").checked, changes = [];
    groupBoxes.forEach(function (b) { on[b.getAttribute("data-group")] = b.checked; });
    var inDept = dept ? new Set(members[dept] || [dept]) : null;
    data.nodes.forEach(function (n) {
      var hide = !on[n.group] || (inDept !== null && !inDept.has(n.id)) || (audit && !n.audit);
      if (!!hidden[n.id] !== hide) { hidden[n.id] = hide; changes.push({id: n.id, hidden: hide}); }
    });
    nodes.update(changes);
    tip.hidden = true;
  }
  groupBoxes.forEach(function (b) { b.addEventListener("change", applyFilters); });
  $("audit").addEventListener("change", function () { applyFilters(); network.fit(); });
  data.nodes.filter(function (n) { return n.kind === "department"; })
    .sort(function (a, b) { return a.name.localeCompare(b.name, "zh-CN"); })
    .forEach(function (n) {
      var o = el("option", n.name);
      o.value = n.id;
      $("department").appendChild(o);
    });
  $("department").addEventListener("change", function () {
    applyFilters();
    select(this.value || null);
    network.fit();
  });

  // Search by name, path or number.
  function focusNode(id) {
    if (hidden[id]) {
      groupBoxes.forEach(function (b) { b.checked = true; });
      $("department").value = "";
      $("audit").checked = false;
      applyFilters();
    }
    select(id);
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: {duration: 300}});
  }
  $("search").addEventListener("input", function () {
    var q = this.value.normalize("NFKC").trim().toLowerCase(), results = $("results");
    view.matches = q ? data.nodes.filter(function (n) { return n.search.indexOf(q) >= 0; })
      .map(function (n) { return n.id; }) : [];
    results.replaceChildren();
    view.matches.slice(0, 50).forEach(function (id) {
      var b = el("button", byId[id].panel.rows[0][1].split(" ")[0] + " · " + byId[id].name), li = el("li");
      b.type = "button";
      b.addEventListener("click", function () { focusNode(id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (q && !view.matches.length) results.appendChild(el("li", "无结果 no match", "none"));
    setHighlight(view.matches);
  });
  $("search").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && view.matches.length) focusNode(view.matches[0]);
  });
})();
