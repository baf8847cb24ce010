(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("satisfaction-data").textContent);
  var font = { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" };
  var colors = ["#2fb344", "#74b816", "#f59f00", "#f76707", "#d63939"];
  var levels = echarts.init(document.getElementById("levels-chart"));
  levels.setOption({
    textStyle: font,
    tooltip: { trigger: "item", formatter: "{b}：{c} 条（{d}%）" },
    legend: { bottom: 0 },
    series: [{
      type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"],
      label: { formatter: "{b}\n{c}" },
      data: data.levels.map(function (name, i) {
        return { name: name, value: data.counts[i], itemStyle: { color: colors[i] } };
      })
    }]
  });
  var trend = echarts.init(document.getElementById("trend-chart"));
  trend.setOption({
    textStyle: font,
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    legend: { data: ["满意率", "差评率"] },
    grid: { left: 48, right: 48, top: 40, bottom: 32 },
    xAxis: { type: "category", data: data.months },
    yAxis: [
      { type: "value", name: "满意率", min: function (v) { return Math.max(0, Math.floor(v.min - 2)); }, max: 100, axisLabel: { formatter: "{value}%" } },
      { type: "value", name: "差评率", min: 0, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }
    ],
    series: [
      { name: "满意率", type: "line", data: data.rates, itemStyle: { color: "#2fb344" } },
      { name: "差评率", type: "bar", yAxisIndex: 1, data: data.bad, itemStyle: { color: "#d63939" }, barMaxWidth: 18 }
    ]
  });
  window.addEventListener("resize", function () { levels.resize(); trend.resize(); });
})();
