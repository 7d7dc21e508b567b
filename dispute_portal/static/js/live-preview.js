// Live preview of a notice or decision while the clerk types its reasons.
// Without JavaScript the "Preview" button does the same on click (it posts into the frame).
(function () {
  "use strict";
  document.querySelectorAll("button[data-live-preview]").forEach(function (button) {
    var form = button.form;
    var text = form.querySelector("textarea");
    var timer = null;
    function refresh() { form.requestSubmit(button); }
    text.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 700);
    });
    refresh();
  });
})();
