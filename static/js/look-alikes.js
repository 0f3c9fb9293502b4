// "Bedoel je deze vraag?" while a club types a new request: after a pause in typing, ask the server for the
// club's own open requests that look alike and show them above the file field (an aria-live region). Without
// JavaScript the form works as before.
(function () {
  "use strict";
  var box = document.getElementById("look-alikes");
  if (!box || !window.fetch) { return; }
  var form = box.closest("form");
  var title = form.elements.namedItem("title");
  var description = form.elements.namedItem("description");
  var timer = null;
  var asked = "";

  function ask() {
    var club = form.elements.namedItem("club");
    var query = new URLSearchParams({
      club: club ? club.value : "",
      titel: title ? title.value : "",
      beschrijving: description ? description.value.slice(0, 2000) : ""
    }).toString();
    if (query === asked) { return; }
    asked = query;
    fetch(box.dataset.url + "?" + query, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        if (html === null || query !== asked) { return; }
        // The server renders the fragment with every text escaped (templates/club/_look_alikes.html).
        box.innerHTML = html;
      })
      .catch(function () { /* no suggestions; filing works as before */ });
  }

  [title, description].forEach(function (field) {
    if (field) {
      field.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(ask, 400);
      });
    }
  });
}());
