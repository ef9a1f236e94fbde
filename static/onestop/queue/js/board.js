/* Display board: polls GET /api/v1/desks/{id}/board/ about every second and redraws the counters
   and the waiting list in place (no reload). A new call or a recall flashes the counter and,
   once sound is switched on, rings a chime and reads the call aloud (Vietnamese voice if any). */
(function () {
  "use strict";

  var board = document.querySelector("[data-board]");
  if (!board) return;

  var url = board.getAttribute("data-board-url");
  var pollMs = parseInt(board.getAttribute("data-poll-ms") || "1000", 10);
  var labels = {
    counter: board.getAttribute("data-label-counter"),
    idle: board.getAttribute("data-label-idle"),
    offline: board.getAttribute("data-label-offline"),
    announce: board.getAttribute("data-label-announce")
  };
  var countersEl = board.querySelector("[data-board-counters]");
  var waitingEl = board.querySelector("[data-board-waiting]");
  var totalEl = board.querySelector("[data-board-waiting-total]");
  var statusEl = board.querySelector("[data-board-status]");
  var announceEl = board.querySelector("[data-board-announce]");
  var soundButton = board.querySelector("[data-board-sound]");
  var signatures = null; // counter id -> "ticket id:recall count" of the last state seen
  var soundOn = false;
  var audio = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function chime() {
    if (!soundOn || !audio) return;
    [880, 660].forEach(function (freq, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      var start = audio.currentTime + i * 0.35;
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.4, start + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 0.32);
    });
  }

  function speak(text) {
    if (!soundOn || !("speechSynthesis" in window)) return;
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = "vi-VN";
    window.speechSynthesis.speak(utterance);
  }

  function announceText(code, number) {
    return labels.announce.replace("%(code)s", code).replace("%(counter)s", number);
  }

  function render(state) {
    var next = {};
    var fresh = [];
    var items = state.counters.map(function (counter) {
      var ticket = counter.ticket;
      var li = el("li", "board-counter" + (ticket ? " is-active" : ""));
      li.setAttribute("data-counter-id", counter.id);
      li.appendChild(el("span", "board-counter-name", labels.counter + " " + counter.number));
      var code = el("span", "board-counter-ticket", ticket ? ticket.code : labels.idle);
      code.setAttribute("data-ticket-code", "");
      li.appendChild(code);
      li.appendChild(el("span", "board-counter-groups", counter.groups.join(" · ")));
      var signature = ticket ? ticket.id + ":" + ticket.recall_count : "";
      next[counter.id] = signature;
      if (signatures && signature && signatures[counter.id] !== signature) {
        li.classList.add("is-new");
        fresh.push(announceText(ticket.code, counter.number));
      }
      return li;
    });
    countersEl.replaceChildren.apply(countersEl, items);
    waitingEl.replaceChildren.apply(waitingEl, state.waiting.map(function (ticket) {
      var li = el("li", "", ticket.code);
      li.setAttribute("data-ticket-id", ticket.id);
      return li;
    }));
    totalEl.textContent = state.waiting_total;
    signatures = next;
    if (fresh.length) {
      announceEl.textContent = fresh.join(" · ");
      chime();
      fresh.forEach(speak);
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (state) {
        statusEl.textContent = "";
        render(state);
      })
      .catch(function () {
        statusEl.textContent = labels.offline;
      })
      .then(function () {
        window.setTimeout(poll, pollMs);
      });
  }

  if (soundButton) {
    // Browsers only allow sound after a touch or click on the page.
    soundButton.addEventListener("click", function () {
      soundOn = true;
      var AudioContext = window.AudioContext || window.webkitAudioContext;
      if (AudioContext && !audio) audio = new AudioContext();
      soundButton.setAttribute("aria-pressed", "true");
      chime();
    });
  }

  poll();
})();
