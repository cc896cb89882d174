// A list screen's table: columns, paging over the API's `{data, pagination}`, sorting, filters and a search box,
// all kept in the address's query string (a view can be bookmarked; back and forward work), an empty-state
// sentence, and a link per row.

import { api, el } from "../common.js";

/**
 * @typedef {object} Column
 * @property {string} label - the column heading
 * @property {string} [key] - a (dotted) field of the row to show, e.g. "customer.name"
 * @property {(row: object) => (string|Node|null)} [value] - what to show instead of `key`
 * @property {boolean} [sortable] - the heading becomes a sort button
 * @property {string} [sortKey] - the name sent as `sort` (server sorting) or kept in the URL; default `key`
 * @property {(row: object) => (string|number)} [sortValue] - what client sorting compares; default the shown text
 * @property {"start"|"end"} [align] - "end" for amounts
 * @property {boolean} [link] - this column's cell carries the row's link (default: the first column)
 */

/**
 * @typedef {object} Filter
 * @property {string} name - the URL query parameter (and, unless `param` is given, the API's)
 * @property {string} label - the visible label
 * @property {"select"|"text"|"date"|"number"} [type] - default "select"
 * @property {Array<{value: string, label: string}>|(() => Promise<Array<{value: string, label: string}>>)} [options]
 *   - a select's choices (an "All" choice with the value "" comes first; `allLabel` renames it)
 * @property {string} [allLabel]
 * @property {string} [param] - the API's name for it, when it differs
 */

/**
 * @typedef {object} ListOptions
 * @property {string|((query: URLSearchParams) => string)} endpoint - "/api/orders", or a function building the
 *   API address from the query the list would send (page, limit, filters, search, sort)
 * @property {Column[]} columns
 * @property {Filter[]} [filters]
 * @property {{label?: string, param?: string, placeholder?: string, help?: string}|false} [search] - a search box
 *   ("Search"); kept in the URL as `q`, sent to the API as `param` (default "search")
 * @property {{mode?: "server"|"client", param?: string, orderParam?: string, key?: string, dir?: "asc"|"desc"}} [sort]
 *   - "server" sends `sort`/`order` to the API; "client" (the default) sorts the rows on the current page; `key`
 *   and `dir` are the initial sort
 * @property {number} [limit] - rows per page (default 20, at most 100)
 * @property {(row: object) => string} [rowHref] - the row's link
 * @property {(row: object) => string} [rowLabel] - the link's text when the link column shows no text
 * @property {(row: object) => string} [rowClass]
 * @property {string} label - what the list holds ("Orders"): the table's caption and region name
 * @property {[string, string]} [noun] - one and many, for the count above the table (["order", "orders"])
 * @property {string} [empty] - the sentence when nothing matches ("No orders match these filters.")
 * @property {(url: string) => void} [navigate] - how a row click leaves (pass `ctx.navigate`)
 * @property {(result: object) => void} [onLoad] - after each load: `{rows, pagination, query}`
 */

const DEFAULT_LIMIT = 20;

function pick(row, key) {
  return String(key)
    .split(".")
    .reduce((value, part) => (value === null || value === undefined ? value : value[part]), row);
}

function cellContent(column, row) {
  const value = column.value ? column.value(row) : pick(row, column.key);
  if (value === null || value === undefined) return "";
  return value instanceof Node ? value : String(value);
}

function textOf(content) {
  return content instanceof Node ? content.textContent : String(content);
}

let counter = 0;

/**
 * Build the list inside `root` and load its first page.
 * @param {HTMLElement} root
 * @param {ListOptions} options
 * @returns {{reload: (opts?: {quiet?: boolean}) => Promise<void>, query: () => URLSearchParams,
 *   apiQuery: () => URLSearchParams, rows: () => object[], destroy: () => void, element: HTMLElement}}
 *   `reload({quiet: true})` refreshes without the "Loading…" state (for live updates); `query()` is the list's
 *   state as in the address; `apiQuery()` what it sends to the API (e.g. for a CSV export with the same filters)
 */
export function createList(root, options) {
  counter += 1;
  const id = `admin-list-${counter}`;
  const columns = options.columns;
  const filters = options.filters || [];
  const search = options.search === false || options.search === undefined ? null : { label: "Search", ...options.search };
  const sort = { mode: "client", param: "sort", orderParam: "order", ...(options.sort || {}) };
  const limit = Math.min(100, options.limit || DEFAULT_LIMIT);
  const navigate = options.navigate || ((url) => location.assign(url));
  const path = location.pathname;
  const linkColumn = Math.max(0, columns.findIndex((c) => c.link));
  let rows = [];
  let request = 0;

  // ------------------------------------------------------------ state <-> address

  function state() {
    const query = new URLSearchParams(location.search);
    const page = Math.max(1, parseInt(query.get("page") || "1", 10) || 1);
    const values = {};
    for (const filter of filters) values[filter.name] = query.get(filter.name) || "";
    return {
      page,
      q: search ? query.get("q") || "" : "",
      sort: query.get("sort") || sort.key || "",
      dir: query.get("dir") === "desc" || (!query.get("sort") && sort.dir === "desc") ? "desc" : "asc",
      filters: values,
    };
  }

  function toQuery(s) {
    const query = new URLSearchParams(location.search);
    for (const filter of filters) {
      if (s.filters[filter.name]) query.set(filter.name, s.filters[filter.name]);
      else query.delete(filter.name);
    }
    if (s.q) query.set("q", s.q);
    else query.delete("q");
    if (s.sort && (s.sort !== (sort.key || "") || s.dir !== (sort.dir || "asc"))) {
      query.set("sort", s.sort);
      query.set("dir", s.dir);
    } else {
      query.delete("sort");
      query.delete("dir");
    }
    if (s.page > 1) query.set("page", String(s.page));
    else query.delete("page");
    return query;
  }

  function go(next, { replace = false } = {}) {
    const query = toQuery(next).toString();
    const url = `${path}${query ? `?${query}` : ""}`;
    if (url !== `${location.pathname}${location.search}`) {
      history[replace ? "replaceState" : "pushState"](null, "", url);
    }
    syncControls({ typing: true }); // what is being typed in the search box stays as typed
    load();
  }

  function apiQuery() {
    const s = state();
    const query = new URLSearchParams();
    query.set("page", String(s.page));
    query.set("limit", String(limit));
    for (const filter of filters) {
      if (s.filters[filter.name]) query.set(filter.param || filter.name, s.filters[filter.name]);
    }
    if (search && s.q) query.set(search.param || "search", s.q);
    if (sort.mode === "server" && s.sort) {
      query.set(sort.param, s.sort);
      query.set(sort.orderParam, s.dir);
    }
    return query;
  }

  function address() {
    const query = apiQuery();
    if (typeof options.endpoint === "function") return options.endpoint(query);
    return `${options.endpoint}${options.endpoint.includes("?") ? "&" : "?"}${query}`;
  }

  // ------------------------------------------------------------ controls

  const controls = {};
  const filterForm = el("form", { class: "admin-filters", role: "search", "aria-label": `Filter ${options.label.toLowerCase()}` });
  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    commitSearch();
  });

  if (search) {
    const input = el("input", {
      id: `${id}-q`,
      type: "search",
      name: "q",
      placeholder: search.placeholder || null,
      autocomplete: "off",
      "aria-describedby": search.help ? `${id}-q-help` : null,
    });
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(commitSearch, 400);
    });
    controls.q = input;
    filterForm.append(
      el(
        "div",
        { class: "admin-filter admin-filter-search" },
        el("label", { for: `${id}-q`, text: search.label }),
        input,
        search.help ? el("p", { class: "admin-help", id: `${id}-q-help`, text: search.help }) : null,
      ),
    );
  }

  function commitSearch() {
    if (!controls.q) return;
    const s = state();
    const q = controls.q.value.trim();
    if (q === s.q) return;
    go({ ...s, q, page: 1 });
  }

  for (const filter of filters) {
    const type = filter.type || "select";
    const controlId = `${id}-${filter.name}`;
    let control;
    if (type === "select") {
      control = el("select", { id: controlId, name: filter.name }, el("option", { value: "", text: filter.allLabel || "All" }));
      const fill = (choices) => {
        for (const choice of choices) control.append(el("option", { value: choice.value, text: choice.label }));
        control.value = state().filters[filter.name];
      };
      if (typeof filter.options === "function") filter.options().then(fill, () => {});
      else fill(filter.options || []);
    } else {
      control = el("input", { id: controlId, name: filter.name, type: type === "text" ? "text" : type });
    }
    control.addEventListener("change", () => {
      const s = state();
      go({ ...s, page: 1, filters: { ...s.filters, [filter.name]: control.value.trim() } });
    });
    controls[filter.name] = control;
    filterForm.append(el("div", { class: "admin-filter" }, el("label", { for: controlId, text: filter.label }), control));
  }

  const clear = el("button", { type: "button", class: "btn btn-ghost admin-filter-clear", text: "Clear filters" });
  clear.addEventListener("click", () => {
    const s = state();
    go({ ...s, page: 1, q: "", filters: Object.fromEntries(filters.map((f) => [f.name, ""])) });
  });
  if (filters.length || search) filterForm.append(el("div", { class: "admin-filter admin-filter-actions" }, clear));

  function syncControls({ typing = false } = {}) {
    const s = state();
    if (controls.q && !(typing && document.activeElement === controls.q)) controls.q.value = s.q;
    for (const filter of filters) controls[filter.name].value = s.filters[filter.name];
    clear.hidden = !s.q && !Object.values(s.filters).some(Boolean);
    for (const th of head.querySelectorAll("th[data-sort]")) {
      const active = th.dataset.sort === s.sort;
      if (active) th.setAttribute("aria-sort", s.dir === "desc" ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    }
  }

  // ------------------------------------------------------------ table

  const head = el(
    "tr",
    {},
    columns.map((column) => {
      const key = column.sortKey || column.key || column.label;
      const th = el("th", { scope: "col", class: column.align === "end" ? "admin-num" : null });
      if (!column.sortable) {
        th.textContent = column.label;
        return th;
      }
      th.dataset.sort = key;
      const button = el("button", { type: "button", class: "admin-sort", text: column.label });
      button.addEventListener("click", () => {
        const s = state();
        const dir = s.sort === key && s.dir === "asc" ? "desc" : "asc";
        go({ ...s, sort: key, dir, page: 1 });
      });
      th.append(button);
      return th;
    }),
  );
  const body = el("tbody");
  body.addEventListener("click", (event) => {
    if (event.target.closest("a, button, input, select, textarea, label")) return;
    const tr = event.target.closest("tr[data-href]");
    if (tr && !window.getSelection().toString()) navigate(tr.dataset.href);
  });
  const table = el(
    "table",
    { class: "admin-table" },
    el("caption", { class: "visually-hidden", text: options.label }),
    el("thead", {}, head),
    body,
  );
  const wrap = el("div", { class: "admin-table-wrap", role: "region", "aria-label": options.label, tabindex: "0" }, table);
  const summary = el("p", { class: "admin-list-summary", role: "status", "aria-live": "polite" });
  const empty = el("p", { class: "admin-empty", text: options.empty || "Nothing here yet.", hidden: true });
  const problem = el("div", { class: "banner banner-error admin-list-error", role: "alert", hidden: true });
  const previous = el("button", { type: "button", class: "btn", text: "Previous page" });
  const next = el("button", { type: "button", class: "btn", text: "Next page" });
  const pageText = el("span", { class: "admin-pager-text" });
  previous.addEventListener("click", () => {
    const s = state();
    go({ ...s, page: Math.max(1, s.page - 1) });
  });
  next.addEventListener("click", () => {
    const s = state();
    go({ ...s, page: s.page + 1 });
  });
  const pager = el("nav", { class: "admin-pager", "aria-label": `${options.label}: pages` }, previous, pageText, next);
  const element = el("div", { class: "admin-list", id }, filterForm, summary, problem, wrap, empty, pager);
  root.append(element);

  function sorted(list) {
    const s = state();
    if (sort.mode !== "client" || !s.sort) return list;
    const column = columns.find((c) => (c.sortKey || c.key || c.label) === s.sort);
    if (!column) return list;
    const valueOf = (row) => (column.sortValue ? column.sortValue(row) : textOf(cellContent(column, row)));
    const factor = s.dir === "desc" ? -1 : 1;
    return [...list].sort((a, b) => {
      const x = valueOf(a);
      const y = valueOf(b);
      if (typeof x === "number" && typeof y === "number") return (x - y) * factor;
      return String(x).localeCompare(String(y), undefined, { numeric: true, sensitivity: "base" }) * factor;
    });
  }

  function renderRows(list) {
    body.replaceChildren(
      ...sorted(list).map((row) => {
        const href = options.rowHref ? options.rowHref(row) : null;
        const tr = el("tr", { class: options.rowClass ? options.rowClass(row) : null, dataset: href ? { href } : {} });
        columns.forEach((column, index) => {
          let content = cellContent(column, row);
          if (href && index === linkColumn) {
            const text = textOf(content).trim();
            content = el("a", { href, "aria-label": text ? null : options.rowLabel ? options.rowLabel(row) : null }, content);
          }
          const head = index === linkColumn;
          tr.append(
            el(
              head ? "th" : "td",
              { scope: head ? "row" : null, class: column.align === "end" ? "admin-num" : null, dataset: head ? {} : { label: column.label } },
              content,
            ),
          );
        });
        return tr;
      }),
    );
  }

  async function load({ quiet = false } = {}) {
    const mine = ++request;
    if (!quiet) element.setAttribute("aria-busy", "true");
    const response = await api(address());
    if (mine !== request) return;
    element.removeAttribute("aria-busy");
    if (!response.ok) {
      problem.replaceChildren(
        el("span", { text: response.error }),
        " ",
        el("button", { type: "button", class: "btn btn-light", text: "Try again", onclick: () => load() }),
      );
      problem.hidden = false;
      return;
    }
    problem.hidden = true;
    rows = Array.isArray(response.data) ? response.data : [];
    const pagination = (response.body && response.body.pagination) || { page: 1, limit, total: rows.length, totalPages: 1 };
    const s = state();
    if (rows.length === 0 && pagination.total > 0 && s.page > pagination.totalPages) {
      go({ ...s, page: pagination.totalPages }, { replace: true }); // a bookmark past the last page
      return;
    }
    renderRows(rows);
    const total = pagination.total;
    const [one, many] = options.noun || [options.label.toLowerCase(), options.label.toLowerCase()];
    summary.textContent = total === 0 ? "" : `${total} ${total === 1 ? one : many}`;
    empty.hidden = rows.length > 0;
    wrap.hidden = rows.length === 0;
    pager.hidden = pagination.totalPages <= 1;
    pageText.textContent = `Page ${pagination.page} of ${Math.max(1, pagination.totalPages)}`;
    previous.disabled = pagination.page <= 1;
    next.disabled = pagination.page >= pagination.totalPages;
    element.dataset.loaded = String(Number(element.dataset.loaded || 0) + 1);
    if (options.onLoad) options.onLoad({ rows, pagination, query: apiQuery() });
  }

  const onPop = () => {
    if (location.pathname !== path) return;
    syncControls();
    load();
  };
  window.addEventListener("popstate", onPop);
  syncControls();
  load();

  return {
    element,
    reload: load,
    query: () => toQuery(state()),
    apiQuery,
    rows: () => rows,
    destroy() {
      window.removeEventListener("popstate", onPop);
      element.remove();
    },
  };
}
