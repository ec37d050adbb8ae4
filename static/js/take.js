// The taking page: every item of the attempt came with the page (#attempt-items), so moving
// to another item, choosing, marking and striking out a choice need no page load. Each item
// keeps its own URL (history.pushState: Back works, a reload shows the same item), focus goes
// to the item's heading after a move, and single-key shortcuts work while the item has focus
// (they can be turned off, as WCAG 2.1.4 asks). Without this script the same page works with
// its links and plain forms.
(function () {
  "use strict";

  const contentNode = document.getElementById("attempt-items");
  const stateNode = document.getElementById("attempt-state");
  const queue = window.CrssAnswerQueue;
  if (!contentNode || !stateNode || !queue) return;
  // Each item's stem and choices (the same for every view of the attempt), and apart from
  // them what changes: the answer, its version, the mark, the struck-out choices' keys.
  // A tutor session's page adds the answered items' feedback and the starred items (tutor.js).
  const data = JSON.parse(stateNode.textContent);
  const tutor = data.tutor ? window.CrssTutor : null;
  const checkedOnLoad = data.feedback || {};
  const items = new Map(
    JSON.parse(contentNode.textContent).map((content, index) => {
      const [chosen, marked, version, struckKeys] = data.items[index];
      const struck = new Set(struckKeys);
      const item = Object.assign(content, { position: index + 1, chosen, marked, version, struck });
      item.feedback = checkedOnLoad[item.position] || null;
      item.starred = (data.starred || []).includes(item.position);
      return [item.position, item];
    })
  );
  const region = document.getElementById("item-region");
  const heading = document.getElementById("item-heading");
  const answerForm = document.getElementById("answer-form");
  const stem = document.getElementById("stem");
  const choicesBox = document.getElementById("choices");
  const previousLink = document.getElementById("previous-link");
  const nextLink = document.getElementById("next-link");
  const markButton = document.getElementById("mark-button");
  const markBadge = document.getElementById("marked-badge");
  const notice = document.getElementById("attempt-notice");
  const SHORTCUTS_KEY = "crss-prep:shortcuts";

  let current = Number(heading.querySelector("[data-field=position]").textContent);
  let strikeNotice = ""; // the last strike (or refusal) said in the notice, cleared by a move

  const url = (name, position) => data.urls[name].replace("{n}", position);

  // What this device chose but the server has not acknowledged yet is the candidate's answer.
  for (const entry of queue.pending()) {
    const item = items.get(entry.position);
    if (!item) continue;
    if (entry.kind === "answer" && !item.feedback) item.chosen = entry.choice;
    if (entry.kind === "mark") item.marked = entry.marked;
    if (entry.kind === "strike") setStruck(item, entry.choice, entry.struck);
  }

  function setStruck(item, key, struck) {
    if (struck) item.struck.add(key);
    else item.struck.delete(key);
  }

  // --- Showing an item.
  function choiceRow(item, choice) {
    const row = document.createElement("div");
    row.className = "form-check choice";
    const input = document.createElement("input");
    input.className = "form-check-input";
    input.type = "radio";
    input.name = "choice";
    input.id = `choice-${choice.key}`;
    input.value = choice.key;
    input.checked = item.chosen === choice.key;
    const label = document.createElement("label");
    label.className = "form-check-label";
    label.htmlFor = input.id;
    const letter = document.createElement("span");
    letter.className = "choice-letter";
    letter.textContent = `${choice.letter}.`;
    label.append(letter, " ");
    // Rendered from Markdown and sanitized (nh3) on the server, like the stem.
    label.insertAdjacentHTML("beforeend", choice.html);
    const note = document.createElement("span");
    note.className = "visually-hidden struck-note";
    note.textContent = " (struck out)";
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "btn btn-sm btn-outline-secondary strike-button";
    button.id = `strike-${choice.key}`;
    button.value = choice.key;
    button.formAction = url("strike", item.position); // for the plain page's form post
    const spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.textContent = ` choice ${choice.letter}`;
    button.append("Strike out", spoken);
    label.append(note);
    row.append(input, label, button);
    showStrike(row, item.struck.has(choice.key));
    if (tutor) tutor.decorate(row, item, choice);
    return row;
  }

  // A struck choice: drawn struck (and said so in its label), its button pressed. The name
  // of the button is for the plain page (take_item), which posts it without this script.
  function showStrike(row, struck) {
    row.classList.toggle("is-struck", struck);
    row.querySelector(".struck-note").hidden = !struck;
    const button = row.querySelector(".strike-button");
    button.setAttribute("aria-pressed", String(struck));
    button.name = struck ? "restore" : "strike";
  }

  function showMark(item) {
    markButton.textContent = item.marked ? "Unmark" : "Mark for review";
    markButton.setAttribute("aria-pressed", String(item.marked));
    markButton.value = item.marked ? "" : "on"; // what the plain page's form post would ask
    markBadge.hidden = !item.marked;
    updatePalette(item);
  }

  function showLink(link, position) {
    link.classList.toggle("invisible", !items.has(position)); // keeps its place
    link.href = items.has(position) ? url("item", position) : "";
  }

  function render(position) {
    const item = items.get(position);
    current = position;
    heading.querySelector("[data-field=position]").textContent = String(position);
    stem.innerHTML = item.stem; // sanitized on the server
    choicesBox.replaceChildren(...item.choices.map((choice) => choiceRow(item, choice)));
    answerForm.action = url("answer", position);
    answerForm.querySelector("input[name=sequence]").value = String(item.version + 1);
    markButton.formAction = url("mark", position);
    if (notice.textContent === strikeNotice) notice.textContent = ""; // about the last item
    showLink(previousLink, position - 1);
    showLink(nextLink, position + 1);
    showMark(item);
    if (tutor) tutor.show(item, url("star", position));
    for (const link of document.querySelectorAll(".palette-link")) {
      const here = link.id === `palette-${position}`;
      link.classList.toggle("current", here);
      if (here) link.setAttribute("aria-current", "step");
      else link.removeAttribute("aria-current");
    }
    document.title = document.title.replace(/^Item \d+/, `Item ${position}`);
  }

  function moveTo(position, push) {
    if (!items.has(position)) return;
    render(position);
    if (push) window.history.pushState({ position: position }, "", url("item", position));
    // As a new page would: from the top (the sticky bar would hide a heading scrolled to).
    window.scrollTo(0, 0);
    heading.focus({ preventScroll: true });
  }

  function updatePalette(item) {
    const link = document.getElementById(`palette-${item.position}`);
    if (!link) return;
    link.classList.toggle("answered", Boolean(item.chosen));
    link.classList.toggle("marked", item.marked);
    const spoken = link.querySelector(".visually-hidden");
    spoken.textContent =
      (item.chosen ? ", answered" : ", unanswered") + (item.marked ? ", marked for review" : "");
  }

  // --- Choosing and marking.
  function choose(key) {
    const item = items.get(current);
    const choice = item.choices.find((c) => c.key === key);
    if (!choice || item.feedback) return; // a checked answer is final
    item.chosen = key;
    queue.answer(item.position, key, choice.letter, item.version);
    updatePalette(item);
    if (tutor) tutor.show(item, url("star", item.position));
  }

  function toggleMark() {
    const item = items.get(current);
    item.marked = !item.marked;
    queue.mark(item.position, item.marked);
    showMark(item);
  }

  // Striking out leaves the answer as it is (and choosing leaves strikes): see set_struck.
  function toggleStrike(key) {
    const item = items.get(current);
    const choice = item.choices.find((c) => c.key === key);
    if (!choice || item.feedback) return;
    const struck = !item.struck.has(key);
    setStruck(item, key, struck);
    queue.strike(item.position, key, choice.letter, struck);
    showStrike(rowOf(key), struck);
    const done = struck ? "struck out" : "restored";
    strikeNotice = `Choice ${choice.letter} of item ${item.position} ${done}.`;
    notice.textContent = strikeNotice; // a polite status: said without moving focus
  }

  function rowOf(key) {
    return document.getElementById(`choice-${key}`).closest(".choice");
  }

  answerForm.addEventListener("change", (event) => {
    if (event.target.name === "choice") choose(event.target.value);
  });
  answerForm.addEventListener("submit", (event) => event.preventDefault());
  markButton.addEventListener("click", (event) => {
    event.preventDefault(); // no submit of #answer-form: the queue sends the mark
    toggleMark();
  });
  choicesBox.addEventListener("click", (event) => {
    const button = event.target.closest(".strike-button");
    if (!button) return;
    event.preventDefault(); // no submit of #answer-form: the queue sends the strike
    toggleStrike(button.value);
  });
  document.addEventListener("star-changed", (event) => {
    const item = items.get(event.detail.position);
    if (item) item.starred = event.detail.starred;
  });

  // --- What the server says back.
  queue.on("saved", (detail) => {
    const item = items.get(detail.entry.position);
    if (!item || detail.entry.kind !== "answer") return;
    if (detail.feedback) return checked(item, detail.feedback, detail.version);
    // The attempt's tabs share the queue: what this page sent may be another tab's later
    // choice. Show it, unless a still newer choice waits to be sent.
    const waiting = queue
      .pending()
      .some((entry) => entry.kind === "answer" && entry.position === item.position);
    if (detail.choice !== item.chosen && detail.version >= item.version && !waiting) {
      adoptNewer(item, detail.choice, detail.version);
    } else {
      item.version = Math.max(item.version, detail.version);
    }
  });
  queue.on("stale", (detail) => {
    // Another tab or window chose later for this item: show its answer, and say so.
    const item = items.get(detail.position);
    if (!item) return;
    if (detail.feedback) return checked(item, detail.feedback, detail.version, detail.error);
    adopt(item, detail.choice, detail.version);
    answeredElsewhere(item);
  });
  queue.on("invalid", (detail) => {
    notice.textContent = `Item ${detail.entry.position}: ${detail.error || "not saved."}`;
  });

  function answeredElsewhere(item) {
    notice.textContent =
      `Item ${item.position} was answered in another tab or window after this one; ` +
      "that newer answer is kept and shown here.";
  }

  // Another tab's later answer: show it, and say so where it replaces one shown here.
  function adoptNewer(item, chosen, version) {
    const replaced = item.chosen && item.chosen !== chosen;
    adopt(item, chosen, version);
    if (replaced) answeredElsewhere(item);
  }

  // Tutor mode: the server checked the item's answer. On screen, it is drawn anew, focus goes
  // to the verdict and the status line says it ("Correct", "Not quite: the answer is C").
  function checked(item, feedback, version, message) {
    item.feedback = feedback;
    adopt(item, feedback.choice, Math.max(item.version, version || 0));
    if (item.position !== current) return;
    render(current);
    if (message) notice.textContent = strikeNotice = message; // cleared by a move
    tutor.announce(feedback);
  }

  function adopt(item, chosen, version) {
    item.chosen = chosen;
    item.version = version;
    updatePalette(item);
    if (item.position === current) {
      for (const input of choicesBox.querySelectorAll("input[name=choice]")) {
        input.checked = input.value === chosen;
      }
    }
  }

  // What a pending entry holds back from a re-sync: an item's answer, its mark, one strike.
  function waitingKey(entry) {
    const what = `${entry.kind}:${entry.position}`;
    return entry.kind === "strike" ? `${what}:${entry.choice}` : what;
  }

  // The countdown re-reads the attempt when the page comes back into view: take what other
  // tabs saved meanwhile, except where this device still has a choice on its way.
  document.addEventListener("attempt-state", (event) => {
    const waiting = new Set(queue.pending().map(waitingKey));
    const marked = new Set(event.detail.marked);
    for (const item of items.values()) {
      const feedback = (event.detail.feedback || {})[item.position];
      if (feedback && !item.feedback) checked(item, feedback, 0);
      const stored = event.detail.answers[item.position];
      if (stored && stored.version > item.version && !waiting.has(`answer:${item.position}`)) {
        adoptNewer(item, stored.choice, stored.version);
      }
      if (!waiting.has(`mark:${item.position}`) && item.marked !== marked.has(item.position)) {
        item.marked = marked.has(item.position);
        if (item.position === current) showMark(item);
        else updatePalette(item);
      }
      const struck = new Set(event.detail.struck[item.position] || "");
      for (const { key } of item.choices) {
        if (waiting.has(`strike:${item.position}:${key}`)) continue;
        if (item.struck.has(key) === struck.has(key)) continue;
        setStruck(item, key, struck.has(key));
        if (item.position === current) showStrike(rowOf(key), struck.has(key));
      }
    }
  });

  // --- Moving: links stay links; the script only intercepts them.
  function positionIn(path) {
    const match = path.match(/\/items\/(\d+)\/$/);
    return match ? Number(match[1]) : null;
  }

  function interceptMove(event) {
    const link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const position = positionIn(link.getAttribute("href"));
    if (position === null || !items.has(position)) return;
    event.preventDefault();
    moveTo(position, true);
  }

  previousLink.addEventListener("click", interceptMove);
  nextLink.addEventListener("click", interceptMove);
  document.querySelector(".palette-list").addEventListener("click", interceptMove);
  window.addEventListener("popstate", () => {
    moveTo(positionIn(window.location.pathname), false);
  });
  window.history.replaceState({ position: current }, "", window.location.href);

  // --- Single-key shortcuts, only while the item has focus, and only if not turned off.
  const help = document.getElementById("shortcut-help");
  const toggle = document.getElementById("shortcut-toggle");
  let shortcutsOn = window.localStorage.getItem(SHORTCUTS_KEY) !== "off";

  function showShortcuts() {
    toggle.textContent = shortcutsOn ? "Turn keyboard shortcuts off" : "Turn keyboard shortcuts on";
    toggle.setAttribute("aria-pressed", String(shortcutsOn));
    document.getElementById("shortcut-text").hidden = !shortcutsOn;
  }

  toggle.addEventListener("click", () => {
    shortcutsOn = !shortcutsOn;
    window.localStorage.setItem(SHORTCUTS_KEY, shortcutsOn ? "on" : "off");
    showShortcuts();
  });

  region.addEventListener("keydown", (event) => {
    if (!shortcutsOn || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    const item = items.get(current);
    const index = "abcdef".indexOf(key) >= 0 ? "abcdef".indexOf(key) : "123456".indexOf(key);
    if (event.shiftKey && "abcdef".includes(key)) {
      if (index >= item.choices.length) return;
      toggleStrike(item.choices[index].key); // Shift+A-F: strike out, or restore
    } else if (index >= 0 && index < item.choices.length && !item.feedback) {
      const input = document.getElementById(`choice-${item.choices[index].key}`);
      input.checked = true;
      input.focus();
      choose(input.value);
    } else if (key === "n") {
      moveTo(current + 1, true);
    } else if (key === "p") {
      moveTo(current - 1, true);
    } else if (key === "m") {
      toggleMark();
    } else {
      return;
    }
    event.preventDefault();
  });

  // --- Taking over from the plain page.
  for (const element of document.querySelectorAll(".no-script-only")) element.hidden = true;
  document.getElementById("review-link").addEventListener("click", () => queue.leave());
  help.hidden = false;
  showShortcuts();
  // A choice made on the plain page before this script took over (a tap while it loaded)
  // is the candidate's latest: keep it rather than redraw the server's.
  const early = answerForm.querySelector("input[name=choice]:checked");
  if (early && early.value !== data.items[current - 1][0]) choose(early.value);
  render(current); // the queue's pending choices may differ from what the server rendered
})();
