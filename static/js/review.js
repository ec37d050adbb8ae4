// The review screen: counts and the item grid include what this device chose but has not
// saved yet; the filters narrow the grid without a page load; Submit asks in a dialog that
// names how many items are unanswered, and sends what is queued before submitting.
(function () {
  "use strict";

  const queue = window.CrssAnswerQueue;
  const grid = document.getElementById("review-grid");
  const form = document.getElementById("submit-form");
  const dialog = document.getElementById("submit-dialog");
  if (!queue || !grid || !form || !dialog) return;
  const cells = Array.from(grid.querySelectorAll("li"));
  const linkOf = (cell) => cell.querySelector("a");

  for (const entry of queue.pending()) {
    const link = document.getElementById(`palette-${entry.position}`);
    if (!link) continue;
    if (entry.kind === "answer") link.classList.add("answered");
    if (entry.kind === "mark") link.classList.toggle("marked", entry.marked);
  }

  const isAnswered = (cell) => linkOf(cell).classList.contains("answered");
  const isMarked = (cell) => linkOf(cell).classList.contains("marked");
  const FILTERS = { all: () => true, unanswered: (cell) => !isAnswered(cell), marked: isMarked };

  function counts() {
    const answered = cells.filter(isAnswered).length;
    return { answered: answered, unanswered: cells.length - answered, marked: cells.filter(isMarked).length };
  }

  function showCounts() {
    const now = counts();
    for (const node of document.querySelectorAll("[data-count]")) {
      node.textContent = String(now[node.dataset.count]);
    }
    for (const cell of cells) {
      const spoken = linkOf(cell).querySelector(".visually-hidden");
      spoken.textContent =
        (isAnswered(cell) ? ", answered" : ", unanswered") +
        (isMarked(cell) ? ", marked for review" : "");
    }
  }

  // --- Filters.
  document.getElementById("review-filters").addEventListener("click", (event) => {
    const button = event.target.closest("[data-filter]");
    if (!button) return;
    event.preventDefault();
    const keep = FILTERS[button.dataset.filter];
    for (const cell of cells) cell.hidden = !keep(cell);
    for (const other of document.querySelectorAll("[data-filter]")) {
      const chosen = other === button;
      other.classList.toggle("btn-secondary", chosen);
      other.classList.toggle("btn-outline-secondary", !chosen);
      if (chosen) other.setAttribute("aria-current", "true");
      else other.removeAttribute("aria-current");
    }
    window.history.replaceState(null, "", button.getAttribute("href"));
  });

  // --- Submitting.
  const text = document.getElementById("submit-dialog-text");
  const wait = document.getElementById("submit-dialog-wait");
  const confirmButton = document.getElementById("submit-confirm");

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const now = counts();
    const unanswered =
      now.unanswered === 0
        ? "Every item has an answer."
        : `${now.unanswered} ${now.unanswered === 1 ? "item is" : "items are"} unanswered ` +
          "and will count as wrong.";
    const marked = now.marked
      ? ` ${now.marked} ${now.marked === 1 ? "item is" : "items are"} marked for review.`
      : "";
    text.textContent = `${unanswered}${marked} You cannot change answers after submitting.`;
    wait.textContent = "";
    confirmButton.disabled = false;
    dialog.showModal();
  });

  document.getElementById("submit-cancel").addEventListener("click", () => dialog.close());

  confirmButton.addEventListener("click", async () => {
    confirmButton.disabled = true;
    wait.textContent = "";
    await queue.flush();
    const unsent = queue.sendable().length;
    if (unsent) {
      wait.textContent =
        `${unsent} ${unsent === 1 ? "answer is" : "answers are"} not saved yet: there is no ` +
        "connection. Submit once you are back online, so that they count.";
      confirmButton.disabled = false;
      return;
    }
    queue.leave();
    form.submit();
  });

  showCounts();
})();
