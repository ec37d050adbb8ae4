// Tutor mode on the taking page, drawn for take.js (window.CrssTutor): once the server has
// checked an item's answer, its choices are disabled and say which is the key and which was
// chosen, each with its feedback, and below them come "Correct" or "Not quite: the answer is
// C", the explanation, the topic's notes and the star button. The feedback always comes from
// the server (the page's JSON for the items answered before it loaded, the save's answer
// after): nothing here knows the key of an item not answered yet. Until the save is
// acknowledged the item says its answer waits, on this device when offline.
(function () {
  "use strict";

  const box = document.getElementById("feedback");
  if (!box) return;
  const summary = document.getElementById("feedback-summary");
  const explanation = document.getElementById("feedback-explanation");
  const notes = document.getElementById("feedback-notes");
  const topic = document.getElementById("feedback-topic");
  const pending = document.getElementById("tutor-pending");
  const verdict = document.getElementById("tutor-verdict");
  const starForm = box.querySelector("form[data-star-form]");
  const OFFLINE = "Saved on this device; it will be checked once you are back online.";
  const CHECKING = "Saved; checking your answer\u2026";
  let shown = null; // the item on screen

  function tag(name, text) {
    const element = document.createElement(name);
    element.className = "choice-tag";
    element.textContent = text;
    return element;
  }

  // One choice row of a checked item (take.js has drawn it as for any item).
  function decorate(row, item, choice) {
    const feedback = item.feedback;
    if (!feedback) return;
    const isKey = choice.key === feedback.key;
    const isChosen = choice.key === feedback.choice;
    row.querySelector("input").disabled = true;
    row.querySelector(".strike-button").disabled = true;
    row.classList.toggle("is-key", isKey);
    row.classList.toggle("is-chosen-wrong", isChosen && !isKey);
    const label = row.querySelector("label");
    if (isKey) label.append(tag("strong", " (correct answer)"));
    if (isChosen) label.append(tag("em", " (your answer)"));
    const found = feedback.choices.find((entry) => entry.key === choice.key);
    if (found && found.feedback) {
      const note = document.createElement("div");
      note.className = "choice-feedback small";
      note.innerHTML = found.feedback; // rendered and sanitized on the server
      row.append(note);
    }
  }

  // The star button of the item on screen, as _star_button.html draws it.
  function showStar(starred, action) {
    starForm.action = action;
    window.crssStar.show(starForm, starForm.querySelector(".star-button"), starred);
    starForm.querySelector(".star-status").textContent = "";
  }

  function waiting(item) {
    if (!item || item.feedback || !item.chosen) return "";
    return navigator.onLine ? CHECKING : OFFLINE;
  }

  // Below the choices: the feedback once checked, else what the chosen answer waits for.
  function show(item, starAction) {
    shown = item;
    verdict.textContent = "";
    const feedback = item.feedback;
    box.hidden = !feedback;
    pending.textContent = waiting(item);
    if (!feedback) return;
    summary.textContent = feedback.summary;
    explanation.innerHTML = feedback.explanation; // rendered and sanitized on the server
    notes.href = feedback.topic_url;
    topic.textContent = feedback.topic_title;
    showStar(item.starred, starAction);
  }

  // Said at once, politely, and where focus goes: "Correct" or "Not quite: the answer is C".
  function announce(feedback) {
    verdict.textContent = feedback.summary;
    summary.focus();
  }

  function refresh() {
    pending.textContent = waiting(shown);
  }

  window.addEventListener("online", refresh);
  window.addEventListener("offline", refresh);
  window.CrssTutor = { decorate: decorate, show: show, announce: announce };
})();
