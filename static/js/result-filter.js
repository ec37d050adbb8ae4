// The result page's filters and jump links. Without this script the filters are links
// (?show=..., which the server writes into the section's data-show) and the jump grid plain
// anchors. With it, the filters are toggle buttons that switch data-show without a page load
// (static/css/result.css hides the lines a filter leaves out), and a jump to item n opens
// that item's details, showing every item again first if the filter hid it.
(function () {
  "use strict";

  const review = document.getElementById("items");
  const nav = document.getElementById("result-filters");
  if (!review || !nav) return;
  const status = document.getElementById("result-filter-status");

  const buttons = Array.from(nav.querySelectorAll("a[data-filter]")).map((link) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.dataset.filter = link.dataset.filter;
    button.dataset.count = link.dataset.count;
    button.append(...link.childNodes);
    link.replaceWith(button);
    return button;
  });

  function spoken(button) {
    const count = Number(button.dataset.count);
    const noun = count === 1 ? "item" : "items";
    if (button.dataset.filter === "all") return `Showing all ${count} ${noun}.`;
    return `Showing ${count} ${button.dataset.filter} ${noun}.`;
  }

  function show(name, { announce = true } = {}) {
    review.dataset.show = name;
    for (const button of buttons) {
      const chosen = button.dataset.filter === name;
      button.setAttribute("aria-pressed", String(chosen));
      button.classList.toggle("btn-secondary", chosen);
      button.classList.toggle("btn-outline-secondary", !chosen);
      if (chosen && announce && status) status.textContent = spoken(button);
    }
    // Keep the filter in the address, so that a reload or a shared link shows the same lines.
    const url = new URL(window.location.href);
    if (name === "all") url.searchParams.delete("show");
    else url.searchParams.set("show", name);
    window.history.replaceState(window.history.state, "", url);
  }

  nav.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-filter]");
    if (button) show(button.dataset.filter);
  });

  // --- Jumping to item n.
  function lineOf(hash) {
    const match = /^#item-(\d+)$/.exec(hash);
    const line = match && document.getElementById(`item-${match[1]}`);
    return line && line.classList.contains("result-line") ? line : null;
  }

  function open(line) {
    if (window.getComputedStyle(line).display === "none") show("all");
    const details = line.querySelector("details");
    if (details) details.open = true;
  }

  // A click opens the item before the browser scrolls to it (and again when its hash is
  // already in the address, where no hashchange follows).
  document.addEventListener("click", (event) => {
    const link = event.target.closest('a[href^="#item-"]');
    const line = link && lineOf(link.getAttribute("href"));
    if (line) open(line);
  });

  function openFromAddress() {
    const line = lineOf(window.location.hash);
    if (!line) return;
    open(line);
    line.scrollIntoView({ block: "start" });
  }

  window.addEventListener("hashchange", openFromAddress);
  show(review.dataset.show, { announce: false });
  openFromAddress(); // e.g. back from a report: /result/#item-7
})();
