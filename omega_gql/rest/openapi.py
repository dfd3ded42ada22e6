"""``GET /api/openapi.json``: an OpenAPI 3.1 document of the REST resources, from the registry."""

from __future__ import annotations

from typing import Any

from ..query.boolexp import operators_for
from ..registry import ColumnInfo, ModelInfo, Registry
from .params import LOOKUPS

_KINDS: dict[str, dict[str, Any]] = {
    "int": {"type": "integer"},
    "bigint": {"type": "integer"},
    "float": {"type": "number"},
    "numeric": {"type": "number"},
    "string": {"type": "string"},
    "bool": {"type": "boolean"},
    "datetime": {"type": "string", "description": "ISO 8601 date and time"},
    "date": {"type": "string", "description": "ISO 8601 date"},
    "time": {"type": "string", "description": "ISO 8601 time"},
    "uuid": {"type": "string", "format": "uuid"},
    "json": {},
}

_DETAIL = {"$ref": "#/components/schemas/Detail"}


def openapi(registry: Registry, title: str = "omega_gql REST API") -> dict[str, Any]:
    """The document describing every route, parameter, body, answer and error shape."""
    paths: dict[str, Any] = {
        "/api/": {
            "get": {
                "operationId": "listResources",
                "summary": "The resources and their URLs",
                "responses": {
                    "200": _json(
                        "Each resource's list URL",
                        {"type": "object", "additionalProperties": {"type": "string"}},
                    )
                },
            }
        }
    }
    schemas: dict[str, Any] = {
        "Detail": {
            "type": "object",
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        },
        "FieldErrors": {
            "description": "Messages by field or query parameter (a list of these, one per "
            "item, for a list body)",
            "oneOf": [
                {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                {"type": "array", "items": {"type": "object"}},
            ],
        },
    }
    for info in registry:
        name = info.cls.__name__
        schemas[name] = _object(registry, info)
        schemas[f"{name}Input"] = _input(info, partial=False)
        schemas[f"{name}Patch"] = _input(info, partial=True)
        schemas[f"{name}Page"] = {
            "type": "object",
            "properties": {
                "count": {"type": "integer", "minimum": 0},
                "next": {"type": ["string", "null"]},
                "previous": {"type": ["string", "null"]},
                "results": {"type": "array", "items": _ref(name)},
            },
            "required": ["count", "next", "previous", "results"],
        }
        paths[f"/api/{info.resource}/"] = _collection(info, name)
        paths[f"/api/{info.resource}/{{key}}"] = _item(info, name)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": "1",
            "description": "Every model as a resource, with Django REST framework's conventions.",
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _collection(info: ModelInfo, name: str) -> dict[str, Any]:
    body = {
        "oneOf": [
            _ref(f"{name}Input"),
            {"type": "array", "items": _ref(f"{name}Input"), "minItems": 1},
        ]
    }
    return {
        "get": {
            "operationId": f"list{name}",
            "summary": f"A page of {info.resource}",
            "parameters": _list_parameters(info),
            "responses": {"200": _json("A page", _ref(f"{name}Page")), **_errors(400)},
        },
        "post": {
            "operationId": f"create{name}",
            "summary": f"Create one {name}, or several in one transaction",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": body},
                    "application/x-www-form-urlencoded": {"schema": _ref(f"{name}Input")},
                },
            },
            "responses": {
                "201": {
                    "description": "Created; a single object's URL is in Location",
                    "headers": {"Location": {"schema": {"type": "string"}}, **_etag_header()},
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [_ref(name), {"type": "array", "items": _ref(name)}]
                            }
                        }
                    },
                },
                **_errors(400, 413, 415),
            },
        },
    }


def _item(info: ModelInfo, name: str) -> dict[str, Any]:
    key = {
        "name": "key",
        "in": "path",
        "required": True,
        "description": "The primary key"
        + (
            f": {', '.join(info.primary_key)}, comma-separated, each percent-encoded"
            if len(info.primary_key) > 1
            else ""
        ),
        "schema": {"type": "string"},
    }
    if_match = _header("If-Match", "Write only if the object still has one of these ETags")
    written = {
        "200": _json("The object as written", _ref(name), etag=True),
        **_errors(400, 404, 412, 413, 415),
    }

    def change(partial: bool) -> dict[str, Any]:
        schema = _ref(f"{name}Patch" if partial else f"{name}Input")
        return {
            "operationId": f"{'patch' if partial else 'replace'}{name}",
            "parameters": [if_match],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": schema},
                    "application/x-www-form-urlencoded": {"schema": schema},
                },
            },
            "responses": written,
        }

    return {
        "parameters": [key],
        "get": {
            "operationId": f"get{name}",
            "parameters": [
                _expand(info),
                _header("If-None-Match", "304 when the object still has one of these ETags"),
            ],
            "responses": {
                "200": _json(f"The {name}", _ref(name), etag=True),
                "304": {"description": "Not modified", "headers": _etag_header()},
                **_errors(400, 404),
            },
        },
        "put": change(partial=False),
        "patch": change(partial=True),
        "delete": {
            "operationId": f"delete{name}",
            "parameters": [if_match],
            "responses": {"204": {"description": "Deleted"}, **_errors(404, 412)},
        },
    }


def _list_parameters(info: ModelInfo) -> list[dict[str, Any]]:
    parameters = [
        _query("limit", {"type": "integer", "minimum": 1}, "Rows per page"),
        _query("offset", {"type": "integer", "minimum": 0}, "Rows to skip"),
        _query(
            "ordering",
            {"type": "string"},
            "Fields, comma-separated, '-' before a field for descending; "
            "relation paths as user__user_name",
        ),
        _query("search", {"type": "string"}, "Text matched, ignoring case, in every text column"),
        _query("where", {"type": "string"}, "A JSON bool-exp in GraphQL's grammar"),
        _expand(info),
    ]
    for column in info.columns:
        parameters.append(_query(column.name, _scalar(column), f"{column.name} equals"))
        for lookup, op in LOOKUPS.items():
            if op not in operators_for(column.kind) or lookup == "exact" or op == "eq":
                continue
            parameters.append(_query(f"{column.name}__{lookup}", _lookup(column, op), None))
    return parameters


def _lookup(column: ColumnInfo, op: str) -> dict[str, Any]:
    if op == "is_null":
        return {"type": "boolean"}
    if op in ("in", "nin"):
        return {"type": "string", "description": "values, comma-separated"}
    return _scalar(column)


def _scalar(column: ColumnInfo) -> dict[str, Any]:
    schema = dict(_KINDS[column.kind])
    return schema or {"type": "string"}


def _expand(info: ModelInfo) -> dict[str, Any]:
    names = ", ".join(r.name for r in info.relations) or "none"
    return _query("expand", {"type": "string"}, f"Relations to embed, comma-separated: {names}")


def _query(name: str, schema: dict[str, Any], description: str | None) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        parameter["description"] = description
    return parameter


def _header(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": False,
        "description": description,
        "schema": {"type": "string"},
    }


def _object(registry: Registry, info: ModelInfo) -> dict[str, Any]:
    properties: dict[str, Any] = {c.name: _column(c) for c in info.columns}
    for relation in info.relations:
        target = registry.target(info, relation.name).cls.__name__
        if relation.is_array:
            properties[relation.name] = {"type": "array", "items": _ref(target)}
        else:
            properties[relation.name] = {"oneOf": [_ref(target), {"type": "null"}]}
    return {
        "type": "object",
        "properties": properties,
        "required": [c.name for c in info.columns],
        "description": "Relations appear when expanded (?expand=)",
    }


def _input(info: ModelInfo, partial: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {c.name: _column(c) for c in info.columns},
        "additionalProperties": False,
    }
    required = [c.name for c in info.columns if c.is_required and not partial]
    if required:
        schema["required"] = required
    return schema


def _column(column: ColumnInfo) -> dict[str, Any]:
    schema = dict(_KINDS[column.kind])
    if column.nullable and "type" in schema:
        schema["type"] = [schema["type"], "null"]
    return schema


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description: str, schema: dict[str, Any], etag: bool = False) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }
    if etag:
        answer["headers"] = _etag_header()
    return answer


def _etag_header() -> dict[str, Any]:
    return {"ETag": {"schema": {"type": "string"}}}


_ERRORS = {
    400: ("Bad input: fields or parameters named with their messages", "FieldErrors"),
    404: ("No such resource or object", "Detail"),
    412: ("The object changed since the given ETag", "Detail"),
    413: ("The body is past max_body_size", "Detail"),
    415: ("The body is neither JSON nor form fields", "Detail"),
}


def _errors(*statuses: int) -> dict[str, Any]:
    answers = {}
    for status in statuses:
        description, schema = _ERRORS[status]
        if status == 400:
            # Malformed JSON answers a detail; field errors name their fields.
            body = {"oneOf": [_ref("FieldErrors"), _DETAIL]}
        else:
            body = _ref(schema)
        answers[str(status)] = {
            "description": description,
            "content": {"application/json": {"schema": body}},
        }
    return answers


__all__ = ["openapi"]
