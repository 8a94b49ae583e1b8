// "Time left" counts down on the page; the server's count is what holds. At zero a test's
// page saves its answer (the server then submits the attempt at its limit); any other page
// goes on once the grace has passed. Without JavaScript the page says until when.
(function () {
  "use strict";
  var timer = document.getElementById("time-left");
  if (!timer) { return; }
  var clock = timer.querySelector(".time-left-clock");
  var ends = Date.now() + Number(timer.getAttribute("data-seconds")) * 1000;

  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function timeUp() {
    var form = document.getElementById(timer.getAttribute("data-save") || "");
    if (form) {
      var go = document.createElement("input");
      go.type = "hidden";
      go.name = "go";
      go.value = "timeup";
      form.appendChild(go);
      form.submit();
    } else if (timer.getAttribute("data-then")) {
      window.setTimeout(function () {
        window.location.assign(timer.getAttribute("data-then"));
      }, 6000);
    }
  }

  var tick = window.setInterval(function () {
    var left = Math.max(0, Math.floor((ends - Date.now()) / 1000));
    clock.textContent = format(left);
    if (left === 0) {
      window.clearInterval(tick);
      timeUp();
    }
  }, 1000);
})();
