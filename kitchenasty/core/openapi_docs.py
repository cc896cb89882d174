"""`/api/docs`: a self-contained API reference page (inline CSS and JS, no CDN), so it works offline."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>KitchenAsty API</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#1f2328;color:#fff;padding:14px 20px}header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px}
input{width:100%;padding:8px 10px;font-size:15px;border:1px solid #8c959f;border-radius:6px;margin-bottom:12px}
h2{margin:24px 0 8px;font-size:17px;text-transform:capitalize}
details{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:6px 0}
summary{cursor:pointer;padding:8px 10px;display:flex;gap:10px;align-items:baseline}
.m{font:700 12px ui-monospace,monospace;min-width:56px;text-align:center;border-radius:4px;padding:2px 6px;color:#fff}
.get{background:#0969da}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}
.delete{background:#cf222e}.p{font-family:ui-monospace,monospace}.s{color:#57606a}
.body{padding:4px 14px 12px;border-top:1px solid #d0d7de}
pre{background:#f6f8fa;padding:8px;border-radius:6px;overflow:auto;font-size:13px;max-height:360px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eaeef2;text-align:left;padding:4px 6px}
a{color:#0969da}
</style></head>
<body><header><h1>KitchenAsty API</h1><div id="ver"></div></header>
<main><p>Machine-readable spec: <a href="__JSON__">__JSON__</a>.
Authenticate with <code>Authorization: Bearer &lt;token&gt;</code> from a login endpoint.</p>
<label for="q">Filter operations</label><input id="q" placeholder="path, tag or summary" autocomplete="off">
<div id="ops">Loading...</div></main>
<script>
const esc = s => String(s).replace(/[&<>"]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]));
let spec;
function resolve(schema, depth) {
  if (!schema || depth > 6) return schema;
  if (schema.$ref) {
    const name = schema.$ref.split("/").pop();
    return resolve((spec.components.schemas || {})[name], depth + 1);
  }
  const out = Array.isArray(schema) ? [] : {};
  for (const [k, v] of Object.entries(schema)) out[k] = (v && typeof v === "object") ? resolve(v, depth + 1) : v;
  return out;
}
function render(filter) {
  const groups = {};
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!["get","post","put","patch","delete"].includes(method)) continue;
      const tag = (op.tags || ["other"])[0];
      const text = (path + " " + tag + " " + (op.summary || "")).toLowerCase();
      if (filter && !text.includes(filter)) continue;
      (groups[tag] = groups[tag] || []).push([method, path, op]);
    }
  }
  const html = [];
  for (const tag of Object.keys(groups).sort()) {
    html.push("<h2>" + esc(tag) + "</h2>");
    for (const [method, path, op] of groups[tag]) {
      const params = (op.parameters || []).map(p => "<tr><td class=p>" + esc(p.name) + "</td><td>" + esc(p.in) +
        "</td><td>" + (p.required ? "required" : "") + "</td><td class=s>" + esc(JSON.stringify(resolve(p.schema, 0) || {})) + "</td></tr>").join("");
      const body = op.requestBody ? Object.values(op.requestBody.content || {})[0] : null;
      const responses = Object.entries(op.responses || {}).map(([code, r]) => {
        const c = r.content ? Object.values(r.content)[0] : null;
        return "<p><b>" + esc(code) + "</b> " + esc(r.description || "") + "</p>" +
          (c && c.schema ? "<pre>" + esc(JSON.stringify(resolve(c.schema, 0), null, 2)) + "</pre>" : "");
      }).join("");
      html.push("<details><summary><span class='m " + method + "'>" + method.toUpperCase() + "</span><span class=p>" +
        esc(path) + "</span><span class=s>" + esc(op.summary || "") + "</span></summary><div class=body>" +
        (op.description ? "<p>" + esc(op.description) + "</p>" : "") +
        (params ? "<h3>Parameters</h3><table>" + params + "</table>" : "") +
        (body && body.schema ? "<h3>Request body</h3><pre>" + esc(JSON.stringify(resolve(body.schema, 0), null, 2)) + "</pre>" : "") +
        "<h3>Responses</h3>" + responses + "</div></details>");
    }
  }
  document.getElementById("ops").innerHTML = html.join("") || "<p>No operation matches.</p>";
}
fetch("__JSON__").then(r => r.json()).then(s => {
  spec = s;
  document.getElementById("ver").textContent = (s.info && s.info.version) ? "version " + s.info.version : "";
  render("");
  document.getElementById("q").addEventListener("input", e => render(e.target.value.trim().toLowerCase()));
}).catch(() => { document.getElementById("ops").textContent = "Could not load the API description."; });
</script></body></html>
"""


OPENAPI_JSON_PATH = "/api/openapi.json"


@get(OPENAPI_JSON_PATH, include_in_schema=False, media_type="application/vnd.oai.openapi+json")
async def openapi_json(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """The OpenAPI document Litestar generates from the routes and msgspec schemas."""
    return Response(request.app.openapi_schema.to_schema(), media_type="application/vnd.oai.openapi+json")


@get("/api/docs", include_in_schema=False, media_type=MediaType.HTML)
async def api_docs() -> str:
    return _PAGE.replace("__JSON__", OPENAPI_JSON_PATH)


DOCS_ROUTES = [openapi_json, api_docs]
