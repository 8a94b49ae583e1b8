// Live sessions: ask the server about once a second whether the session moved on, and
// reload the page when it did. A poll answered 304 costs the server one small query.
// The projector's "answered" count and the countdowns change in place.
(function () {
  "use strict";
  var main = document.querySelector("[data-live-poll]");
  if (!main) return;
  var url = main.getAttribute("data-live-poll");
  var etag = main.getAttribute("data-live-etag");
  var first = null;
  var answered = document.querySelector("[data-live-answered]");
  var joined = document.querySelector("[data-live-joined]");
  var countdowns = document.querySelectorAll("[data-live-countdown]");

  function same(a, b) {
    return a.version === b.version && a.phase === b.phase && a.position === b.position;
  }

  function poll() {
    fetch(url, { headers: { "If-None-Match": '"' + etag + '"' }, cache: "no-cache", credentials: "same-origin" })
      .then(function (response) {
        if (response.status !== 200) return null;
        etag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
        return response.json();
      })
      .then(function (state) {
        if (!state) return;
        if (first === null) first = state;
        if (!same(first, state)) { window.location.reload(); return; }
        // "12 of 25 answered" and "25 joined" count up in place.
        if (answered && state.answered !== null) {
          answered.textContent = state.answered + " of " + state.joined + " answered";
        }
        if (joined && state.joined !== null) joined.textContent = state.joined + " joined";
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { window.setTimeout(poll, 1000); });
  }

  function tick() {
    countdowns.forEach(function (el) {
      var left = parseInt(el.textContent, 10);
      if (left > 0) el.textContent = String(left - 1);
    });
  }

  // The page was rendered in this state: its first poll tells what that state is.
  var parts = (etag || "").split("-");
  first = { version: parseInt(parts[0], 10), phase: parts[1], position: parseInt(parts[2], 10) };
  window.setInterval(tick, 1000);
  window.setTimeout(poll, 1000);
})();
