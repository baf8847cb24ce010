(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var font = { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" };
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
    grid: { left: 48, right: 16, top: 16, bottom: 56 },
    xAxis: { type: "category", data: data.days },
    yAxis: { type: "value", minInterval: 1 },
    dataZoom: [{ type: "slider", height: 18, bottom: 8 }],
    series: [{ name: "受理量", type: "line", data: data.daily, showSymbol: false, areaStyle: { opacity: 0.15 } }]
  });
  chart("window-chart", {
    tooltip: { trigger: "axis" },
    grid: { left: 150, right: 24, top: 8, bottom: 24 },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.windows, axisLabel: { width: 140, overflow: "truncate" } },
    series: [{ name: "日均受理量", type: "bar", data: data.window_averages, itemStyle: { color: "#206bc4" } }]
  });
  chart("level-chart", {
    tooltip: { trigger: "item" },
    legend: { bottom: 0 },
    series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"],
      data: data.levels.map(function (l, i) { return { name: l, value: data.level_counts[i] }; }) }]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
