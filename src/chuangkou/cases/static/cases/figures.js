(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("figures-data").textContent);
  var font = { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" };
  var narrow = window.innerWidth < 576;
  var pct = function (v) { return v == null ? "—" : v + "%"; };
  var charts = [];

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = echarts.init(el);
    option.textStyle = font;
    c.setOption(option);
    charts.push(c);
  }

  chart("daily-chart", {
    tooltip: { trigger: "axis" },
    grid: { left: 48, right: 16, top: 24, bottom: narrow ? 56 : 48 },
    xAxis: { type: "category", data: data.days, axisLabel: { hideOverlap: true } },
    yAxis: { type: "value", minInterval: 1 },
    dataZoom: data.days.length > 60 ? [{ type: "inside" }, { type: "slider", height: 16, bottom: 4 }] : [],
    series: [{ name: "受理量", type: "line", data: data.daily, showSymbol: false, areaStyle: { opacity: 0.15 }, itemStyle: { color: "#206bc4" } }]
  });

  chart("window-chart", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + " 件/日"; } },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.windows.slice().reverse(), axisLabel: { width: narrow ? 110 : 200, overflow: "truncate" } },
    series: [{ type: "bar", data: data.window_averages.slice().reverse(), itemStyle: { color: "#d63939" }, label: { show: true, position: "right" } }]
  });

  chart("yoy-chart", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { data: ["本期", "上年同期"] },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.departments.slice().reverse(), axisLabel: { width: narrow ? 80 : 120, overflow: "truncate" } },
    series: [
      { name: "本期", type: "bar", data: data.accepted.slice().reverse(), itemStyle: { color: "#206bc4" } },
      { name: "上年同期", type: "bar", data: data.previous.slice().reverse(), itemStyle: { color: "#a5b4c8" } }
    ]
  });

  chart("rate-chart", {
    tooltip: { trigger: "axis", valueFormatter: pct },
    legend: { data: ["最多跑一次实现率", "超期率"] },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.departments, axisLabel: { interval: 0, rotate: narrow ? 60 : 30 } },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: "最多跑一次实现率", type: "bar", data: data.one_trip_rates, itemStyle: { color: "#2fb344" } },
      { name: "超期率", type: "bar", data: data.overdue_rates, itemStyle: { color: "#f76707" } }
    ]
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
