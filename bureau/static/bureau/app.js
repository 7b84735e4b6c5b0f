// Small behaviours of the staff pages, kept out of the templates: the pages are
// served with Content-Security-Policy script-src 'self' (no inline script, no
// onclick= / onchange= attributes). Loaded with `defer` from base.html.
"use strict";

// <select data-autosubmit>: choosing an option submits its form (year, unit,
// language pickers); a <noscript> button does the same without script.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.submit();
  }
});

// <button data-print>: opens the browser's print dialogue.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
