// Section pages: autosave, conditional questions and conflict messages.
//
// Which questions are visible is decided by the server (app.core.scoring,
// the same code that ignores hidden answers when saving and scoring): every
// autosave reply carries the visible question ids. A second implementation of
// the condition language in JavaScript could disagree with the server; one
// round trip per change cannot.
(function () {
  "use strict";
  var form = document.getElementById("section-form");
  if (!form || form.dataset.readonly === "true") { return; }
  var url = form.dataset.autosaveUrl;
  var section = form.dataset.section;
  var status = document.getElementById("save-status");
  var tokenInput = form.querySelector("input[name=csrf_token]");
  var dirty = {};
  var timer = null;
  var inFlight = false;
  var again = false;
  var DELAY = 1200;
  var retryDelay = 0;  // after a connection problem: the next wait, doubling up to 30 s
  var signedOut = false;  // the session ended: wait for its person to sign in again
  var renewed = false;  // a token was renewed since the last save that went through

  function questionOf(element) {
    var box = element.closest("[data-question]");
    return box ? box.dataset.question : null;
  }

  function belongs(name, qid) {
    return name === "q_" + qid || name.indexOf("q_" + qid + "-") === 0 ||
      name === "x_" + qid || name === "b_" + qid || name === "na_" + qid;
  }

  function fieldsFor(qids) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.disabled) { return; }
      var wanted = qids.some(function (qid) { return belongs(el.name, qid); });
      if (!wanted) { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) {
        fields[el.name] = fields[el.name] || [];
        return;
      }
      var values = fields[el.name] || [];
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { values.push(o.value); });
      } else {
        values.push(el.value);
      }
      fields[el.name] = values;
    });
    return fields;
  }

  function say(text) { if (status) { status.textContent = text; } }

  function showError(qid, message) {
    var box = document.getElementById("e-" + qid);
    var container = document.getElementById("q-" + qid);
    if (!box || !container) { return; }
    var target = container.querySelector("fieldset") ||
      container.querySelector("[name='q_" + qid + "']");
    if (message) {
      box.textContent = message;
      box.hidden = false;
      container.classList.add("has-error");
    } else {
      box.textContent = "";
      box.hidden = true;
      container.classList.remove("has-error");
    }
    if (target) {
      var ids = (target.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== "e-" + qid;
      });
      if (message) { ids.push("e-" + qid); }
      if (ids.length) { target.setAttribute("aria-describedby", ids.join(" ")); }
      else { target.removeAttribute("aria-describedby"); }
    }
  }

  function showConflict(qid, conflict) {
    var box = document.getElementById("c-" + qid);
    if (!box) { return; }
    box.textContent = "";
    var lines = [
      conflict.message,
      (form.dataset.theirsLabel || "Their answer:") + " " + conflict.theirs +
        (conflict.their_explanation ? " — " + conflict.their_explanation : ""),
      (form.dataset.yoursLabel || "Your answer:") + " " + conflict.yours
    ];
    lines.forEach(function (text) {
      var p = document.createElement("p");
      p.textContent = text;
      box.appendChild(p);
    });
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "button secondary";
    keep.textContent = form.dataset.keepLabel || "Keep my answer";
    keep.addEventListener("click", function () {
      document.getElementById("b_" + qid).value = conflict.base;
      box.hidden = true;
      dirty[qid] = true;
      save();
    });
    box.appendChild(keep);
    box.hidden = false;
  }

  function applyVisible(visible) {
    var shown = {};
    visible.forEach(function (qid) { shown[qid] = true; });
    Array.prototype.forEach.call(form.querySelectorAll("[data-question]"), function (box) {
      box.hidden = !shown[box.dataset.question];
    });
  }

  function apply(reply, sent) {
    Object.keys(reply.saved || {}).forEach(function (qid) {
      var base = document.getElementById("b_" + qid);
      if (base) { base.value = reply.saved[qid]; }
    });
    sent.forEach(function (qid) { showError(qid, (reply.errors || {})[qid]); });
    Object.keys(reply.conflicts || {}).forEach(function (qid) {
      showConflict(qid, reply.conflicts[qid]);
    });
    if (reply.visible) { applyVisible(reply.visible); }
    var problems = Object.keys(reply.errors || {}).length + Object.keys(reply.conflicts || {}).length;
    say(problems ? (form.dataset.notSavedLabel || "Some answers were not saved; see the messages.")
      : (form.dataset.savedLabel || "Saved at") + " " + reply.saved_at);
  }

  function request(qids, keepalive) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": tokenInput.value },
      body: JSON.stringify({ section: section, questions: qids, fields: fieldsFor(qids) })
    });
  }

  function setToken(token) {
    Array.prototype.forEach.call(document.querySelectorAll("input[name=csrf_token]"),
      function (input) { input.value = token; });
  }

  // The session ended (idle timeout) or was renewed in another tab: this page's
  // token is stale. Once its person is signed in again, the page fetches a token
  // of the new session and saves what it still holds.
  function renewToken() {
    return fetch(form.dataset.tokenUrl, {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("signed out"); }
      return response.json();
    }).then(function (reply) {
      setToken(reply.csrf_token);
      signedOut = false;
      renewed = true;
    });
  }

  function saySignedOut() {
    signedOut = true;
    if (!status) { return; }
    status.textContent = (form.dataset.signedOutLabel ||
      "Not saved: your session has ended. Your answers stay on this page.") + " ";
    var link = document.createElement("a");
    link.href = form.dataset.loginUrl;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = form.dataset.signInLabel || "Sign in again (opens a new tab)";
    status.appendChild(link);
  }

  function outcome(response) {
    if (response.ok) { return response.json(); }
    if (response.status === 401) { throw { session: true }; }
    if (response.status === 400) {
      return response.json().then(function (reply) {
        throw reply.csrf ? { session: true } : { refused: true };
      }, function () { throw { refused: true }; });
    }
    throw response.status >= 500 ? new Error(String(response.status)) : { refused: true };
  }

  function save() {
    timer = null;
    if (inFlight) { again = true; return; }
    if (signedOut) { return; }
    var qids = Object.keys(dirty);
    if (!qids.length) { return; }
    dirty = {};
    inFlight = true;
    say(form.dataset.savingLabel || "Saving…");
    request(qids, false).then(outcome).then(function (reply) {
      retryDelay = 0;
      renewed = false;
      apply(reply, qids);
    }).catch(function (problem) {
      qids.forEach(function (qid) { dirty[qid] = true; });
      if (problem && problem.session) {
        if (renewed) { saySignedOut(); return; }  // a fresh token did not help either
        renewToken().then(function () { schedule(0); }, saySignedOut);
        return;
      }
      say(form.dataset.failedLabel || "Not saved: connection problem. Trying again.");
      if (problem && problem.refused) { return; }  // the same request would fail again
      retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, 30000);
      schedule(retryDelay);
    }).then(function () {
      inFlight = false;
      if (again) { again = false; schedule(DELAY); }
    });
  }

  // Coming back to the page, or back online: try at once what is still unsaved.
  function resume() {
    if (!Object.keys(dirty).length) { return; }
    if (signedOut) { renewToken().then(function () { schedule(0); }, saySignedOut); }
    else if (retryDelay) { schedule(0); }
  }

  function schedule(delay) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, delay);
  }

  function changed(event) {
    var target = event.target;
    if (!target.name || target.type === "file") { return; }
    var qid = questionOf(target);
    if (!qid) { return; }
    dirty[qid] = true;
    var pending = form.dataset.pendingLabel || "Changes not saved yet…";
    if (status && !signedOut && status.textContent !== pending) { say(pending); }
    // Choices save at once so that follow-up questions appear straight away.
    var immediate = event.type === "change" &&
      (target.type === "radio" || target.type === "checkbox" || target.tagName === "SELECT");
    schedule(immediate ? 0 : DELAY);
  }

  // Legal references: typing in the last (blank) reference offers another blank one,
  // as the server does on reload, so several laws can be entered without saving first.
  function addReferenceRow(event) {
    var row = event.target.closest("fieldset.reference");
    if (!row || row.nextElementSibling && row.nextElementSibling.matches("fieldset.reference")) {
      return;
    }
    if (!event.target.value) { return; }
    var copy = row.cloneNode(true);
    var match = /-(\d+)-[a-z]+$/.exec(row.querySelector("input").name);
    var next = match ? Number(match[1]) + 1 : 1;
    Array.prototype.forEach.call(copy.querySelectorAll("input, label"), function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/-\d+-([a-z]+)$/, "-" + next + "-$1")); }
      });
      if (el.tagName === "INPUT") { el.value = ""; }
    });
    var legend = copy.querySelector("legend");
    if (legend) { legend.textContent = legend.textContent.replace(/\d+/, String(next + 1)); }
    row.parentNode.insertBefore(copy, row.nextSibling);
  }

  form.addEventListener("input", addReferenceRow);
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  window.addEventListener("focus", resume);
  window.addEventListener("online", resume);
  var submitting = false;
  form.addEventListener("submit", function (event) {
    if (signedOut) {  // posting now would be refused and the page's answers lost
      event.preventDefault();
      saySignedOut();
      return;
    }
    submitting = true;
    if (timer) { clearTimeout(timer); }
  });
  // Closing the page while answers could not be sent: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (signedOut || retryDelay) && Object.keys(dirty).length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Leaving the page with typing not yet saved: send it anyway (keepalive outlives
  // the page), so following a link never loses an answer.
  window.addEventListener("pagehide", function () {
    var qids = Object.keys(dirty);
    if (submitting || !qids.length) { return; }
    dirty = {};
    request(qids, true);
  });

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
