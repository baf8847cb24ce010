(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var font = { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" };
  var turnover = echarts.init(document.getElementById("turnover-chart"));
  turnover.setOption({
    textStyle: font,
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    legend: { data: ["临编人员", "全部人员"] },
    grid: { left: 48, right: 16, top: 40, bottom: 32 },
    xAxis: { type: "category", data: data.years },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: [
      { name: "临编人员", type: "line", data: data.temporary, label: { show: true, formatter: "{c}%" } },
      { name: "全部人员", type: "line", data: data.all }
    ]
  });
  var departments = echarts.init(document.getElementById("department-chart"));
  departments.setOption({
    textStyle: font,
    tooltip: { trigger: "axis" },
    grid: { left: 96, right: 24, top: 8, bottom: 24 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.departments.slice().reverse() },
    series: [{ type: "bar", data: data.department_counts.slice().reverse(), itemStyle: { color: "#206bc4" } }]
  });
  window.addEventListener("resize", function () { turnover.resize(); departments.resize(); });
})();
