/* Desk-floor kiosks: clock, on-screen keypad and keyboard, ticket printing, idle return,
   rating panel refresh and QR scanning. No dependencies; works on any Chromium kiosk. */
(function () {
  "use strict";

  var IDLE_RETURN_MS = 90000;

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function startClock() {
    var clock = document.querySelector("[data-kiosk-clock]");
    if (!clock) return;
    // The desk's time zone, not the kiosk machine's: a misconfigured device still shows local time.
    var format = new Intl.DateTimeFormat("en-GB", {
      timeZone: clock.getAttribute("data-time-zone") || undefined,
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      day: "2-digit", month: "2-digit", year: "numeric"
    });
    function tick() {
      var parts = {};
      format.formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
      clock.textContent = parts.hour + ":" + parts.minute + " · " +
        parts.day + "/" + parts.month + "/" + parts.year;
    }
    tick();
    window.setInterval(tick, 15000);
  }

  function typeInto(input, key) {
    if (!input) return;
    var value = input.value;
    var max = input.maxLength > 0 ? input.maxLength : 200;
    if (key === "backspace") {
      value = value.slice(0, -1);
    } else if (key === "clear") {
      value = "";
    } else if (key === "space") {
      value = value.length && value.slice(-1) !== " " ? value + " " : value;
    } else if (value.length < max) {
      value = value + key;
    }
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function bindKeys() {
    document.querySelectorAll("[data-keypad], [data-osk]").forEach(function (pad) {
      var targetId = pad.getAttribute("data-keypad") || pad.getAttribute("data-osk");
      var input = document.getElementById(targetId);
      pad.addEventListener("click", function (event) {
        var key = event.target.closest("[data-key]");
        if (!key) return;
        event.preventDefault();
        typeInto(input, key.getAttribute("data-key"));
      });
      // The keyboard follows whichever field of the form has the focus.
      var form = pad.closest("form");
      if (form && pad.hasAttribute("data-osk")) {
        form.addEventListener("focusin", function (event) {
          if (event.target.matches("input.kiosk-input")) input = event.target;
        });
      }
    });
  }

  function printTicket() {
    var ticket = document.querySelector("[data-auto-print]");
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
    if (!ticket) return;
    window.setTimeout(function () {
      window.print();
    }, 300);
    var back = ticket.getAttribute("data-return-url");
    if (back) {
      window.setTimeout(function () {
        window.location.assign(back);
      }, 15000);
    }
  }

  function idleReturn() {
    // Lookup kiosks go back to the start screen when nobody touched them for a while.
    var home = document.querySelector(".kiosk-lookup .kiosk-links a");
    if (!home || !document.body.classList.contains("kiosk-lookup")) return;
    var timer;
    function reset() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        window.location.assign(window.location.pathname);
      }, IDLE_RETURN_MS);
    }
    ["pointerdown", "keydown"].forEach(function (name) {
      document.addEventListener(name, reset, { passive: true });
    });
    reset();
  }

  function ratingPanel() {
    var panel = document.querySelector("[data-rating-panel]");
    if (!panel) return;
    var refresh = parseInt(panel.getAttribute("data-idle-refresh") || "0", 10);
    var delay = panel.hasAttribute("data-thanked") ? 4000 : refresh;
    if (delay > 0) {
      window.setTimeout(function () {
        window.location.assign(window.location.pathname);
      }, delay);
    }
  }

  function codeFromScan(text) {
    var match = /[?&]code=([^&#]+)/.exec(text);
    return match ? decodeURIComponent(match[1].replace(/\+/g, " ")) : text;
  }

  function dossierScan() {
    var form = document.querySelector("[data-dossier-form]");
    if (!form) return;
    var codeInput = form.querySelector("[data-scan-target]");
    var verifier = form.querySelector("#kiosk-verifier");
    // USB/2D scanners type the QR text (the lookup URL) and Enter: keep only the code.
    codeInput.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        codeInput.value = codeFromScan(codeInput.value.trim());
        if (verifier) verifier.focus();
      }
    });
    codeInput.addEventListener("change", function () {
      codeInput.value = codeFromScan(codeInput.value.trim());
    });
    var button = form.querySelector("[data-camera-scan]");
    var video = form.querySelector("[data-camera-preview]");
    if (!button || !video || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
        .then(function (stream) {
          video.srcObject = stream;
          video.hidden = false;
          return video.play().then(function () {
            function scan() {
              detector.detect(video).then(function (codes) {
                if (codes.length) {
                  codeInput.value = codeFromScan(codes[0].rawValue);
                  stream.getTracks().forEach(function (track) { track.stop(); });
                  video.hidden = true;
                  if (verifier) verifier.focus();
                } else {
                  window.requestAnimationFrame(scan);
                }
              });
            }
            scan();
          });
        })
        .catch(function () {
          button.hidden = true;
        });
    });
  }

  startClock();
  bindKeys();
  printTicket();
  idleReturn();
  ratingPanel();
  dossierScan();
})();
