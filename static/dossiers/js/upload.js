/* Dossier forms: preview chosen files, check them, keep "continue/submit" disabled while a file is
   being read or a required document is missing, submit once, print buttons. No framework. */
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

  function showFiles(input, form) {
    var slot = input.closest("[data-upload-slot]");
    var list = slot.querySelector("[data-pending]");
    var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
    list.textContent = "";
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
      meta.appendChild(el("span", "muted small", humanSize(file.size) + " · chưa gửi"));
      item.appendChild(preview);
      item.appendChild(meta);
      if (problem) {
        item.appendChild(el("p", "field-error", problem));
        slot.setAttribute("data-invalid", "true");
      } else {
        checkMagic(file, item, slot, form);
      }
      list.appendChild(item);
    });
    update(form);
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

  document.querySelectorAll("[data-upload-form]").forEach(function (form) {
    form.querySelectorAll("[data-upload-slot] input[type=file]").forEach(function (input) {
      input.addEventListener("change", function () { showFiles(input, form); });
    });
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
