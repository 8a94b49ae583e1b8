// Offer the browser's own time zone on the account settings page: a button that picks it
// in the select (the user still saves the form). Without JavaScript the select alone works.
(function () {
  "use strict";
  var select = document.getElementById("time_zone");
  var offer = document.querySelector(".browser-zone");
  var button = document.getElementById("use-browser-zone");
  if (!select || !offer || !button || !window.Intl) { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var option = zone && Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
  if (!option || select.value === zone) { return; }
  button.textContent = "Use this device's zone: " + option.textContent;
  offer.hidden = false;
  button.addEventListener("click", function () {
    select.value = zone;
    select.focus();
  });
}());
