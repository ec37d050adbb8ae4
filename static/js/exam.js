// The exam-taking page: countdown from the server's deadline, instant answer saves with
// retries, automatic submit at time-up, and a confirmation before submitting.
// The page works without this script (plain form posts); this only makes it nicer.
(function () {
  "use strict";

  const bar = document.getElementById("exam-bar");
  if (!bar) return;
  const timer = document.getElementById("timer");
  const timerAlert = document.getElementById("timer-alert");
  const saveStatus = document.getElementById("save-status");
  const autoSubmit = document.getElementById("auto-submit");
  const answerForm = document.getElementById("answer-form");
  const submitForm = document.getElementById("submit-form");
  const stateUrl = bar.dataset.stateUrl;

  // --- Countdown: always computed from a deadline the server gave us, never by counting ticks.
  let deadline = performance.now() + Number(bar.dataset.remainingSeconds) * 1000;
  let submitted = false;
  const announced = new Set();

  function format(seconds) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const mm = String(m).padStart(2, "0");
    const ss = String(s).padStart(2, "0");
    return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
  }

  function tick() {
    const left = Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
    timer.textContent = format(left);
    for (const mark of [300, 60]) {
      if (left <= mark && left > 0 && !announced.has(mark)) {
        announced.add(mark);
        timerAlert.textContent = `${mark / 60} minute${mark > 60 ? "s" : ""} left.`;
        bar.classList.add("time-short");
      }
    }
    if (left === 0) submitNow();
  }

  // The server gives the time left in whole seconds, rounded down, so this page's zero can
  // come up to a second before the real deadline. Submitting a moment after zero (well within
  // the server's grace for late saves) gives the candidate every second they are owed, lets a
  // last save still on the wire land, and records the attempt as ended by time-up.
  const AUTO_SUBMIT_DELAY_MS = 1500;

  function submitNow() {
    if (submitted || !autoSubmit) return;
    submitted = true;
    timer.textContent = "00:00";
    saveStatus.textContent = "Time is up: submitting your exam…";
    delete saveStatus.dataset.kind;
    window.setTimeout(() => autoSubmit.submit(), AUTO_SUBMIT_DELAY_MS);
  }

  async function resync() {
    try {
      const response = await fetch(stateUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (!response.ok) return;
      const state = await response.json();
      if (state.status !== "in_progress") {
        window.location.assign(state.result_url);
        return;
      }
      deadline = performance.now() + state.remaining_seconds * 1000;
      if (state.revision > sequence) window.location.reload(); // changed in another tab
    } catch (error) {
      // Offline: keep counting from the last known deadline.
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") resync();
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) resync();
  });
  tick();
  window.setInterval(tick, 500);

  // --- Saving answers as soon as they are chosen.
  let sequence = Number(bar.dataset.revision);
  let retryTimer = null;

  function csrfToken(form) {
    return form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  function showStatus(text, kind) {
    saveStatus.textContent = text;
    saveStatus.dataset.kind = kind;
  }

  async function save(choice, mySequence, attempt) {
    const body = new FormData();
    body.append("choice", choice);
    body.append("sequence", String(mySequence));
    try {
      const response = await fetch(answerForm.action, {
        method: "POST",
        body: body,
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(answerForm) },
        credentials: "same-origin",
      });
      if (response.ok) {
        if (mySequence === sequence) showStatus("Saved", "saved");
        const current = document.querySelector(".palette-link.current");
        if (current) {
          current.classList.add("answered");
          const spoken = current.querySelector(".visually-hidden");
          if (spoken) spoken.textContent = spoken.textContent.replace(", unanswered", ", answered");
        }
        return;
      }
      if (response.status === 409 || response.status === 400) {
        const data = await response.json().catch(() => ({}));
        showStatus(data.error || "Not saved.", "error");
        window.setTimeout(() => window.location.reload(), 1500);
        return;
      }
      throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      if (mySequence !== sequence) return; // a newer choice replaced this one
      showStatus("Not saved, retrying…", "retrying");
      const delay = Math.min(10000, 1000 * 2 ** attempt);
      retryTimer = window.setTimeout(() => save(choice, mySequence, attempt + 1), delay);
    }
  }

  if (answerForm) {
    answerForm.addEventListener("change", function (event) {
      if (event.target.name !== "choice") return;
      window.clearTimeout(retryTimer);
      sequence += 1;
      answerForm.querySelector("input[name=sequence]").value = String(sequence + 1);
      showStatus("Saving…", "saving");
      save(event.target.value, sequence, 0);
    });
  }

  // --- Submit once, after a confirmation.
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      if (submitted || !window.confirm(submitForm.dataset.confirm)) {
        event.preventDefault();
        return;
      }
      submitted = true;
      submitForm.querySelector("button[type=submit]").disabled = true;
    });
  }
})();
