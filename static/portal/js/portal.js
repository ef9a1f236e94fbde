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

  // A table box that really scrolls sideways can be scrolled with the keyboard (focusable,
  // named after its table's caption or the section heading); one that fits is left alone.
  var scrollBoxes = document.querySelectorAll(".table-responsive");
  var markScrollable = function () {
    scrollBoxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          var caption = box.querySelector("caption");
          var section = box.closest("section");
          var heading = section && section.querySelector("h2, h3");
          var name = (caption || heading || {}).textContent;
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          if (name) {
            box.setAttribute("aria-label", name.trim());
          }
        }
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  };
  markScrollable();
  window.addEventListener("resize", markScrollable);

  // <form data-confirm="Bạn chắc chắn?">: asks before submitting.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();
