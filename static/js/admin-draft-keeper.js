// "Nothing lost": keep a copy of the article form's text in this browser while an editor types,
// and offer it back when the page comes up without it (a failed CSRF check, an expired session,
// a crashed tab). The server's version lock still decides who wins: a restored copy carries the
// version it was written against, so saving it over someone else's newer save is refused first.
//
// Copies are kept for one person: each key carries a digest of who is signed in (the page's
// data-draft-owner), a page drops every copy that is not theirs, and the logged-out page, where
// nobody is, drops them all. On a shared newsroom computer, the next person is never offered
// the last one's text.
"use strict";
(function () {
  const PREFIX = "rs-draft:";
  const MAX_AGE = 14 * 24 * 60 * 60 * 1000;
  const FIELDS = [
    "headline",
    "slug",
    "dek",
    "tags",
    "body",
    "teaser",
    "seo_title",
    "seo_description",
  ];

  // The body's editor announces itself once it is built (django-prose-editor's configurable
  // preset); listening from the start catches it even if this script runs before DOM-ready.
  const editors = new WeakMap();
  document.addEventListener("prose-editor:ready", (event) => {
    editors.set(event.detail.textarea, event.detail.editor);
  });

  function liveEditor(textarea) {
    // Tiptap also hangs the editor on its ProseMirror element, for a script that came late.
    const view = textarea.closest(".prose-editor")?.querySelector(".ProseMirror");
    return editors.get(textarea) ?? view?.editor ?? null;
  }

  function editorReady(textarea) {
    return new Promise((resolve) => {
      if (!textarea || liveEditor(textarea)) {
        resolve(textarea && liveEditor(textarea));
        return;
      }
      const timer = setTimeout(() => resolve(null), 5000);
      textarea.addEventListener("prose-editor:ready", (event) => {
        clearTimeout(timer);
        resolve(event.detail.editor);
      });
    });
  }

  // localStorage can be full or switched off; the form must keep working either way.
  function read(key) {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch {
      return null;
    }
  }

  function write(key, copy) {
    try {
      localStorage.setItem(key, JSON.stringify(copy));
    } catch {
      // Nothing to keep it in; the form itself is unaffected.
    }
  }

  function drop(key) {
    try {
      localStorage.removeItem(key);
    } catch {
      // As above.
    }
  }

  function storedKeys() {
    try {
      return Object.keys(localStorage).filter((key) => key.startsWith(PREFIX));
    } catch {
      return [];
    }
  }

  // `owner`: the signed-in person's digest; "" where nobody is signed in; undefined on a page
  // that does not say (the article list, where a save lands).
  function forgetStaleSavedAndOthers(owner) {
    const successes = [...document.querySelectorAll(".messagelist .success")]
      .map((message) => message.textContent)
      .join("\n");
    for (const key of storedKeys()) {
      // Someone else's, or nobody's now (signed out), or kept before copies had an owner.
      if (owner !== undefined && (!owner || !key.startsWith(`${PREFIX}${owner}:`))) {
        drop(key);
        continue;
      }
      const copy = read(key);
      const stale = !copy?.savedAt || Date.now() - copy.savedAt > MAX_AGE;
      // After "Save" the admin lands on another page (the list, a blank add form) and names
      // the article it saved: that copy has reached the database.
      const headline = copy?.fields?.headline;
      const saved = copy?.submittedAt && headline && successes.includes(`“${headline}”`);
      if (stale || saved) drop(key);
    }
  }

  function actuallyEmpty(html) {
    // What the editor writes into its textarea for an empty document (createTextareaEditor).
    return /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
  }

  function describeTime(timestamp) {
    const when = new Date(timestamp);
    const time = when.toLocaleTimeString(undefined, {
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    if (when.toDateString() === new Date().toDateString()) return time;
    return `${when.toLocaleDateString(undefined, { day: "numeric", month: "long" })}, ${time}`;
  }

  function setup() {
    const owner = document.querySelector("[data-draft-owner]")?.dataset.draftOwner;
    forgetStaleSavedAndOthers(owner);
    const form = document.getElementById("article_form");
    if (!owner || !form || !form.elements.namedItem("headline")) return;
    const key = `${PREFIX}${owner}:${location.pathname}`;
    const version = form.elements.namedItem("version");
    const bodyArea = form.elements.namedItem("body");
    const fields = FIELDS.map((name) => form.elements.namedItem(name)).filter(
      (field) => field && !field.disabled && "value" in field,
    );
    // A page answering a refused save holds text the database does not: keep it from the start.
    const unsavedPage = Boolean(form.querySelector(".errornote"));
    let editor = null;
    let dirty = unsavedPage;
    let offered = null;
    let pending = null;
    let submittedAt = null;

    function bodyValue() {
      return editor ? actuallyEmpty(editor.getHTML()) : bodyArea.value;
    }

    function snapshot() {
      const values = {};
      for (const field of fields) {
        values[field.name] = field === bodyArea ? bodyValue() : field.value;
      }
      return values;
    }

    function differs(copy, values) {
      return Object.entries(copy.fields || {}).some(
        ([name, value]) => name in values && values[name] !== value,
      );
    }

    function keep() {
      clearTimeout(pending);
      const copy = { savedAt: Date.now(), version: version?.value ?? "", fields: snapshot() };
      write(key, submittedAt ? { ...copy, submittedAt } : copy);
    }

    function restore(copy) {
      for (const field of fields) {
        if (!(field.name in copy.fields)) continue;
        if (field === bodyArea && editor) editor.commands.setContent(copy.fields.body);
        else field.value = copy.fields[field.name];
      }
      // Tells the admin's slug prepopulation that this slug was chosen, not derived.
      form.elements.namedItem("slug")?.dispatchEvent(new Event("change", { bubbles: true }));
      // The version the copy was written against: if the article moved on since, the server
      // refuses the save and shows what changed instead of silently overwriting it.
      if (version && copy.version !== "") version.value = copy.version;
    }

    function offer(copy) {
      const notice = document.createElement("div");
      notice.className = "rs-draft-notice";
      notice.setAttribute("role", "alert");
      notice.tabIndex = -1;
      const text = document.createElement("p");
      text.append(
        `An unsaved copy of this article from ${describeTime(copy.savedAt)} ` +
          "is kept in this browser.",
      );
      if (version && copy.version !== "" && copy.version !== version.value) {
        text.append(
          " The article has been saved since that copy was made: if you restore it, saving " +
            "will first show you what changed.",
        );
      }
      text.append(" Until you choose, what you type here is not kept.");
      const actions = document.createElement("p");
      actions.className = "rs-draft-notice__actions";
      const restoreButton = document.createElement("button");
      restoreButton.type = "button";
      restoreButton.className = "rs-draft-notice__restore";
      restoreButton.textContent = "Restore it";
      const discardButton = document.createElement("button");
      discardButton.type = "button";
      discardButton.className = "rs-draft-notice__discard";
      discardButton.textContent = "Discard";
      actions.append(restoreButton, " ", discardButton);
      notice.append(text, actions);

      restoreButton.addEventListener("click", () => {
        restore(copy);
        offered = null;
        dirty = true;
        keep();
        notice.setAttribute("role", "status");
        const done = document.createElement("p");
        done.textContent =
          `The copy from ${describeTime(copy.savedAt)} is back in the form. ` +
          "Save the article to keep it.";
        notice.replaceChildren(done);
        notice.focus();
      });
      discardButton.addEventListener("click", () => {
        drop(key);
        offered = null;
        notice.remove();
        form.elements.namedItem("headline").focus();
      });
      form.prepend(notice);
      offered = copy;
    }

    function track() {
      function changed(event) {
        if (!fields.includes(event.target)) return;
        dirty = true;
        submittedAt = null;
        if (offered) return;
        clearTimeout(pending);
        pending = setTimeout(keep, 300);
      }
      form.addEventListener("input", changed);
      form.addEventListener("change", changed);
      // Saving means the editor chose this page over any copy on offer. Keep what is sent, in
      // case the save never arrives (a stale CSRF token, an expired session).
      form.addEventListener("submit", () => {
        if (!dirty) return;
        submittedAt = Date.now();
        keep();
      });
      window.addEventListener("pagehide", () => {
        if (dirty && !offered) keep();
      });
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "hidden" && dirty && !offered) keep();
      });
    }

    function takeStock() {
      const copy = read(key);
      // Going back to the form after a refused save, Chrome refills the inputs and the body's
      // hidden textarea once the page has loaded, but not the body editor, which was built
      // from the page's own text: what would be sent is not what is shown. With a copy to
      // offer, show the page as the server sent it and let the copy bring the text back whole;
      // without one, finish the browser's work in the editor.
      const refilled = fields.filter((field) => field.value !== field.defaultValue);
      if (refilled.length && copy) {
        for (const field of refilled) field.value = field.defaultValue;
        // An editor that waited for its extension modules was built from the refilled text.
        if (refilled.includes(bodyArea) && editor) {
          editor.commands.setContent(bodyArea.value, { emitUpdate: false });
        }
      } else if (refilled.includes(bodyArea) && editor) {
        editor.commands.setContent(bodyArea.value, { emitUpdate: false });
      }

      if (copy && differs(copy, snapshot())) offer(copy);
      else if (unsavedPage || (refilled.length && !copy)) {
        dirty = true;
        keep();
      } else if (copy) drop(key);
      track();
      // Lets scripts and tests know the copy on offer, if any, is in place.
      form.dataset.draftKeeper = "on";
    }

    // The browser refills a form it is going back to just before "pageshow".
    const shown = new Promise((resolve) => {
      if (document.readyState === "complete") resolve();
      else window.addEventListener("pageshow", resolve, { once: true });
    });
    Promise.all([editorReady(bodyArea), shown]).then(([ready]) => {
      editor = ready;
      takeStock();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
