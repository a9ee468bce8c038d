// Show the picked top image's thumbnail, caption and credit as soon as an editor picks it.
"use strict";
(function () {
  function setup() {
    const card = document.querySelector(".rs-image-card");
    const select = document.getElementById("id_top_image");
    if (!card || !select || !window.django?.jQuery) return;

    async function render() {
      const pk = select.value;
      if (!pk) {
        card.replaceChildren("No top image yet.");
        return;
      }
      const url = card.dataset.cardUrl.replace("/0/card/", `/${encodeURIComponent(pk)}/card/`);
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      const image = await response.json();
      const text = document.createElement("p");
      text.className = "rs-credit";
      text.append(`Caption: ${image.caption || "—"}`, document.createElement("br"));
      text.append(`Credit: ${image.credit}`);
      if (!image.thumbnail) {
        // A picture whose stripped copy is not made yet: no broken image, just its words.
        card.replaceChildren(text);
        return;
      }
      const img = document.createElement("img");
      img.src = image.thumbnail;
      img.alt = image.alt_text;
      img.width = 240;
      img.className = "rs-thumb";
      card.replaceChildren(img, text);
    }

    // Select2 reports changes through jQuery, not native events.
    window.django.jQuery(select).on("change", render);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
