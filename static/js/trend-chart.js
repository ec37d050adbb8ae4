// The history page's trend chart: pointing at, tapping or focusing a point writes its date
// and score (its <title>, which is also its accessible name and tooltip) into the caption
// under the chart; Left/Right/Home/End move between points. The table under the chart has
// the same figures, so the page says everything without this script.
(function () {
  "use strict";

  const chart = document.querySelector("svg.trend-chart");
  const caption = document.getElementById("trend-caption");
  if (!chart || !caption) return;
  const points = Array.from(chart.querySelectorAll(".point"));
  if (!points.length) return;

  caption.textContent = "Point at, tap or tab to a dot to see its date and score.";
  caption.hidden = false;

  function show(point) {
    for (const other of points) other.classList.toggle("is-current", other === point);
    const name = point.querySelector("title").textContent;
    if (caption.textContent !== name) caption.textContent = name;
  }

  const pointOf = (event) => event.target.closest && event.target.closest(".point");

  chart.addEventListener("pointerover", (event) => {
    const point = pointOf(event);
    if (point) show(point);
  });
  chart.addEventListener("click", (event) => {
    const point = pointOf(event);
    if (point) show(point);
  });
  chart.addEventListener("focusin", (event) => {
    const point = pointOf(event);
    if (point) show(point);
  });

  const MOVES = {
    ArrowLeft: (index) => Math.max(0, index - 1),
    ArrowRight: (index) => Math.min(points.length - 1, index + 1),
    Home: () => 0,
    End: () => points.length - 1,
  };
  chart.addEventListener("keydown", (event) => {
    const point = pointOf(event);
    const move = MOVES[event.key];
    if (!point || !move) return;
    event.preventDefault();
    points[move(points.indexOf(point))].focus();
  });
})();
