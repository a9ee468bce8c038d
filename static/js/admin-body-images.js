// "Insert image from the library": a django-prose-editor extension for the article body.
//
// The body stores only a placeholder, <figure data-image="123"></figure>. The public page
// expands it from the library record ({{ article.body|with_images }}): the responsive picture,
// its caption and its credit, so a corrected credit reaches every article that uses the image.
//
// Loaded by django-prose-editor as an ES module (settings.DJANGO_PROSE_EDITOR_EXTENSIONS) and
// enabled by "LibraryImage" in the field's extensions. It searches the library through the
// admin's autocomplete for Article.top_image and previews a picked image with the image card.
import {
  canInsertNode,
  crel,
  gettext,
  mergeAttributes,
  Node,
} from "django-prose-editor/editor"

const RESULTS_SHOWN = 12

async function getJSON(url) {
  const response = await fetch(url, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
  if (!response.ok) throw new Error(`${response.status} ${url}`)
  return response.json()
}

function cardUrl(options, id) {
  return options.cardUrl.replace("/0/card/", `/${encodeURIComponent(id)}/card/`)
}

function searchUrl(options, term) {
  const url = new URL(options.searchUrl, window.location.href)
  url.search = new URLSearchParams({
    app_label: "articles",
    model_name: "article",
    field_name: "top_image",
    term,
  })
  return url.href
}

function thumbnail(card, width) {
  return crel("img", { src: card.thumbnail, alt: card.alt_text, width, loading: "lazy" })
}

// A modal that searches the library; resolves with the chosen image's id, or null.
function pickImage(editor, options) {
  return new Promise((resolve) => {
    const input = crel("input", {
      type: "search",
      placeholder: gettext("Caption, credit or description"),
      size: 50,
    })
    const results = crel("ul", { className: "rs-library-results" })
    results.style.cssText = "list-style:none;margin:1em 0;padding:0;max-height:60vh;overflow:auto"
    const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
    const dialog = crel("dialog", { className: "prose-editor-dialog" }, [
      crel("h3", {
        className: "prose-editor-dialog-title",
        textContent: gettext("Insert image from the library"),
      }),
      crel("label", {}, [gettext("Search the library"), " ", input]),
      results,
      crel("div", { className: "prose-editor-dialog-buttons" }, [cancel]),
    ])
    let chosen = null
    let searched = 0

    const choose = (id) => {
      chosen = id
      dialog.close()
    }

    const show = async (term) => {
      const search = ++searched
      const { results: found } = await getJSON(searchUrl(options, term))
      if (search !== searched) return
      results.replaceChildren(
        ...found.slice(0, RESULTS_SHOWN).map(({ id, text }) => {
          const button = crel("button", { type: "button", textContent: text })
          button.style.cssText =
            "display:flex;gap:.75em;align-items:center;box-sizing:border-box;width:100%;" +
            "text-align:left;margin:.25em 0"
          button.addEventListener("click", () => choose(id))
          getJSON(cardUrl(options, id)).then((card) => button.prepend(thumbnail(card, 80)))
          return crel("li", {}, [button])
        }),
      )
      if (!found.length) {
        results.replaceChildren(crel("li", { textContent: gettext("No image matches.") }))
      }
    }

    let timer = null
    input.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(() => show(input.value.trim()), 250)
    })
    input.addEventListener("keydown", (event) => {
      // Enter must not submit the article form around the editor: take the first match.
      if (event.key !== "Enter") return
      event.preventDefault()
      results.querySelector("button")?.click()
    })
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      dialog.remove()
      resolve(chosen)
    })

    editor.view.dom.parentElement.append(dialog)
    dialog.showModal()
    show("")
  })
}

// What the editor shows in place of the placeholder: the picture, its caption and credit.
function renderPreview(dom, options, id) {
  dom.replaceChildren(gettext("Loading image…"))
  getJSON(cardUrl(options, id))
    .then((card) => {
      const caption = crel("figcaption", {}, [
        card.caption ? `${card.caption} ` : "",
        crel("strong", { textContent: card.credit }),
      ])
      dom.replaceChildren(thumbnail(card, 320), caption)
    })
    .catch(() => {
      dom.replaceChildren(
        `${gettext("Image not found in the library; readers will not see it.")} (#${id})`,
      )
    })
}

export const LibraryImage = Node.create({
  name: "libraryImage",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    // The admin's own addresses, as the article form renders them with reverse(): the admin's
    // path is configurable (ADMIN_PATH), so none is written here.
    return {
      searchUrl: document.querySelector("#id_top_image")?.getAttribute("data-ajax--url"),
      cardUrl: document.querySelector(".rs-image-card[data-card-url]")?.dataset.cardUrl,
    }
  },

  addAttributes() {
    return {
      image: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-image"),
        renderHTML: (attributes) => ({ "data-image": attributes.image }),
      },
    }
  },

  parseHTML() {
    // Ahead of the Figure extension's plain "figure" rule, should both be enabled.
    return [{ tag: "figure[data-image]", priority: 60 }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes(HTMLAttributes)]
  },

  addNodeView() {
    return ({ node }) => {
      const dom = crel("figure", { className: "rs-library-image" })
      dom.style.cssText = "margin:1em 0;padding:.5em;border:1px dashed #999"
      dom.contentEditable = "false"
      let shown = node.attrs.image
      renderPreview(dom, this.options, shown)
      return {
        dom,
        update: (updated) => {
          if (updated.type.name !== this.name) return false
          if (updated.attrs.image !== shown) {
            shown = updated.attrs.image
            renderPreview(dom, this.options, shown)
          }
          return true
        },
        ignoreMutation: () => true,
      }
    }
  },

  addCommands() {
    return {
      insertLibraryImage:
        () =>
        ({ editor, state, dispatch }) => {
          const type = state.schema.nodes[this.name]
          if (!dispatch) return canInsertNode(state, type)
          pickImage(editor, this.options).then((id) => {
            if (id == null) return
            // A selected library image is replaced by the new choice.
            editor
              .chain()
              .focus()
              .insertContent({ type: this.name, attrs: { image: String(id) } })
              .run()
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: this.name,
      groups: "nodes",
      button: buttons.material("image", gettext("Insert image from the library")),
      command(editor) {
        editor.commands.insertLibraryImage()
      },
      enabled(editor) {
        return editor.can().insertLibraryImage()
      },
      active(editor) {
        return editor.isActive("libraryImage")
      },
    })
  },
})
