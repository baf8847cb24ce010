/* ECharts of the item-analysis and mastery pages. */
(function () {
  "use strict";
  var font = { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" };
  var charts = [];
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption(Object.assign({ textStyle: font }, option));
    charts.push(chart);
  }
  var analysis = document.getElementById("chart-data");
  if (analysis) {
    var a = JSON.parse(analysis.textContent);
    draw("item-chart", {
      tooltip: { formatter: function (p) { return p.data[2] + "<br>难度系数 " + p.data[0] + "<br>区分度 " + p.data[1]; } },
      grid: { left: 48, right: 16, top: 24, bottom: 40 },
      xAxis: { name: "难度系数", nameLocation: "middle", nameGap: 26, min: 0, max: 1 },
      yAxis: { name: "区分度", min: -0.2, max: 1 },
      series: [{ type: "scatter", symbolSize: 9,
        data: a.codes.map(function (c, i) { return [a.facility[i], a.discrimination[i], c]; }),
        markLine: { silent: true, symbol: "none", label: { show: false }, lineStyle: { type: "dashed", color: "#d63939" }, data: [{ yAxis: 0.2 }] } }]
    });
    draw("hist-chart", {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      xAxis: { type: "category", data: a.hist_labels, axisLabel: { rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: a.hist_counts, itemStyle: { color: "#206bc4" } }]
    });
  }
  var mastery = document.getElementById("mastery-data");
  if (mastery) {
    var m = JSON.parse(mastery.textContent);
    draw("points-chart", {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      grid: { left: 130, right: 24, top: 8, bottom: 24 },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: m.points.slice().reverse() },
      series: [{ type: "bar", data: m.ratios.slice().reverse(),
        itemStyle: { color: function (p) { return p.value < 60 ? "#d63939" : p.value < 75 ? "#f76707" : "#2fb344"; } } }]
    });
    draw("heat-chart", {
      tooltip: { formatter: function (p) { return m.departments[p.data[1]] + " · " + m.points[p.data[0]] + "<br>" + p.data[2] + "%"; } },
      grid: { left: 110, right: 16, top: 8, bottom: 120 },
      xAxis: { type: "category", data: m.points, axisLabel: { rotate: 60, interval: 0 } },
      yAxis: { type: "category", data: m.departments },
      visualMap: { min: 30, max: 100, orient: "horizontal", left: "center", bottom: 0, calculable: true,
        inRange: { color: ["#d63939", "#f59f00", "#2fb344"] } },
      series: [{ type: "heatmap", data: m.heat }]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
