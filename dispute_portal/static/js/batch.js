// Progress of a print batch without reloading: ask every two seconds, reload when finished.
// The page works without it (a Refresh link); this only saves the clicks.
(function () {
  "use strict";
  var box = document.getElementById("batch-status");
  if (!box) { return; }
  var bar = document.getElementById("batch-progress");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.done;
        if (s.status === "done" || s.status === "failed") { window.location.reload(); }
        else { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
