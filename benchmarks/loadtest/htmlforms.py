"""The forms of a page, read the way a browser would submit them (standard library only).

The load test's virtual users submit what the page offers, as a clerk would: every input,
select and textarea of the form with the value it shows (checked boxes only, the selected
option or the first one), then change the one field they mean to edit. So the harness follows
the forms as they are after other branches change them, instead of hard-coding field lists.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.fields:
            if key == name:
                return value
        return default

    def data(self, **changes: str) -> list[tuple[str, str]]:
        """The fields as submitted, with ``changes`` replacing (or adding) values."""
        pending = dict(changes)
        submitted = []
        for key, value in self.fields:
            if key in pending:
                submitted.append((key, pending.pop(key)))
            elif key not in changes:
                submitted.append((key, value))
        submitted.extend(pending.items())
        return submitted


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self.form = Form(attributes.get("action", ""), attributes.get("method", "get").lower())
            self.forms.append(self.form)
        if self.form is None or ("disabled" in attributes and tag != "option"):
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.form.fields.append((name, attributes.get("value", "on")))
                return
            self.form.fields.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attributes, "options": []}
        elif tag == "option" and self.select is not None:
            self.option = {
                "value": attributes.get("value"),
                "text": "",
                "selected": "selected" in attributes,
            }
            self.select["options"].append(self.option)
        elif tag == "textarea" and name:
            self.textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            self._close_select()
        elif tag == "textarea" and self.textarea is not None:
            # Browsers drop the newline that follows <textarea> (Django writes one).
            text = self.textarea["text"]
            text = text[1:] if text.startswith("\n") else text
            self.form.fields.append((self.textarea["name"], text))
            self.textarea = None
        elif tag == "form":
            self.form = None

    def _close_select(self):
        options = self.select["options"]
        chosen = [option for option in options if option["selected"]]
        if not chosen and options and not self.select["multiple"]:
            chosen = options[:1]
        for option in chosen:
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self.form.fields.append((self.select["name"], value))
        self.select = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_with_field(html: str, name: str) -> Form | None:
    """The first form of the page that has a field called ``name``."""
    return next((form for form in forms_of(html) if form.get(name) is not None), None)


def form_posting_to(html: str, fragment: str) -> Form | None:
    """The first POST form whose action contains ``fragment``."""
    return next(
        (f for f in forms_of(html) if f.method == "post" and fragment in f.action),
        None,
    )
