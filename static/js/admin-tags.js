// Suggest existing tags while an editor types in the comma-separated tags field.
// It asks the admin's own autocomplete endpoint (the one the topic picker uses).
"use strict";
(function () {
  function setup() {
    const input = document.getElementById("id_tags");
    const topic = document.getElementById("id_topic");
    if (!input || !topic) return;
    const endpoint = topic.getAttribute("data-ajax--url");
    if (!endpoint) return;
    const list = document.createElement("ul");
    list.className = "rs-tag-suggestions";
    list.id = "id_tags_suggestions";
    list.hidden = true;
    list.setAttribute("role", "listbox");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    input.parentNode.style.position = "relative";
    input.insertAdjacentElement("afterend", list);
    let pending = null;

    function parts() {
      return input.value.split(",");
    }

    function current() {
      return parts().pop().trim();
    }

    function choose(name) {
      const items = parts();
      items.pop();
      const quoted = name.includes(" ") && !name.includes('"') ? `"${name}"` : name;
      items.push(" " + quoted);
      input.value = items.map((item) => item.trim()).filter(Boolean).join(", ") + ", ";
      list.hidden = true;
      input.focus();
    }

    function show(results) {
      list.replaceChildren();
      const taken = new Set(parts().map((item) => item.trim().replace(/"/g, "").toLowerCase()));
      for (const result of results) {
        if (taken.has(result.text.toLowerCase())) continue;
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = result.text;
        button.addEventListener("click", () => choose(result.text));
        item.appendChild(button);
        list.appendChild(item);
      }
      list.hidden = list.children.length === 0;
    }

    input.addEventListener("input", () => {
      const term = current();
      clearTimeout(pending);
      if (term.length < 2) {
        list.hidden = true;
        return;
      }
      pending = setTimeout(async () => {
        const params = new URLSearchParams({
          term,
          app_label: "articles",
          model_name: "article",
          field_name: "topic",
        });
        const response = await fetch(`${endpoint}?${params}`, { credentials: "same-origin" });
        if (response.ok) show((await response.json()).results);
      }, 200);
    });

    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && !list.hidden) {
        event.preventDefault();
        list.querySelector("button")?.focus();
      } else if (event.key === "Escape") {
        list.hidden = true;
      }
    });
    list.addEventListener("keydown", (event) => {
      const buttons = [...list.querySelectorAll("button")];
      const index = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowDown") buttons[Math.min(index + 1, buttons.length - 1)]?.focus();
      else if (event.key === "ArrowUp") (index > 0 ? buttons[index - 1] : input).focus();
      else if (event.key === "Escape") {
        list.hidden = true;
        input.focus();
      } else return;
      event.preventDefault();
    });
    document.addEventListener("click", (event) => {
      if (!list.contains(event.target) && event.target !== input) list.hidden = true;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
