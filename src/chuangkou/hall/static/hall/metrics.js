(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("metrics-data").textContent);
  var chart = echarts.init(document.getElementById("metrics-chart"));
  chart.setOption({
    textStyle: { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" },
    tooltip: { trigger: "axis" },
    legend: { data: ["取号数", "平均等候（分钟）"] },
    grid: { left: 48, right: 56, top: 40, bottom: 32 },
    xAxis: { type: "category", data: data.days },
    yAxis: [
      { type: "value", name: "件", minInterval: 1 },
      { type: "value", name: "分钟", splitLine: { show: false } }
    ],
    series: [
      { name: "取号数", type: "bar", data: data.tickets, itemStyle: { color: "#206bc4" } },
      { name: "平均等候（分钟）", type: "line", yAxisIndex: 1, data: data.wait, itemStyle: { color: "#f76707" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
