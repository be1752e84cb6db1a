/* Check-in by phone camera: read a finalist's QR code with the camera, put it in the check-in text box and submit
   that form, so the server takes the same path as a USB scanner typing the code and pressing Enter.

   The markup (applications/checkin.html) is a [data-camera-scan] box with a start and a stop button, a <video>,
   a live region and the messages in data-msg-* attributes (translated by the template). The decoder is jsQR,
   served from static/vendor/jsqr. The camera needs a secure page (HTTPS or localhost): elsewhere the button stays
   hidden and a note says why.

   After a check-in the page reloads; the camera starts again by itself until "Stop camera" is pressed, so the next
   finalist can be scanned at once. The code just sent is ignored until the camera has seen no code for a moment,
   so a finalist who keeps holding up their phone is not checked in twice. */
(function () {
  "use strict";

  const root = document.querySelector("[data-camera-scan]");
  if (!root) return;
  const form = document.getElementById(root.dataset.form);
  const input = form && form.querySelector("input[name=code]");
  const startButton = root.querySelector("[data-camera-start]");
  const stopButton = root.querySelector("[data-camera-stop]");
  const video = root.querySelector("video");
  const status = root.querySelector("[data-camera-status]");
  const unsupported = root.querySelector("[data-camera-unsupported]");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const ACTIVE_KEY = "hacknpu.checkinCamera";
  const LAST_KEY = "hacknpu.checkinCamera.last";
  const QUIET_MS = 1000; // no code seen for this long: the code just sent may be read again
  const FRAME_MS = 120; // decode about eight frames a second: enough, and light on a phone
  const MAX_SIDE = 720; // decode a scaled-down frame

  let stream = null;
  let timer = null;
  let lastCode = sessionStorage.getItem(LAST_KEY) || "";
  let lastSeenAt = Date.now();
  let audio = null;

  function say(key, extra) {
    status.textContent = (root.dataset[key] || "") + (extra ? " " + extra : "");
  }

  const supported =
    window.isSecureContext &&
    navigator.mediaDevices &&
    typeof navigator.mediaDevices.getUserMedia === "function" &&
    typeof window.jsQR === "function" &&
    form &&
    input;
  if (!supported) {
    unsupported.hidden = false;
    return;
  }
  startButton.hidden = false;

  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + 0.12);
    } catch (error) {
      /* no sound: the live region still says it */
    }
    if (navigator.vibrate) navigator.vibrate(80);
  }

  function stop({ remember } = { remember: false }) {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
    if (!remember) sessionStorage.removeItem(ACTIVE_KEY);
  }

  function scanFrame() {
    timer = null;
    if (!stream) return;
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "attemptBoth" });
      const text = code && code.data ? code.data.trim() : "";
      const now = Date.now();
      if (!text) {
        if (lastCode && now - lastSeenAt > QUIET_MS) {
          lastCode = "";
          sessionStorage.removeItem(LAST_KEY);
        }
      } else if (text === lastCode) {
        lastSeenAt = now;
      } else {
        found(text);
        return;
      }
    }
    timer = window.setTimeout(scanFrame, FRAME_MS);
  }

  function found(text) {
    beep();
    sessionStorage.setItem(LAST_KEY, text);
    stop({ remember: true }); // the next page starts the camera again
    input.value = text;
    say("msgRead");
    root.classList.add("camera-scan--hit");
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  }

  async function start() {
    if (stream) return;
    say("msgStarting");
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
    } catch (error) {
      stream = null;
      sessionStorage.removeItem(ACTIVE_KEY);
      say(error && error.name === "NotAllowedError" ? "msgDenied" : "msgNoCamera");
      return;
    }
    sessionStorage.setItem(ACTIVE_KEY, "1");
    video.srcObject = stream;
    video.hidden = false;
    startButton.hidden = true;
    stopButton.hidden = false;
    try {
      await video.play();
    } catch (error) {
      /* muted inline video plays; if not, frames still arrive */
    }
    say("msgScanning");
    lastSeenAt = Date.now();
    scanFrame();
  }

  startButton.addEventListener("click", () => {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)(); // unlocked by this click
    } catch (error) {
      audio = null;
    }
    start();
  });
  stopButton.addEventListener("click", () => {
    stop();
    say("msgStopped");
    startButton.focus();
  });
  window.addEventListener("pagehide", () => stop({ remember: true }));
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && stream) stop({ remember: true });
    else if (!document.hidden && sessionStorage.getItem(ACTIVE_KEY) === "1") start();
  });

  if (sessionStorage.getItem(ACTIVE_KEY) === "1") start();
})();
