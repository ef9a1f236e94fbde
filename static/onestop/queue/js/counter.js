/* Clerk's counter page: keeps the waiting counts fresh from the board API every 5 seconds
   (the page itself only reloads after an action). */
(function () {
  "use strict";

  var box = document.querySelector("[data-counter-waiting]");
  if (!box) return;
  var url = box.getAttribute("data-board-url");
  var total = box.querySelector("[data-waiting-total]");

  function refresh() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (state) {
        var mine = 0;
        state.waiting_by_group.forEach(function (group) {
          var row = box.querySelector('[data-group="' + group.prefix + '"]');
          if (!row) return;
          row.querySelector("[data-waiting]").textContent = group.waiting;
          if (row.hasAttribute("data-served")) mine += group.waiting;
        });
        total.textContent = mine;
      })
      .catch(function () {
        /* keep the last counts; the next round retries */
      })
      .then(function () {
        window.setTimeout(refresh, 5000);
      });
  }

  window.setTimeout(refresh, 5000);
})();
