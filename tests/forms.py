"""Reading pages as a browser would: parsed HTML and the data a form would submit."""

from bs4 import BeautifulSoup


def soup_of(response):
    # Decoded with the response's own charset: given bytes, bs4 guesses (and with chardet
    # installed, by moto's dependencies, can guess wrong).
    return BeautifulSoup(response.content.decode(response.charset or "utf-8"), "html.parser")


def form_data(response, form_id):
    """What a browser would submit from the form, before anyone touches it."""
    form = soup_of(response).find("form", id=form_id)
    assert form is not None, f"no form #{form_id}"
    data = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or "__prefix__" in name:
            continue
        if element.name == "textarea":
            data[name] = element.get_text()
        elif element.name == "select":
            options = element.find_all("option")
            chosen = [option for option in options if option.has_attr("selected")] or options[:1]
            if chosen:
                data[name] = chosen[0].get("value", chosen[0].get_text())
        elif element.get("type") in {"submit", "button", "file"}:
            continue
        elif element.get("type") in {"checkbox", "radio"}:
            if element.has_attr("checked"):
                data.setdefault(name, []).append(element.get("value", "on"))
        else:
            data[name] = element.get("value", "")
    return data


def changelist_rows(response):
    """Each result row as {column name: cell}, keyed by the admin's field-* classes."""
    rows = []
    for tr in soup_of(response).select("#result_list tbody tr"):
        cells = {}
        for cell in tr.find_all(["th", "td"]):
            for css_class in cell.get("class", []):
                if css_class.startswith("field-"):
                    cells[css_class.removeprefix("field-")] = cell
        rows.append(cells)
    return rows
