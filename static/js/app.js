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
