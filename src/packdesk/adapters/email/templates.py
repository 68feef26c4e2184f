"""Email templates and usage guides from files: the `EmailRenderer` port.

Templates live in `assets/templates/email/` as `<kind>.subject.txt`, `<kind>.txt` and
`<kind>.html` (which extends `base.html`). Jinja2 runs with `StrictUndefined`, so a missing
value is an error at render time instead of a blank in a customer's inbox; HTML is
autoescaped. Guides are `assets/guides/<SKU>.md` (first line `# Title`), turned into HTML
with markdown-it; `_generic.md` is the fallback.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

from packdesk.domain.outbox import RenderedEmail

ASSETS = Path(str(resources.files("packdesk") / "assets"))
SAFE_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class TemplateRenderer:
    def __init__(
        self,
        templates_dir: Path | None = None,
        guides_dir: Path | None = None,
        logo_path: Path | None = None,
    ) -> None:
        self.templates_dir = templates_dir or ASSETS / "templates" / "email"
        self.guides_dir = guides_dir or ASSETS / "guides"
        self.logo_path = logo_path
        loader = jinja2.FileSystemLoader(str(self.templates_dir))
        self.html_env = jinja2.Environment(
            loader=loader, undefined=jinja2.StrictUndefined, autoescape=True
        )
        self.text_env = jinja2.Environment(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
        )
        self.markdown = MarkdownIt("commonmark")

    def render(self, template: str, context: dict[str, object]) -> RenderedEmail:
        try:
            subject = self.text_env.get_template(f"{template}.subject.txt").render(context)
            text = self.text_env.get_template(f"{template}.txt").render(context)
            html = self.html_env.get_template(f"{template}.html").render(context)
        except jinja2.TemplateNotFound as exc:
            raise ValueError(
                f"Email template {exc.name} is missing from {self.templates_dir}."
            ) from exc
        except jinja2.TemplateError as exc:
            raise ValueError(f"Email template {template} failed to render: {exc}.") from exc
        return RenderedEmail(
            subject=" ".join(subject.split()),
            text=_tidy(text),
            html=html,
        )

    def guide(self, sku: str) -> tuple[str, str, str] | None:
        if not SAFE_SKU.match(sku):
            return None
        path = self.guides_dir / f"{sku}.md"
        return self._read(path) if path.is_file() else None

    def generic_guide(self) -> tuple[str, str, str]:
        return self._read(self.guides_dir / "_generic.md")

    def logo(self) -> bytes | None:
        if self.logo_path is None or not self.logo_path.is_file():
            return None
        return self.logo_path.read_bytes()

    def _read(self, path: Path) -> tuple[str, str, str]:
        source = path.read_text("utf-8")
        first, _, rest = source.lstrip().partition("\n")
        if first.startswith("# "):
            title, body = first[2:].strip(), rest.strip()
        else:
            title, body = path.stem, source.strip()
        return title, _plain(body), self.markdown.render(body)


def _plain(markdown: str) -> str:
    """Markdown as readable plain text: emphasis markers dropped, lists kept."""
    return re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*", lambda m: m.group(1) or m.group(2), markdown)


def _tidy(text: str) -> str:
    """At most one blank line in a row, and one newline at the end."""
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
