/* The assistant's chat: the panel on every page and the full page. No inline script (CSP).
   Without JavaScript the form posts to /tro-ly-ao/ and the page answers. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "vi";
  var T = lang === "en"
    ? { you: "You", wait: "Looking it up…", error: "The assistant is unavailable, please try again.", alt: "Did you mean:", source: "Source:" }
    : { you: "Bạn", wait: "Đang tìm…", error: "Trợ lý ảo đang bận, vui lòng thử lại.", alt: "Có phải bạn muốn hỏi:", source: "Nguồn:" };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  function link(item, cls) {
    var a = el("a", cls, item.label || item.name);
    a.href = item.url;
    return a;
  }
  function list(items, ordered) {
    var ul = el(ordered ? "ol" : "ul");
    items.forEach(function (item) { var li = el("li"); li.appendChild(item); ul.appendChild(li); });
    return ul;
  }
  function card(p) {
    var span = el("span");
    span.appendChild(link(p));
    if (p.level_label) span.appendChild(document.createTextNode(" (" + p.level_label + ")"));
    return span;
  }
  function render(answer) {
    var box = el("div", "assistant-answer" + (answer.low_confidence ? " assistant-answer--low" : ""));
    box.appendChild(el("p", "", answer.text));
    if (answer.items.length) box.appendChild(list(answer.items.map(function (t) { return document.createTextNode(t); })));
    if (answer.low_confidence && answer.procedures.length) box.appendChild(list(answer.procedures.map(card), true));
    if (answer.links.length) {
      var p = el("p", "assistant-links");
      answer.links.forEach(function (l) { p.appendChild(link(l, "button-link")); p.appendChild(document.createTextNode(" ")); });
      box.appendChild(p);
    }
    if (answer.alternatives.length && !answer.low_confidence) {
      box.appendChild(el("p", "assistant-alt", T.alt));
      box.appendChild(list(answer.alternatives.map(card)));
    }
    if (answer.source) {
      var s = el("p", "assistant-source", T.source + " ");
      s.appendChild(link(answer.source));
      box.appendChild(s);
    }
    return box;
  }

  function setup(root) {
    var form = root.querySelector("[data-assistant-form]");
    var input = root.querySelector("[data-assistant-input]");
    var log = root.querySelector("[data-assistant-log]");
    var conversation = root.querySelector("[data-assistant-conversation]");
    var busy = false;
    function ask(message) {
      if (busy || !message.trim()) return;
      busy = true;
      var q = el("div", "assistant-question");
      q.appendChild(el("p", "", message));
      log.appendChild(q);
      var wait = el("p", "assistant-wait", T.wait);
      log.appendChild(wait);
      var body = { message: message };
      if (conversation.value) body.conversation = conversation.value;
      fetch(root.getAttribute("data-api"), {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept-Language": lang },
        body: JSON.stringify(body),
        credentials: "same-origin"
      }).then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok || r.status === 429, data: data }; });
      }).then(function (res) {
        wait.remove();
        if (!res.ok || !res.data.text) throw new Error("bad answer");
        conversation.value = res.data.conversation;
        log.appendChild(render(res.data));
      }).catch(function () {
        wait.remove();
        log.appendChild(el("p", "assistant-answer assistant-error", T.error));
      }).then(function () {
        busy = false;
        log.scrollTop = log.scrollHeight;
        input.value = "";
        input.focus();
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      ask(input.value);
    });
    root.querySelectorAll("[data-assistant-suggestion]").forEach(function (button) {
      button.addEventListener("click", function () { ask(button.textContent.trim()); });
    });
  }

  document.querySelectorAll("[data-assistant]").forEach(setup);

  var panel = document.querySelector("[data-assistant-panel]");
  if (panel) {
    var toggle = panel.querySelector("[data-assistant-toggle]");
    var body = panel.querySelector(".assistant--panel");
    var open = function (state) {
      body.hidden = !state;
      toggle.setAttribute("aria-expanded", state ? "true" : "false");
      panel.classList.toggle("assistant-panel--open", state);
      (state ? body.querySelector("[data-assistant-input]") : toggle).focus();
    };
    toggle.addEventListener("click", function () { open(body.hidden); });
    panel.querySelector("[data-assistant-close]").addEventListener("click", function () { open(false); });
    panel.addEventListener("keydown", function (event) { if (event.key === "Escape" && !body.hidden) open(false); });
  }
})();
