/* Filter a long list of checkboxes by typing (progressive enhancement).
 *
 * Markup: <div class="checkbox-filter" data-checkbox-filter="<id of the fieldset>" hidden> with a labelled
 * <input type="search"> and an element [data-filter-status] (aria-live). Without JavaScript the block stays
 * hidden and every checkbox shows. Case and accents are ignored; checked boxes always stay visible.
 */
(function () {
  "use strict";
  function plain(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("[data-checkbox-filter]").forEach(function (wrapper) {
    var input = wrapper.querySelector("input[type=search]");
    var list = document.getElementById(wrapper.getAttribute("data-checkbox-filter"));
    var status = wrapper.querySelector("[data-filter-status]");
    if (!input || !list) { return; }
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    function apply() {
      var query = plain(input.value.trim());
      var shown = 0;
      items.forEach(function (item) {
        var box = item.querySelector("input[type=checkbox]");
        var match = !query || plain(item.textContent).indexOf(query) !== -1 || (box && box.checked);
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (status) {
        status.textContent = query ? shown + (shown === 1 ? " keuze" : " keuzes") + " zichtbaar" : "";
      }
    }
    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // typing a filter never submits the form
      if (event.key === "Escape" && input.value) { input.value = ""; apply(); }
    });
    wrapper.hidden = false;
  });
})();
