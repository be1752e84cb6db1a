// HackNPU's small behaviours, all progressive: every page works without them. See docs/design-system.md.

// Countdowns: any element with data-countdown="<ISO time>" shows the time left, every second.
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function render(el) {
    const target = Date.parse(el.dataset.countdown);
    let left = Math.max(0, Math.floor((target - Date.now()) / 1000));
    const days = Math.floor(left / 86400); left -= days * 86400;
    const hours = Math.floor(left / 3600); left -= hours * 3600;
    const minutes = Math.floor(left / 60); const seconds = left - minutes * 60;
    const dayLabel = el.dataset.dayLabel || "d";
    el.textContent = (days ? days + dayLabel + " " : "") + pad(hours) + ":" + pad(minutes) + ":" + pad(seconds);
    if (target <= Date.now() && el.dataset.expired !== "1") {
      el.dataset.expired = "1";
      el.dispatchEvent(new CustomEvent("countdown-ended", { bubbles: true }));
    }
  }
  function tick() { document.querySelectorAll("[data-countdown]").forEach(render); }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
  document.addEventListener("htmx:afterSwap", tick);
})();

// Phone menu: a disclosure button (aria-expanded) that shows and hides the menu it controls.
(function () {
  function setOpen(button, open) {
    const menu = document.getElementById(button.getAttribute("aria-controls"));
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (menu) menu.classList.toggle("is-open", open);
  }
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-menu-toggle]");
    if (button) setOpen(button, button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll('[data-menu-toggle][aria-expanded="true"]').forEach(function (button) {
      const menu = document.getElementById(button.getAttribute("aria-controls"));
      if (menu && menu.contains(document.activeElement)) {
        setOpen(button, false);
        button.focus();
      }
    });
  });
})();

// Destructive actions ask first. A form (or its submit button) with data-confirm="question" opens the
// #confirm-dialog in base.html; data-confirm-button names the dialog's confirm button. htmx requests from
// such elements wait for the same answer (htmx:confirm).
(function () {
  function ask(message, confirmLabel) {
    const dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return Promise.resolve(window.confirm(message));
    dialog.querySelector("#confirm-dialog-message").textContent = message;
    const ok = dialog.querySelector("[data-confirm-ok]");
    ok.dataset.defaultLabel = ok.dataset.defaultLabel || ok.textContent;
    ok.textContent = confirmLabel || ok.dataset.defaultLabel;
    dialog.returnValue = "";
    return new Promise(function (resolve) {
      dialog.addEventListener("close", function () { resolve(dialog.returnValue === "ok"); }, { once: true });
      dialog.showModal();
    });
  }
  function question(form, submitter) {
    const source = submitter && submitter.dataset.confirm ? submitter : form;
    return source && source.dataset.confirm ? source : null;
  }
  function isHtmx(el) {
    return !!(el && el.closest("[hx-post],[hx-get],[hx-put],[hx-patch],[hx-delete],[hx-boost=true]"));
  }
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const source = question(form, event.submitter);
    if (!source || form.dataset.confirmed === "1" || isHtmx(form)) return;
    event.preventDefault();
    const submitter = event.submitter;
    ask(source.dataset.confirm, source.dataset.confirmButton).then(function (yes) {
      if (!yes) return;
      form.dataset.confirmed = "1";
      if (submitter) form.requestSubmit(submitter); else form.requestSubmit();
      delete form.dataset.confirmed;
    });
  }, true);
  document.addEventListener("htmx:confirm", function (event) {
    const elt = event.detail.elt;
    const trigger = event.detail.triggeringEvent;
    const source = question(elt, trigger && trigger.submitter);
    if (!source) return;
    event.preventDefault();
    ask(source.dataset.confirm, source.dataset.confirmButton).then(function (yes) {
      if (yes) event.detail.issueRequest(true);
    });
  });
  window.hacknpuConfirm = ask;
})();

// Forms with errors: focus the first invalid field (or the form's own error) when the page loads.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    const first = document.querySelector('main [aria-invalid="true"], main [data-form-errors]');
    if (first) first.focus();
  });
})();

// htmx refreshes keep the keyboard where it was. htmx itself refocuses an element with the same id after a
// swap, so focusable parts of live fragments carry stable ids; when the focused element is gone, focus goes to
// the refreshed region instead of <body>. Fragments announce changes through the stable #live-announcer
// (data-announce="…"), so the swapped parts themselves need no aria-live.
(function () {
  let focusedId = null;
  let regionId = null;
  const seen = new WeakSet(); // fragments already on the page: only newly swapped-in ones are announced
  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    const active = document.activeElement;
    if (target && active && active !== document.body && target.contains(active)) {
      focusedId = active.id || null;
      regionId = target.id || null;
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (regionId !== null && (document.activeElement === document.body || document.activeElement === null)) {
      const again = focusedId && document.getElementById(focusedId);
      const region = document.getElementById(regionId);
      if (again) again.focus({ preventScroll: true });
      else if (region) {
        if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1");
        region.focus({ preventScroll: true });
      }
    }
    focusedId = null; regionId = null;
    const announcer = document.getElementById("live-announcer");
    document.querySelectorAll("[data-announce]").forEach(function (el) {
      if (seen.has(el)) return;
      seen.add(el);
      if (announcer && el.dataset.announce) {
        announcer.textContent = "";
        setTimeout(function () { announcer.textContent = el.dataset.announce; }, 50);
      }
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-announce]").forEach(function (el) { seen.add(el); });
  });
})();
