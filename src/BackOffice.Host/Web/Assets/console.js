// Keyboard shortcuts for the console. Every page works without this script; it only adds keys:
// "/" focuses the page's search field, "g" then a letter goes to a page (the letters are the
// data-key attributes of the navigation links).
(function () {
  "use strict";
  let pendingG = false;
  document.addEventListener("keydown", function (event) {
    const target = event.target;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
    if (typing || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "/") {
      const search = document.querySelector("[data-search]");
      if (search) {
        event.preventDefault();
        search.focus();
      }
      return;
    }
    if (pendingG) {
      pendingG = false;
      const link = document.querySelector('nav a[data-key="' + event.key + '"]');
      if (link) {
        event.preventDefault();
        link.click();
      }
      return;
    }
    if (event.key === "g") {
      pendingG = true;
      setTimeout(function () { pendingG = false; }, 1500);
    }
  });
  // Tells whoever drives the page (a person never needs it) that the keys work now.
  document.documentElement.dataset.keys = "ready";
})();
