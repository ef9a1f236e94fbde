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
  // Plain text for matching: lower case, no diacritics ("Đồng Nai" -> "dong nai").
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  }

  function fieldBefore(select, id, labelText, control) {
    var wrap = document.createElement("div");
    wrap.className = "form-field picker-step";
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = labelText;
    control.id = id;
    wrap.appendChild(label);
    wrap.appendChild(control);
    select.closest(".form-field").parentNode.insertBefore(wrap, select.closest(".form-field"));
    return control;
  }

  // <select data-searchable> grouped by district: a search box above filters its options.
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var original = Array.prototype.map.call(select.children, function (node) {
      return node.cloneNode(true);
    });
    var search = document.createElement("input");
    search.type = "search";
    search.setAttribute("autocomplete", "off");
    search.setAttribute("aria-controls", select.id);
    var searchLabel = document.createElement("label");
    searchLabel.className = "picker-search-label";
    searchLabel.setAttribute("for", select.id + "_search");
    searchLabel.textContent = select.getAttribute("data-search-label");
    search.id = select.id + "_search";
    search.className = "picker-search";
    select.parentNode.insertBefore(searchLabel, select);
    select.parentNode.insertBefore(search, select);
    search.addEventListener("input", function () {
      var wanted = fold(search.value.trim());
      var chosen = select.value;
      select.textContent = "";
      original.forEach(function (node) {
        var copy = node.cloneNode(true);
        if (copy.tagName === "OPTGROUP") {
          var groupHit = fold(copy.label).indexOf(wanted) >= 0;
          Array.prototype.slice.call(copy.children).forEach(function (option) {
            if (!groupHit && fold(option.textContent).indexOf(wanted) < 0) { option.remove(); }
          });
          if (copy.children.length) { select.appendChild(copy); }
        } else if (!copy.value || fold(copy.textContent).indexOf(wanted) >= 0) {
          select.appendChild(copy);
        }
      });
      select.value = chosen;
      if (select.value !== chosen) {
        var first = select.querySelector("option[value]:not([value=''])");
        if (first && wanted) { select.value = first.value; }
      }
    });
  });

  // <select data-unit-picker> of communes grouped "District — Province": province, then
  // district, then commune, each a select; without scripts the grouped list works alone.
  document.querySelectorAll("select[data-unit-picker]").forEach(function (select) {
    var groups = Array.prototype.filter.call(select.children, function (node) {
      return node.tagName === "OPTGROUP";
    }).map(function (group) {
      var parts = group.label.split(" — ");
      return { district: parts[0], province: parts[1] || "", node: group.cloneNode(true) };
    });
    if (!groups.length) { return; }
    var empty = select.querySelector("option[value='']");
    var provinces = [];
    groups.forEach(function (g) { if (provinces.indexOf(g.province) < 0) { provinces.push(g.province); } });
    function makeSelect(items, blank) {
      var control = document.createElement("select");
      control.appendChild(new Option(blank, ""));
      items.forEach(function (text) { control.appendChild(new Option(text, text)); });
      return control;
    }
    var province = fieldBefore(select, select.id + "_province", select.getAttribute("data-province-label"),
      makeSelect(provinces, "—"));
    var district = fieldBefore(select, select.id + "_district", select.getAttribute("data-district-label"),
      makeSelect([], "—"));
    function fillDistricts() {
      district.textContent = "";
      district.appendChild(new Option("—", ""));
      groups.filter(function (g) { return g.province === province.value; }).forEach(function (g) {
        district.appendChild(new Option(g.district, g.district));
      });
    }
    function fillCommunes() {
      var chosen = select.value;
      select.textContent = "";
      if (empty) { select.appendChild(empty.cloneNode(true)); }
      groups.filter(function (g) {
        return g.province === province.value && g.district === district.value;
      }).forEach(function (g) {
        Array.prototype.forEach.call(g.node.children, function (option) {
          select.appendChild(option.cloneNode(true));
        });
      });
      select.value = chosen;
      if (select.value !== chosen) { select.value = ""; }
    }
    var current = select.value && select.querySelector("option[value='" + select.value + "']");
    var start = current ? current.parentNode.label.split(" — ") : null;
    if (start) { province.value = start[1] || ""; } else if (provinces.length === 1) { province.value = provinces[0]; }
    fillDistricts();
    if (start) { district.value = start[0]; }
    fillCommunes();
    province.addEventListener("change", function () { fillDistricts(); fillCommunes(); });
    district.addEventListener("change", fillCommunes);
  });
  // <input data-suggest="/api/v1/procedures/">: the first procedures matching what is typed,
  // as links under the box (one tap to the procedure); Enter still opens the full results.
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var form = input.form;
    var list = form.querySelector("[data-suggestions]");
    var status = form.querySelector("[data-suggest-status]");
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 3) { list.hidden = true; list.textContent = ""; return; }
        asked = q;
        window.fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), {
          headers: { Accept: "application/json" }, credentials: "same-origin"
        }).then(function (response) {
          return response.ok ? response.json() : { results: [] };
        }).then(function (data) {
          if (asked !== q) { return; }
          list.textContent = "";
          (data.results || []).slice(0, 6).forEach(function (item) {
            var li = document.createElement("li");
            var link = document.createElement("a");
            link.href = item.url;
            link.textContent = item.name;
            li.appendChild(link);
            list.appendChild(li);
          });
          list.hidden = list.children.length === 0;
          if (status) {
            status.textContent = list.children.length ? list.children.length + " " + status.getAttribute("data-found") : "";
          }
        }).catch(function () { list.hidden = true; });
      }, 250);
    });
  });
  // <input data-date>: "20112026", "20-11-2026" or "20.11.2026" shown back as 20/11/2026 when
  // the field is left, so the person sees the date the server will read.
  document.querySelectorAll("input[data-date]").forEach(function (input) {
    // A native calendar beside the typed field, for those who prefer to pick (recent dates);
    // typing stays the fast way for a birth date decades ago.
    var native = document.createElement("input");
    native.type = "date";
    if (input.getAttribute("data-picker-label") && typeof native.showPicker === "function") {
      var picker = document.createElement("button");
      picker.type = "button";
      picker.className = "btn btn-secondary btn-sm date-picker-button";
      picker.textContent = input.getAttribute("data-picker-label");
      var label = input.id && document.querySelector("label[for='" + input.id + "']");
      if (label) { picker.setAttribute("aria-label", picker.textContent + ": " + label.textContent.replace("*", "").trim()); }
      native.className = "date-picker-native";
      native.tabIndex = -1;
      native.setAttribute("aria-hidden", "true");
      input.parentNode.classList.add("date-picker-host");
      input.insertAdjacentElement("afterend", picker);
      picker.insertAdjacentElement("afterend", native);
      picker.addEventListener("click", function () {
        var shown = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(input.value.trim());
        native.value = shown ? shown[3] + "-" + shown[2] + "-" + shown[1] : "";
        native.showPicker();
      });
      native.addEventListener("change", function () {
        var parts = native.value.split("-");
        if (parts.length === 3) { input.value = parts[2] + "/" + parts[1] + "/" + parts[0]; }
      });
    }
    input.addEventListener("blur", function () {
      var value = input.value.trim();
      var digits = /^(\d{2})(\d{2})(\d{4})$/.exec(value) ||
        /^(\d{1,2})[\-. ](\d{1,2})[\-. ](\d{4})$/.exec(value);
      if (digits) {
        var pad = function (part) { return part.length === 1 ? "0" + part : part; };
        input.value = pad(digits[1]) + "/" + pad(digits[2]) + "/" + digits[3];
      }
    });
  });
})();
