// The utilization dashboard's charts (Chart.js from our own static files). Each <canvas data-chart="name"> reads
// its figures from the <script id="chart-name" type="application/json"> next to it. After every htmx refresh the
// charts are drawn again from the new figures. Large type and thick lines: the page is read across a room.
(function () {
  "use strict";
  var charts = {};
  var palette = ["#4338ca", "#b45309", "#15803d", "#b91c1c", "#0e7490", "#7c3aed", "#be185d", "#4d7c0f"];
  function data(name) {
    var el = document.getElementById("chart-" + name);
    return el ? JSON.parse(el.textContent) : [];
  }
  // Translated words from the page (<script id="chart-labels">), English if it has none.
  function labels() {
    var el = document.getElementById("chart-labels");
    var given = el ? JSON.parse(el.textContent) : {};
    var fallback = { device_counters: "device counters", job_intervals: "job intervals", simulated: "simulated",
      npu_hours: "NPU-hours", used: "used", granted: "granted" };
    Object.keys(fallback).forEach(function (k) { if (!given[k]) { given[k] = fallback[k]; } });
    return given;
  }
  function sourceLabel(source) { var l = labels(); return l[source] || source; }
  // Every figure says where it comes from: " (simulated)", " (job intervals)", or both when the rows mix.
  function sourcesOf(rows) {
    var seen = [];
    rows.forEach(function (r) { if (r.source && seen.indexOf(r.source) < 0) { seen.push(r.source); } });
    return seen.length ? " (" + seen.map(sourceLabel).join(", ") + ")" : "";
  }
  function color(i) { return palette[i % palette.length]; }
  function lineSeries(series, label) {
    return series.map(function (s, i) {
      return {
        label: label(s) + " (" + sourceLabel(s.source) + ")",
        data: s.points.map(function (p) { return { x: p.t, y: p.busy_pct }; }),
        borderColor: color(i), backgroundColor: color(i), borderWidth: 3, pointRadius: 0,
        borderDash: s.source === "simulated" ? [8, 4] : [],
      };
    });
  }
  function timeLabels(datasets) {
    var seen = {};
    datasets.forEach(function (d) { d.data.forEach(function (p) { seen[p.x] = true; }); });
    return Object.keys(seen).sort();
  }
  function short(t) { var d = new Date(t); return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }
  function common(yTitle, max) {
    return {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { labels: { font: { size: 16 } } } },
      scales: {
        x: { ticks: { font: { size: 14 }, callback: function (v) { return short(this.getLabelForValue(v)); } } },
        y: { min: 0, max: max, title: { display: true, text: yTitle, font: { size: 16 } }, ticks: { font: { size: 14 } } },
      },
    };
  }
  var builders = {
    pools: function () {
      var ds = lineSeries(data("pools"), function (s) { return s.pool; });
      return { type: "line", data: { labels: timeLabels(ds), datasets: ds }, options: common("busy %", 100) };
    },
    devices: function () {
      var ds = lineSeries(data("devices"), function (s) { return s.device; });
      var opts = common("busy %", 100);
      opts.plugins.legend.display = ds.length <= 12;
      return { type: "line", data: { labels: timeLabels(ds), datasets: ds }, options: opts };
    },
    teams: function () {
      var rows = data("teams");
      var words = labels();
      var opts = common(words.npu_hours);
      opts.indexAxis = "y";
      opts.scales = {
        x: { title: { display: true, text: words.npu_hours, font: { size: 16 } }, ticks: { font: { size: 14 } } },
        y: { ticks: { font: { size: 16 } } },
      };
      var hours = function (s) { return Math.round(s / 360) / 10; };
      var source = sourcesOf(rows.filter(function (r) { return r.jobs; }));
      return {
        type: "bar",
        data: {
          labels: rows.map(function (r) { return r.team + (r.near_limit ? " ⚠" : "") + (r.idle ? " (idle)" : ""); }),
          datasets: [
            { label: words.used + source, data: rows.map(function (r) { return hours(r.npu_seconds_used); }),
              backgroundColor: rows.map(function (r) { return r.near_limit ? "#b91c1c" : (r.idle ? "#b45309" : "#4338ca"); }) },
            { label: words.granted, data: rows.map(function (r) { return hours(r.npu_seconds_granted); }), backgroundColor: "#d6d9e3" },
          ],
        },
        options: opts,
      };
    },
    queue: function () {
      var rows = data("queue");
      var queues = {};
      rows.forEach(function (r) { (queues[r.queue] = queues[r.queue] || []).push(r); });
      var ds = [];
      Object.keys(queues).forEach(function (q, i) {
        var source = sourcesOf(queues[q]);
        ds.push({ label: q + " waiting" + source, yAxisID: "y", borderColor: color(i), backgroundColor: color(i), borderWidth: 3, pointRadius: 0,
          data: queues[q].map(function (r) { return { x: r.t, y: r.waiting }; }) });
        ds.push({ label: q + " mean wait (s)" + source, yAxisID: "y1", borderColor: color(i + 3), backgroundColor: color(i + 3), borderWidth: 3, pointRadius: 0, borderDash: [4, 4],
          data: queues[q].map(function (r) { return { x: r.t, y: r.mean_wait_seconds }; }) });
      });
      var opts = common("jobs waiting");
      opts.scales.y1 = { position: "right", min: 0, title: { display: true, text: "seconds", font: { size: 16 } }, grid: { drawOnChartArea: false } };
      return { type: "line", data: { labels: timeLabels(ds), datasets: ds }, options: opts };
    },
    outcomes: function () {
      var rows = data("outcomes");
      var source = sourcesOf(rows);
      var opts = common("jobs");
      opts.scales.x.stacked = true; opts.scales.y.stacked = true;
      return {
        type: "bar",
        data: {
          labels: rows.map(function (r) { return r.hour; }),
          datasets: [
            { label: "succeeded" + source, data: rows.map(function (r) { return r.succeeded; }), backgroundColor: "#15803d" },
            { label: "failed" + source, data: rows.map(function (r) { return r.failed; }), backgroundColor: "#b91c1c" },
            { label: "cancelled or not run" + source, data: rows.map(function (r) { return r.cancelled_or_not_run; }), backgroundColor: "#555d6e" },
          ],
        },
        options: opts,
      };
    },
  };
  function draw(root) {
    if (typeof Chart === "undefined") { return; }
    (root || document).querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var name = canvas.getAttribute("data-chart");
      if (charts[name]) { charts[name].destroy(); }
      charts[name] = new Chart(canvas, builders[name]());
      canvas.setAttribute("data-points", charts[name].data.datasets.reduce(function (n, d) { return n + d.data.length; }, 0));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.body && document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.target && e.target.id === "utilization-live") { draw(e.target); }
  });
})();
