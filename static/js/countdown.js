// The countdown of an attempt's pages: always computed from the deadline the server gave,
// never by counting ticks; re-synced from the server when the page comes back into view;
// two announcements (5 and 1 minute left) through a polite live region; at zero, what is
// still queued is sent and the attempt submitted, once.
(function () {
  "use strict";

  const bar = document.getElementById("exam-bar");
  const queue = window.CrssAnswerQueue;
  if (!bar || !queue) return;
  const timer = document.getElementById("timer");
  const timerAlert = document.getElementById("timer-alert");
  const saveStatus = document.getElementById("save-status");
  const autoSubmit = document.getElementById("auto-submit");
  const WARNINGS = [300, 60];

  let deadline = performance.now() + Number(bar.dataset.remainingSeconds) * 1000;
  let submitting = false;
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
    // Only the nearest warning, once: a page opened with 30 s left says "1 minute", not both.
    const due = WARNINGS.filter((mark) => left > 0 && left <= mark);
    const nearest = Math.min(...due);
    if (due.length && !announced.has(nearest)) {
      due.forEach((mark) => announced.add(mark));
      timerAlert.textContent = `${nearest / 60} minute${nearest > 60 ? "s" : ""} left.`;
      bar.classList.add("time-short");
    }
    if (left === 0) submitAtTimeUp();
  }

  // The server gives the time left in whole seconds, rounded down, so this page's zero can
  // come up to a second before the real deadline. Waiting a moment after zero (well within
  // the server's 5 s grace for late saves) gives the candidate every second they are owed,
  // and lets what is still queued land before the submit.
  const AUTO_SUBMIT_DELAY_MS = 1500;
  const LAST_SEND_MS = 3000;

  async function submitAtTimeUp() {
    if (submitting || !autoSubmit) return;
    submitting = true;
    timer.textContent = "00:00";
    saveStatus.textContent = "Time is up: submitting your exam…";
    saveStatus.dataset.kind = "time-up"; // the queue's own status no longer replaces this
    await new Promise((resolve) => window.setTimeout(resolve, AUTO_SUBMIT_DELAY_MS));
    // Offline, the submit would end on the browser's error page, the exam in limbo: wait
    // for the connection (what is queued is sent then; the server closes the attempt at
    // its deadline in any case).
    if (!navigator.onLine) {
      saveStatus.textContent = "Time is up: your exam will be submitted when you are back online.";
      await new Promise((resolve) => window.addEventListener("online", resolve, { once: true }));
      saveStatus.textContent = "Time is up: submitting your exam…";
    }
    await Promise.race([
      queue.flush(),
      new Promise((resolve) => window.setTimeout(resolve, LAST_SEND_MS)),
    ]);
    queue.leave(); // what is left is reported on the result page
    autoSubmit.submit();
  }

  async function resync() {
    try {
      const response = await fetch(bar.dataset.stateUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (!response.ok) return;
      const state = await response.json();
      if (state.status !== "in_progress") {
        queue.leave();
        window.location.assign(state.result_url);
        return;
      }
      deadline = performance.now() + state.remaining_seconds * 1000;
      document.dispatchEvent(new CustomEvent("attempt-state", { detail: state }));
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
  window.addEventListener("online", resync);
  queue.on("closed", function (detail) {
    if (submitting) return;
    queue.leave();
    window.location.assign(detail.result_url || bar.dataset.resultUrl);
  });
  tick();
  window.setInterval(tick, 500);
})();
