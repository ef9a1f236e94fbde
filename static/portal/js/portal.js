/* Site-wide behaviour: mobile navigation toggle, print buttons, confirmations. No dependencies. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var toggle = document.querySelector("[data-nav-toggle]");
  var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && nav) {
    var mobile = window.matchMedia("(max-width: 860px)");
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.setAttribute("data-collapsed", open ? "false" : "true");
    };
    setOpen(!mobile.matches);
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    var onChange = function () {
      setOpen(!mobile.matches);
    };
    if (mobile.addEventListener) {
      mobile.addEventListener("change", onChange);
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && mobile.matches && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // <button type="button" data-print>In</button>
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });

  // <form data-confirm="Bạn chắc chắn?">: asks before submitting.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();
