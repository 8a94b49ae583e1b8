// Progressive enhancement of ordering questions: move items without a page reload.
// Without JavaScript the Move buttons post the form and the server re-renders the order.
(function () {
  "use strict";
  var list = document.getElementById("order-list");
  var status = document.getElementById("order-status");
  if (!list) { return; }

  function refresh() {
    var items = list.querySelectorAll(".order-item");
    items.forEach(function (li, i) {
      li.querySelector('button[value^="up:"]').disabled = i === 0;
      li.querySelector('button[value^="down:"]').disabled = i === items.length - 1;
    });
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button.move");
    if (!button) { return; }
    event.preventDefault();
    var li = button.closest(".order-item");
    var up = button.value.indexOf("up:") === 0;
    var sibling = up ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) { return; }
    if (up) { list.insertBefore(li, sibling); } else { list.insertBefore(sibling, li); }
    refresh();
    var again = li.querySelector(up ? 'button[value^="up:"]' : 'button[value^="down:"]');
    (again.disabled ? li.querySelector("button.move:not([disabled])") : again).focus();
    var texts = Array.prototype.map.call(list.querySelectorAll(".order-text"), function (el, i) {
      return (i + 1) + ". " + el.textContent;
    });
    status.textContent = li.querySelector(".order-text").textContent + " moved " +
      (up ? "up" : "down") + ". Order now: " + texts.join("; ") + ".";
  });
})();
