"""The browsable API: the same URLs rendered as HTML for a browser, as Django REST
framework's are: the JSON answer with its URLs clickable, pagination links, the filters in
use, and forms to create, edit and delete. Everything rendered is escaped."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import jinja2
import orjson
from markupsafe import Markup, escape
from starlette.requests import Request

from ..registry import ColumnInfo, ModelInfo

_URL = re.compile(r"&#34;(https?://[^&\s]*(?:&amp;[^&\s]*)*?)&#34;")

_INPUTS = {
    "int": "number",
    "bigint": "number",
    "float": "number",
    "numeric": "number",
    "date": "date",
}


def wants_html(request: Request) -> bool:
    """A browser asking (``Accept: text/html``), unless ``?format=json``."""
    # Read from the scope: this runs for every request, and most are not a browser's.
    for name, value in request.scope["headers"]:
        if name == b"accept":
            if b"text/html" not in value:
                return False
            return request.query_params.get("format") != "json"
    return False


@dataclass
class Page:
    """What one browsable page shows."""

    title: str
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    info: ModelInfo | None = None
    #: the object's current values for the edit form (object pages)
    values: dict[str, Any] | None = None
    errors: Any = None
    filters: list[tuple[str, str]] = field(default_factory=list)
    previous: str | None = None
    next: str | None = None
    form: dict[str, str] = field(default_factory=dict)


def render(request: Request, page: Page) -> bytes:
    """The page as HTML bytes."""
    template = _environment().get_template("rest.html")
    return template.render(
        page=page,
        method=request.method,
        path=request.url.path,
        query=request.url.query,
        json=_json_html(page.body),
        errors=_json_html(page.errors) if page.errors is not None else None,
        fields=_fields(page.info, page.values, page.form) if page.info else [],
        breadcrumbs=_breadcrumbs(request.url.path),
        json_url=_with_format(request),
    ).encode()


def _json_html(value: Any) -> Markup:
    """Pretty JSON, escaped, with its URLs turned into links."""
    if value is None:
        return Markup("")
    text = str(escape(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()))
    return Markup(_URL.sub(r'&#34;<a href="\1">\1</a>&#34;', text))


def _fields(
    info: ModelInfo, values: dict[str, Any] | None, given: dict[str, str]
) -> list[dict[str, Any]]:
    out = []
    for column in info.columns:
        current = given.get(column.name)
        if current is None and values is not None:
            value = values.get(column.name)
            current = "" if value is None else _form_value(column, value)
        out.append(
            {
                "name": column.name,
                "input": _INPUTS.get(column.kind, "text"),
                "step": "any" if column.kind in ("float", "numeric") else None,
                "kind": column.kind,
                "value": current or "",
                "required": column.is_required,
                "bool": column.kind == "bool",
                "key": column.primary_key,
            }
        )
    return out


def _form_value(column: ColumnInfo, value: Any) -> str:
    if column.kind == "bool":
        return "true" if value else "false"
    if column.kind == "json":
        return orjson.dumps(value).decode()
    return str(value)


def _breadcrumbs(path: str) -> list[tuple[str, str]]:
    parts = [p for p in path.split("/") if p]
    crumbs = []
    for i in range(1, len(parts)):
        href = "/" + "/".join(parts[: i + 1]) + ("/" if i == 1 else "")
        crumbs.append((parts[i], href))
    return crumbs


def _with_format(request: Request) -> str:
    return str(request.url.include_query_params(format="json"))


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("omega_gql", "templates"), autoescape=True
    )


__all__ = ["Page", "render", "wants_html"]
