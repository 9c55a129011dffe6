// Worksheets: save an item when the person leaves it (or submits its form) without leaving the page, and say
// "Gemt kl. …" in the item's status line (role="status": screen readers announce it). Every item is a plain form
// that works without this script; when someone else saved the item in between, the form is posted the ordinary
// way, and the page that answers shows both answers to choose between.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form.item-form[data-item]");
  if (!forms.length || !window.fetch || !window.URLSearchParams || !window.FormData) return;

  function serialize(form) { return new URLSearchParams(new FormData(form)).toString(); }

  function status(form, text, isError) {
    var line = form.querySelector(".save-status");
    if (!line) return;
    line.textContent = text;
    line.classList.toggle("is-error", !!isError);
  }

  function progress(done, total) {
    var text = document.querySelector("#fremdrift .progress-text");
    var bar = document.querySelector("#fremdrift progress");
    if (!text || !bar || !total) return;
    text.textContent = "Udfyldt i alt: " + done + " af " + total + " punkter (" + Math.floor(done * 100 / total) + " %)";
    bar.max = total;
    bar.value = done;
  }

  Array.prototype.forEach.call(forms, function (form) {
    var saved = serialize(form);
    var busy = false;
    var again = false;

    function save() {
      var body = serialize(form);
      if (body === saved) return;
      if (busy) { again = true; return; }
      busy = true;
      status(form, "Gemmer …");
      fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: body,
        credentials: "same-origin"
      }).then(function (response) {
        if (response.status === 409) {
          // Someone else saved the item: post the form itself, so the page shows both answers with this one kept.
          status(form, "En anden har gemt et svar på punktet. Viser begge svar …", true);
          HTMLFormElement.prototype.submit.call(form);
          return null;
        }
        return response.json().then(function (data) {
          if (!response.ok) {
            var problems = data && data.errors ? data.errors.join(" ") : "";
            status(form, "Ikke gemt. " + (problems || "Prøv igen med knappen."), true);
            return;
          }
          form.querySelector("input[name=basedOn]").value = String(data.revision);
          saved = body;
          status(form, data.status);
          progress(data.done, data.total);
        });
      }).catch(function () {
        status(form, "Ikke gemt: forbindelsen svigtede. Prøv igen med knappen.", true);
      }).then(function () {
        busy = false;
        if (again) { again = false; save(); }
      });
    }

    form.addEventListener("focusout", function (event) {
      // Only when focus leaves the item, not when it moves between its own fields.
      if (!event.relatedTarget || !form.contains(event.relatedTarget)) save();
    });
    form.addEventListener("change", function (event) {
      var type = event.target && event.target.type;
      if (type === "radio" || type === "checkbox" || event.target.tagName === "SELECT") save();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (serialize(form) === saved) { status(form, "Intet nyt at gemme."); return; }
      save();
    });
  });
})();
