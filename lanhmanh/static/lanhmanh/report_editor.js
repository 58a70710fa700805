// The report's page: the narrative editor (Trix, vendored) and its buttons. No inline script or style (CSP):
// everything the page needs is in its markup (data-confirm on a button, the editor's hidden inputs).
(function () {
  "use strict";

  // Trix adds its default rules as inline <style> elements when it loads; the site's Content-Security-Policy
  // (style-src 'self') refuses them and says so in the console. The same rules come from the static
  // vendor/trix/trix-defaults.css, so those elements are not added: this script runs just before Trix (both
  // deferred, in order) and the ordinary behaviour is back once the page has loaded.
  var head = document.head;
  head.insertBefore = function (node, reference) {
    if (node && node.nodeName === "STYLE" && /^trix-/.test(node.getAttribute("data-tag-name") || "")) {
      return node;
    }
    return Node.prototype.insertBefore.call(this, node, reference);
  };
  document.addEventListener("DOMContentLoaded", function () {
    delete head.insertBefore;
  });

  // Buttons that ask before they act (submitting freezes the report): the question is in data-confirm.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Text only: no files or images are attached to a report's text (the sanitizer would drop them anyway).
  document.addEventListener("trix-file-accept", function (event) {
    event.preventDefault();
  });
  document.addEventListener("trix-attachment-add", function (event) {
    if (event.attachment && event.attachment.remove) {
      event.attachment.remove();
    }
  });

  // Leaving the page with unsaved text asks first; the form's own buttons (save, draft, refresh, submit) save it.
  var dirty = false;
  var ready = false;
  document.addEventListener("trix-initialize", function () {
    // Trix reports a change while it loads the saved text: count changes only after every editor is ready.
    window.setTimeout(function () { ready = true; }, 0);
  });
  document.addEventListener("trix-change", function () {
    if (ready) { dirty = true; }
  });
  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("#report-form")) { dirty = true; }
  });
  document.addEventListener("submit", function (event) {
    if (event.target.id === "report-form") { dirty = false; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
