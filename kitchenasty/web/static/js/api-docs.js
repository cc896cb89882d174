// The API reference page (/api/docs): loads the OpenAPI document and lists its operations by tag, with a filter.
// A file rather than an inline script, so the page keeps the same Content-Security-Policy as the others.

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const specUrl = document.getElementById("spec-link").getAttribute("href");
let spec;

function resolve(schema, depth) {
  if (!schema || depth > 6) return schema;
  if (schema.$ref) {
    const name = schema.$ref.split("/").pop();
    return resolve((spec.components.schemas || {})[name], depth + 1);
  }
  const out = Array.isArray(schema) ? [] : {};
  for (const [k, v] of Object.entries(schema)) out[k] = v && typeof v === "object" ? resolve(v, depth + 1) : v;
  return out;
}

function render(filter) {
  const groups = {};
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
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
      const params = (op.parameters || [])
        .map(
          (p) =>
            "<tr><td class=p>" + esc(p.name) + "</td><td>" + esc(p.in) + "</td><td>" + (p.required ? "required" : "") +
            "</td><td class=s>" + esc(JSON.stringify(resolve(p.schema, 0) || {})) + "</td></tr>",
        )
        .join("");
      const body = op.requestBody ? Object.values(op.requestBody.content || {})[0] : null;
      const responses = Object.entries(op.responses || {})
        .map(([code, r]) => {
          const c = r.content ? Object.values(r.content)[0] : null;
          return (
            "<p><b>" + esc(code) + "</b> " + esc(r.description || "") + "</p>" +
            (c && c.schema ? "<pre>" + esc(JSON.stringify(resolve(c.schema, 0), null, 2)) + "</pre>" : "")
          );
        })
        .join("");
      html.push(
        "<details><summary><span class='m " + method + "'>" + method.toUpperCase() + "</span><span class=p>" +
          esc(path) + "</span><span class=s>" + esc(op.summary || "") + "</span></summary><div class=body>" +
          (op.description ? "<p>" + esc(op.description) + "</p>" : "") +
          (params ? "<h3>Parameters</h3><table>" + params + "</table>" : "") +
          (body && body.schema
            ? "<h3>Request body</h3><pre>" + esc(JSON.stringify(resolve(body.schema, 0), null, 2)) + "</pre>"
            : "") +
          "<h3>Responses</h3>" + responses + "</div></details>",
      );
    }
  }
  document.getElementById("ops").innerHTML = html.join("") || "<p>No operation matches.</p>";
}

fetch(specUrl)
  .then((r) => r.json())
  .then((s) => {
    spec = s;
    document.getElementById("ver").textContent = s.info && s.info.version ? "version " + s.info.version : "";
    render("");
    document.getElementById("q").addEventListener("input", (e) => render(e.target.value.trim().toLowerCase()));
  })
  .catch(() => {
    document.getElementById("ops").textContent = "Could not load the API description.";
  });
