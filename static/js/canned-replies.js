/* Sjablonen on a request's page (progressive enhancement).
 *
 * Without JavaScript "Invoegen" reloads the page with ?sjabloon=<id> and the server fills the reply box. With it,
 * the chosen sjabloon's text (filled in by the server: each <option> carries it in data-text) goes in at the
 * cursor, so what was typed already stays; the text remains editable before sending.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-canned-replies]");
  var box = document.getElementById(form ? form.getAttribute("data-canned-replies") : "");
  if (!form || !box) { return; }
  var status = form.querySelector("[data-canned-status]");
  form.addEventListener("submit", function (event) {
    var option = form.querySelector("select").selectedOptions[0];
    if (!option || !option.hasAttribute("data-text")) { return; }
    event.preventDefault();
    box.setRangeText(option.getAttribute("data-text"), box.selectionStart, box.selectionEnd, "end");
    box.focus();
    if (status) { status.textContent = "Sjabloon ‘" + option.textContent.trim() + "’ ingevoegd."; }
  });
}());
