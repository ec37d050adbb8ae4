// The durable answer queue of an attempt: what the candidate chooses (an answer, a mark, a
// struck-out choice) is written to this browser's storage *before* it is sent, and stays
// there until the server acknowledges it. So a choice survives a lost connection, a failed
// move, a closed tab: every page of the attempt sends what is pending when it loads, when
// the browser comes back online, and (with keepalive) when the page goes away.
//
// The server stays the authority: the queue only carries what the candidate chose, each
// answer numbered by when it was chosen, and the server keeps the newest per item. Entries
// are keyed by user and attempt (a shared computer never sends one person's answers for
// another) and are removed on acknowledgement; the result page reports and removes what the
// server refused because the attempt had closed; logging out and deleting the account clear
// the site's storage (the server's Clear-Site-Data header).
//
// Used by the taking, review and result pages: window.CrssAnswerQueue, configured by the
// element with data-answer-queue.
(function () {
  "use strict";

  const host = document.querySelector("[data-answer-queue]");
  if (!host) return;
  const config = host.dataset;
  const prefix = `crss-prep:queue:${config.user}:${config.attempt}:`;
  const listeners = {};
  const inFlight = new Map(); // storage key -> the entry being sent
  const onTheWire = new Set(); // the sends not answered yet: a flush waits for them too
  const closedKeys = new Set(); // refused because the attempt closed: kept for the result page
  let retryTimer = null;
  let retryDelay = 1000;
  let lastSequence = 0;
  let leaving = false;

  function on(event, listener) {
    (listeners[event] = listeners[event] || []).push(listener);
  }

  function emit(event, detail) {
    for (const listener of listeners[event] || []) listener(detail);
  }

  // --- Storage. Each entry has its own key, so two tabs never overwrite each other's.
  function read(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function write(key, entry) {
    try {
      window.localStorage.setItem(key, JSON.stringify(entry));
    } catch (error) {
      // Storage full or refused (private mode): the save is still sent; it just would not
      // survive the page.
    }
  }

  function pending() {
    const entries = [];
    for (let index = 0; index < window.localStorage.length; index += 1) {
      const key = window.localStorage.key(index);
      if (key && key.startsWith(prefix)) {
        const entry = read(key);
        if (entry) entries.push(Object.assign({ key: key }, entry));
      }
    }
    return entries.sort((a, b) => a.position - b.position);
  }

  function forget(entry) {
    // Only the entry that was sent: a newer choice made meanwhile stays queued.
    const stored = read(entry.key);
    if (stored && stored.sequence === entry.sequence) window.localStorage.removeItem(entry.key);
  }

  // A choice is numbered by the time it was made (ms), so that of two tabs the later choice
  // wins; never below what this page already used or knows the item holds.
  function nextSequence(knownVersion) {
    lastSequence = Math.max(Date.now(), lastSequence + 1, (knownVersion || 0) + 1);
    return lastSequence;
  }

  function answer(position, choice, letter, knownVersion) {
    const entry = { kind: "answer", position: position, choice: choice, letter: letter };
    entry.sequence = nextSequence(knownVersion);
    write(`${prefix}answer:${position}`, entry);
    flush();
    return entry;
  }

  function mark(position, marked) {
    const entry = { kind: "mark", position: position, marked: marked, sequence: nextSequence() };
    write(`${prefix}mark:${position}`, entry);
    flush();
  }

  // One entry per choice: striking B and then C sends both, whatever tab sent which.
  function strike(position, choice, letter, struck) {
    const entry = { kind: "strike", position: position, choice: choice, letter: letter };
    entry.struck = struck;
    entry.sequence = nextSequence();
    write(`${prefix}strike:${position}:${choice}`, entry);
    flush();
  }

  // --- Sending.
  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function request(entry, keepalive) {
    const body = new URLSearchParams();
    let url;
    if (entry.kind === "answer") {
      url = config.answerUrl.replace("{n}", entry.position);
      body.set("choice", entry.choice);
      body.set("sequence", String(entry.sequence));
    } else if (entry.kind === "strike") {
      url = config.strikeUrl.replace("{n}", entry.position);
      body.set(entry.struck ? "strike" : "restore", entry.choice);
    } else {
      url = config.markUrl.replace("{n}", entry.position);
      if (entry.marked) body.set("marked", "on");
    }
    return fetch(url, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
      keepalive: Boolean(keepalive),
    });
  }

  async function send(entry) {
    let response;
    try {
      response = await request(entry);
    } catch (error) {
      return "offline";
    }
    const data = await response.json().catch(() => ({}));
    // A lapsed session answers with the login page (a redirect, a 200 of HTML) or a CSRF
    // refusal: nothing was stored, so the entry stays until the candidate is back in.
    if (response.redirected || response.status === 403 || (response.ok && !isAnswer(data))) {
      return "signed-out";
    }
    if (response.ok) {
      forget(entry);
      emit("saved", Object.assign({ entry: entry }, data));
      return "saved";
    }
    if (response.status === 409 && data.reason === "stale") {
      forget(entry); // a newer choice for this item is stored: this one must not win
      emit("stale", Object.assign({ entry: entry }, data));
      return "stale";
    }
    if (response.status === 409) {
      // The attempt is closed: the entry stays for the result page to report.
      emit("closed", Object.assign({ entry: entry }, data));
      return "closed";
    }
    if (response.status === 400 || response.status === 404) {
      forget(entry); // can never be saved (an item or choice the attempt does not have)
      emit("invalid", Object.assign({ entry: entry }, data));
      return "invalid";
    }
    return "retry"; // a server error: keep it and try again later
  }

  function isAnswer(data) {
    return (
      data.saved === true || typeof data.marked === "boolean" || typeof data.struck === "boolean"
    );
  }

  // Send every pending entry not already on the wire; resolves when this round is done and
  // so is every send already on the wire (a submit must not overtake a save).
  async function flush() {
    window.clearTimeout(retryTimer);
    const earlier = Array.from(onTheWire);
    // A newer answer may overtake an older one on the wire (the server keeps the newer by its
    // number); a mark or a strike carries no number the server compares, so a newer one
    // waits until the one on the wire is answered (and is sent by the round that follows).
    const round = sendable().filter((entry) => {
      const sending = inFlight.get(entry.key);
      return !sending || (entry.kind === "answer" && sending.sequence !== entry.sequence);
    });
    if (round.length) showStatus();
    const outcomes = await Promise.all(
      round.map(async (entry) => {
        inFlight.set(entry.key, entry);
        const sent = send(entry);
        onTheWire.add(sent);
        try {
          return await sent;
        } finally {
          onTheWire.delete(sent);
          if (inFlight.get(entry.key) === entry) inFlight.delete(entry.key);
        }
      })
    );
    if (outcomes.some((outcome) => ["offline", "signed-out", "retry"].includes(outcome))) {
      retryTimer = window.setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 15000);
    } else {
      retryDelay = 1000;
      if (sendable().some((entry) => !inFlight.has(entry.key))) flush(); // chosen meanwhile
    }
    // Even after an empty round: what was pending may have been sent by another tab.
    showStatus(outcomes.includes("offline"), outcomes.includes("signed-out"));
    await Promise.all(earlier);
    return outcomes;
  }

  function sendable() {
    return pending().filter((entry) => !closedKeys.has(entry.key));
  }

  on("closed", (detail) => closedKeys.add(detail.entry.key));

  // --- What the candidate is told.
  const status = document.getElementById("save-status");

  function showStatus(offline, signedOut) {
    if (!status || status.dataset.kind === "time-up") return; // the countdown has the word
    const unsaved = sendable().length;
    if (!unsaved) {
      status.textContent = "All answers saved";
      status.dataset.kind = "saved";
    } else if (offline || !navigator.onLine) {
      status.textContent =
        `Not saved yet (${unsaved}): offline. Kept on this device until you are back online.`;
      status.dataset.kind = "retrying";
    } else if (signedOut) {
      status.textContent =
        `Not saved yet (${unsaved}): you are signed out. Log in again in a new tab; your ` +
        "answers are kept on this device and sent from here once you are back.";
      status.dataset.kind = "retrying";
    } else {
      status.textContent = "Saving…";
      status.dataset.kind = "saving";
    }
  }

  // --- Page life: send on load, on reconnect, and as the page goes away; ask before leaving
  // with something unsaved (unless the page itself moves on, to the result say).
  if (!("closed" in config)) {
    window.addEventListener("online", flush);
    window.addEventListener("offline", () => showStatus(true));
  }
  window.addEventListener("pagehide", () => {
    for (const entry of sendable()) request(entry, true).catch(() => {});
  });
  window.addEventListener("beforeunload", (event) => {
    if (leaving || !sendable().length) return;
    event.preventDefault();
    event.returnValue = "";
  });

  window.CrssAnswerQueue = {
    answer: answer,
    mark: mark,
    strike: strike,
    flush: flush,
    on: on,
    pending: pending,
    sendable: sendable,
    leave: () => {
      leaving = true;
    },
  };

  // On the result page the attempt is closed. What is still queued either reached the
  // server before it closed (it answers "saved" for what it holds) or did not count: say
  // which items, then forget the queue.
  async function reportClosed() {
    const entries = pending();
    const outcomes = await Promise.all(entries.map(send));
    if (outcomes.includes("offline") || outcomes.includes("signed-out")) return; // not yet
    const lost = entries.filter((entry, index) => {
      return entry.kind === "answer" && outcomes[index] === "closed";
    });
    for (const entry of entries) window.localStorage.removeItem(entry.key);
    if (!lost.length) return;
    const list = lost.map((entry) => `item ${entry.position} (${entry.letter})`).join(", ");
    host.textContent =
      `Not counted: your ${lost.length === 1 ? "answer" : "answers"} to ${list} reached us ` +
      "only after the exam had closed, so the result shows what was saved before.";
    host.hidden = false;
  }

  if ("closed" in config) {
    leaving = true; // nothing here can be saved any more: never hold the candidate back
    window.addEventListener("online", reportClosed);
    reportClosed();
  } else if (sendable().length) {
    flush();
  }
})();
