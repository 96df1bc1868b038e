/* policykg corpus overview: documents and departments, search, details panel and a department table.
   Document text only ever enters the DOM through textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("pkg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var byId = {}, links = {};
  var all = data.docs.concat(data.depts);
  all.forEach(function (n) { byId[n.id] = n; links[n.id] = []; });
  data.edges.forEach(function (e) {
    links[e[0]].push(e);
    links[e[1]].push(e);
  });
  var nodes = new vis.DataSet(all.map(function (n) {
    var value = n.kind === "document" ? (n.counts.tasks || 0) : n.lead + n.co;
    var node = {id: n.id, label: n.label, group: n.kind, value: value + 1};
    if (n.x !== undefined) { node.x = n.x; node.y = n.y; }
    return node;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    return Object.assign({id: "e" + (i + 1), from: e[0], to: e[1], width: data.widths[String(e[3])]},
                         data.edgeStyles[e[2]]);
  }));
  var network = new vis.Network($("network"), {nodes: nodes, edges: edges}, data.options);
  var view = {selected: null, matches: [], ready: false};
  window.network = network;
  window.pkgView = view;
  var tip = $("tip");

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function ready() {
    network.setOptions({physics: {enabled: false}});
    $("loading").hidden = true;
    view.ready = true;
    document.body.setAttribute("data-ready", "true");
  }
  if (data.options.physics.enabled && all.length) {
    network.on("stabilizationProgress", function (p) {
      $("progress").textContent = Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", function () { network.fit(); ready(); });
  } else {
    network.fit();
    ready();
  }

  function name(n) { return n.kind === "department" ? n.name : (n.title || n.doc_number || n.source || n.id); }
  function roles(e) { return (e[2] === "lead" ? "牵头 lead " : "配合 co ") + e[3]; }
  // A node's neighbours with their lead and co task counts, most tasks first.
  function partners(id) {
    var by = {}, order = [];
    links[id].forEach(function (e) {
      var other = e[0] === id ? e[1] : e[0];
      if (!by[other]) { by[other] = {id: other, lead: 0, co: 0}; order.push(by[other]); }
      by[other][e[2]] += e[3];
    });
    return order.sort(function (a, b) { return (b.lead - a.lead) || (b.co - a.co); });
  }
  function fields(rows) {
    var dl = el("dl");
    rows.forEach(function (row) {
      if (row[1] === "" || row[1] === null || row[1] === undefined) return;
      dl.appendChild(el("dt", row[0]));
      dl.appendChild(el("dd", String(row[1])));
    });
    return dl;
  }
  function showDetails(id) {
    var box = $("details");
    box.textContent = "";
    var n = byId[id];
    if (!n) { box.appendChild(el("p", "点击节点查看详情。 Click a node for its details.", "hint")); return; }
    box.appendChild(el("h2", name(n)));
    var list = el("ol");
    if (n.kind === "department") {
      box.appendChild(fields([["类型 kind", "部门 department"], ["牵头 leads", n.lead + " 项任务 tasks"],
                              ["配合 co-operates", n.co + " 项任务 tasks"], ["文件 documents", n.docs]]));
      box.appendChild(el("h2", "文件 documents"));
    } else {
      var c = n.counts;
      box.appendChild(fields([["类型 kind", "文件 document"], ["文号 number", n.doc_number],
                              ["发文机关 issuer", n.issuer], ["日期 date", n.date], ["来源 source", n.source],
                              ["任务 tasks", c.tasks], ["有牵头 with a lead", c.tasks_with_lead],
                              ["指标 targets", c.indicators], ["无人负责 unassigned", c.unassigned],
                              ["部门 departments", c.departments]]));
      box.appendChild(el("h2", "部门 departments"));
    }
    partners(id).forEach(function (p) {
      var o = byId[p.id];
      var label = (o.kind === "document" && o.doc_number ? o.doc_number + " " : "") + name(o);
      var li = el("li", label + " — 牵头 lead " + p.lead + " · 配合 co " + p.co);
      li.addEventListener("click", function () { focusNode(p.id); });
      list.appendChild(li);
    });
    box.appendChild(list);
  }
  function select(id) {
    view.selected = id;
    showDetails(id);
  }
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: false});
    select(id);
  }
  view.focus = focusNode;
  network.on("click", function (p) { select(p.nodes.length ? p.nodes[0] : null); });
  network.on("hoverNode", function (p) {
    var n = byId[p.node];
    tip.textContent = name(n) + "\n" + (n.kind === "department"
      ? "牵头 lead " + n.lead + " · 配合 co " + n.co + " · 文件 documents " + n.docs
      : "任务 tasks " + (n.counts.tasks || 0) + " · 无人负责 unassigned " + (n.counts.unassigned || 0));
    tip.style.left = (p.event.clientX + 14) + "px";
    tip.style.top = (p.event.clientY + 14) + "px";
    tip.hidden = false;
  });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });
  network.on("zoom", function () { tip.hidden = true; });

  $("search").addEventListener("input", function () {
    var q = this.value.normalize("NFKC").toLowerCase().trim();
    var out = $("results");
    out.textContent = "";
    view.matches = q ? all.filter(function (n) { return n.search.indexOf(q) >= 0; })
      .map(function (n) { return n.id; }) : [];
    view.matches.slice(0, 50).forEach(function (id) {
      var b = el("button", (byId[id].kind === "department" ? "部门 " : "文件 ") + name(byId[id]));
      b.type = "button";
      b.addEventListener("click", function () { focusNode(id); });
      var li = el("li");
      li.appendChild(b);
      out.appendChild(li);
    });
    if (q && !view.matches.length) out.appendChild(el("li", "无结果 no match", "none"));
  });
  $("search").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && view.matches.length) focusNode(view.matches[0]);
  });

  var body = $("depts").tBodies[0];
  data.depts.slice().sort(function (a, b) { return (b.lead + b.co - a.lead - a.co) || (b.lead - a.lead); })
    .slice(0, 300).forEach(function (n) {
      var tr = el("tr");
      tr.appendChild(el("td", n.name));
      [n.lead, n.co, n.docs].forEach(function (v) { tr.appendChild(el("td", String(v), "n")); });
      tr.addEventListener("click", function () { focusNode(n.id); });
      body.appendChild(tr);
    });
})();
