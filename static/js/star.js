// The star buttons without a page load: the form is sent with fetch and the button flips to
// what the server answered. Without this script the form posts and the page comes back
// with a message. Two shapes of button: one form per button
// (templates/quizzes/_star_button.html, the wanted state in its hidden "starred" field), or
// many buttons sharing one form that holds the CSRF token (the result page: each button
// names its own formaction and carries "starred" as its value). Listens on the document,
// so buttons a page script adds later work too.
(function () {
  "use strict";

  // Draw ``button`` (of ``form``) as starred or not; tutor.js draws the item on screen
  // with it too, as window.crssStar.show.
  function show(form, button, starred) {
    const wanted = starred ? "0" : "1";
    if (button.name === "starred") {
      button.value = wanted;
    } else {
      form.querySelector("input[name=starred]").value = wanted;
    }
    button.setAttribute("aria-pressed", String(starred));
    button.classList.toggle("btn-warning", starred);
    button.classList.toggle("btn-outline-secondary", !starred);
    button.querySelector(".star-icon").textContent = starred ? "\u2605" : "\u2606";
    button.querySelector(".star-label").textContent = starred
      ? button.dataset.labelOn
      : button.dataset.labelOff;
  }

  async function send(form, button) {
    const status = form.querySelector(".star-status");
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    status.textContent = "";
    let response;
    try {
      // A button's formAction is the page's own address when it names none: ask first.
      const action = button.hasAttribute("formaction") ? button.formAction : form.action;
      response = await fetch(action, {
        method: "POST",
        body: new FormData(form, button),
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
      });
    } catch (error) {
      status.textContent = "The star was not saved: check the connection and try again.";
      return;
    }
    const data = await response.json().catch(() => null);
    if (response.ok && data && typeof data.starred === "boolean") {
      show(form, button, data.starred);
      // For a page that moves between items without a load (take.js): which item, now.
      const detail = { position: data.position, starred: data.starred };
      form.dispatchEvent(new CustomEvent("star-changed", { bubbles: true, detail: detail }));
    } else if (data && data.error) {
      status.textContent = data.error;
    } else {
      // Not an answer from the star endpoint (a lapsed session's login page, say): let the
      // plain form go, with this button's action and value, so the server says what
      // happened.
      form.dataset.plain = "1";
      form.requestSubmit(button);
    }
  }

  window.crssStar = { show: show };

  document.addEventListener("submit", (event) => {
    const form = event.target.closest ? event.target.closest("form[data-star-form]") : null;
    if (!form || form.dataset.plain) return;
    const submitter = event.submitter;
    const button =
      submitter && submitter.classList.contains("star-button")
        ? submitter
        : form.querySelector(".star-button");
    if (!button) return;
    event.preventDefault();
    if (button.dataset.busy) return;
    button.dataset.busy = "1";
    send(form, button).finally(() => {
      delete button.dataset.busy;
    });
  });
})();
