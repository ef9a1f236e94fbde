/* Dossier forms: preview chosen files, check them, upload them into the draft as soon as they are
   picked (forms with data-attach-url), keep "continue/submit" disabled while a file is being read
   or sent or a required document is missing, fill a relation's block, submit once, print
   buttons. No framework. */
(function () {
  "use strict";
  var ACCEPTED = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx"];
  var MAGIC = {
    pdf: [0x25, 0x50, 0x44, 0x46], jpg: [0xff, 0xd8, 0xff], jpeg: [0xff, 0xd8, 0xff],
    png: [0x89, 0x50, 0x4e, 0x47], docx: [0x50, 0x4b, 0x03, 0x04], xlsx: [0x50, 0x4b, 0x03, 0x04],
    doc: [0xd0, 0xcf, 0x11, 0xe0], xls: [0xd0, 0xcf, 0x11, 0xe0]
  };
  var pending = 0;

  function humanSize(bytes) {
    if (bytes < 1024) { return bytes + " B"; }
    if (bytes < 1048576) { return (bytes / 1024).toFixed(1).replace(".", ",") + " KB"; }
    return (bytes / 1048576).toFixed(1).replace(".", ",") + " MB";
  }

  function extension(name) {
    var dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function problemOf(file, maxBytes) {
    var ext = extension(file.name);
    if (ACCEPTED.indexOf(ext) < 0) {
      return "Định dạng không được chấp nhận. Chỉ nhận PDF, JPG, PNG, DOC, DOCX, XLS, XLSX.";
    }
    if (file.size === 0) { return "Tệp rỗng (0 byte), vui lòng chọn lại."; }
    if (maxBytes && file.size > maxBytes) {
      return "Tệp vượt quá " + Math.floor(maxBytes / 1048576) + " MB.";
    }
    return "";
  }

  function checkMagic(file, item, slot, form) {
    var ext = extension(file.name);
    var expected = MAGIC[ext];
    pending += 1;
    item.setAttribute("aria-busy", "true");
    update(form);
    var reader = new FileReader();
    reader.onloadend = function () {
      pending -= 1;
      item.removeAttribute("aria-busy");
      var bytes = new Uint8Array(reader.result || new ArrayBuffer(0));
      var ok = expected && expected.every(function (b, i) { return bytes[i] === b; });
      if (!ok) {
        item.appendChild(el("p", "field-error", "Nội dung tệp không đúng định dạng " + ext.toUpperCase() + "."));
        slot.setAttribute("data-invalid", "true");
      }
      update(form);
    };
    reader.readAsArrayBuffer(file.slice(0, 8));
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Send one picked file to the draft at once (data-attach-url): a progress bar while it goes,
  // then the stored file's row (name, size, "Xem"), so an error elsewhere never loses it.
  function sendFile(file, item, slot, form) {
    var bar = el("progress", "upload-progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Đang tải lên " + file.name);
    item.appendChild(bar);
    pending += 1;
    item.setAttribute("aria-busy", "true");
    update(form);
    var data = new FormData();
    data.append("slot", slot.getAttribute("data-slot"));
    data.append("file", file);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("data-attach-url"));
    xhr.setRequestHeader("X-CSRFToken", csrfToken(form));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { bar.value = Math.round(event.loaded * 100 / event.total); }
    });
    xhr.addEventListener("loadend", function () {
      pending -= 1;
      item.removeAttribute("aria-busy");
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (ignore) { answer = null; }
      if (xhr.status === 201 && answer) {
        var holder = document.createElement("ul");
        holder.innerHTML = answer.html;
        var stored = holder.firstElementChild;
        slot.querySelector("[data-uploaded]").appendChild(stored);
        var forms = document.createElement("div");
        forms.innerHTML = answer.remove_form;
        while (forms.firstElementChild) { document.body.appendChild(forms.firstElementChild); }
        item.remove();
        slot.removeAttribute("data-required");
        if (!form.hasAttribute("data-draft")) {
          form.setAttribute("data-draft", answer.draft);
          if (window.history && window.history.replaceState) {
            window.history.replaceState(null, "", answer.draft_url);
            form.setAttribute("action", answer.draft_url);
          }
        }
      } else {
        bar.remove();
        var message = (answer && answer.error) || "Không tải lên được tệp, vui lòng thử lại.";
        item.appendChild(el("p", "field-error", message));
        slot.setAttribute("data-invalid", "true");
      }
      update(form);
    });
    xhr.send(data);
  }

  function showFiles(input, form) {
    var slot = input.closest("[data-upload-slot]");
    var list = slot.querySelector("[data-pending]");
    var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
    var direct = form.hasAttribute("data-attach-url");
    if (!direct) { list.textContent = ""; }
    slot.removeAttribute("data-invalid");
    Array.prototype.forEach.call(input.files, function (file) {
      var item = el("li", "file-item");
      var preview = el("div", "file-preview");
      var ext = extension(file.name);
      var problem = problemOf(file, maxBytes);
      if (!problem && (ext === "jpg" || ext === "jpeg" || ext === "png")) {
        var img = el("img");
        img.src = URL.createObjectURL(file);
        img.alt = "Ảnh xem trước " + file.name;
        preview.appendChild(img);
      } else {
        // PDFs are not rendered inside the portal (Content-Security-Policy object-src 'none').
        preview.appendChild(el("span", "file-icon", (ext || "?").toUpperCase()));
      }
      var meta = el("div", "file-meta");
      meta.appendChild(el("strong", "", file.name));
      meta.appendChild(el("span", "muted small", humanSize(file.size) + (direct ? " · đang tải lên" : " · chưa gửi")));
      item.appendChild(preview);
      item.appendChild(meta);
      list.appendChild(item);
      if (problem) {
        item.appendChild(el("p", "field-error", problem));
        slot.setAttribute("data-invalid", "true");
      } else if (direct) {
        sendFile(file, item, slot, form);
      } else {
        checkMagic(file, item, slot, form);
      }
    });
    if (direct) { input.value = ""; }
    update(form);
  }

  // "Xóa tệp" without leaving the page (what was typed stays).
  function removeFile(button, form) {
    var target = document.getElementById(button.getAttribute("form"));
    if (!target || !window.confirm(target.getAttribute("data-confirm"))) { return; }
    var body = new FormData(target);
    window.fetch(target.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        var slot = button.closest("[data-upload-slot]");
        button.closest(".file-item").remove();
        target.remove();
        if (slot && slot.getAttribute("data-mandatory") === "true" &&
            !slot.querySelector("[data-uploaded] .file-item")) {
          slot.setAttribute("data-required", "true");
        }
        update(form);
      })
      .catch(function () { target.submit(); });
  }

  function update(form) {
    var missing = [];
    var invalid = false;
    form.querySelectorAll("[data-upload-slot]").forEach(function (slot) {
      var input = slot.querySelector("input[type=file]");
      if (slot.getAttribute("data-required") === "true" && input && input.files.length === 0) {
        missing.push(slot.querySelector("label").textContent.trim());
      }
      if (slot.getAttribute("data-invalid") === "true") { invalid = true; }
    });
    var hint = form.querySelector("[data-submit-hint]");
    var message = "";
    if (pending > 0) { message = "Đang kiểm tra tệp, vui lòng chờ…"; }
    else if (invalid) { message = "Có tệp không hợp lệ: chọn lại tệp được đánh dấu đỏ."; }
    else if (missing.length) { message = "Còn thiếu giấy tờ bắt buộc: " + missing.join("; ") + "."; }
    form.querySelectorAll("[data-needs-files]").forEach(function (button) {
      button.disabled = message !== "";
      button.setAttribute("aria-disabled", message !== "" ? "true" : "false");
    });
    if (hint) { hint.textContent = message; }
  }

  function fillRelation(form) {
    var spec = JSON.parse(form.getAttribute("data-relation-fill"));
    var select = form.querySelector("#id_tk-requester_relation");
    if (!select) { return; }
    select.addEventListener("change", function () {
      var pairs = spec[select.value] || {};
      Object.keys(pairs).forEach(function (target) {
        var to = document.getElementById("id_" + target);
        var from = document.getElementById("id_" + pairs[target]);
        if (to && from && (to.value === "" || to.hasAttribute("data-filled"))) {
          to.value = from.value;
          to.setAttribute("data-filled", "");
        }
      });
    });
  }

  document.querySelectorAll("[data-upload-form]").forEach(function (form) {
    form.querySelectorAll("[data-upload-slot] input[type=file]").forEach(function (input) {
      input.addEventListener("change", function () { showFiles(input, form); });
    });
    if (form.hasAttribute("data-relation-fill")) { fillRelation(form); }
    form.addEventListener("click", function (event) {
      var button = event.target.closest(".file-remove");
      if (button && form.hasAttribute("data-attach-url")) {
        event.preventDefault();
        removeFile(button, form);
      }
    });
    var summary = form.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    form.addEventListener("submit", function (event) {
      if (pending > 0) { event.preventDefault(); }
    });
    update(form);
  });

  document.querySelectorAll("[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
        });
      }, 0);
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
}());
