// The automation rule form: name, event, active (the shared form module), then the conditions as rows of
// field / test / value — the fields offered are the event's payload paths, the tests those the field's type allows,
// the value a list when the field has a fixed set of values — and the actions (rule-actions.js). Refusals from the
// API name their row and field (`details` keys such as `conditions[0].value`, `actions[1].subject`).

import { api, el } from "../common.js";
import { confirm } from "./dialog.js";
import { createForm } from "./form.js";
import { setDirty } from "./leave.js";
import { actionBlock, sentence } from "./rule-actions.js";
import { toast } from "./toast.js";

export const EVENT_TEXT = {
  "order.created": "An order is placed",
  "order.statusChanged": "An order's status changes",
  "customer.registered": "A customer creates an account",
  "staff.invited": "A staff member is invited",
};

export const CONDITION_OPS = {
  eq: "is",
  ne: "is not",
  gt: "is more than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  in: "is one of",
  contains: "contains",
};

const DIRTY_KEY = "automation-rule-rows";

/** "conditions[0].value" / "conditions.0.value" -> ["conditions", 0, "value"]. */
function parseKey(key) {
  const parts = String(key || "")
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean);
  return [parts[0], parts[1] === undefined ? null : Number(parts[1]), parts.slice(2).join(".") || null];
}

function valueToText(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((v) => (v === null ? "" : String(v))).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** One condition row: field, test and value, each labelled, inside a fieldset named "Condition N". */
function conditionRow(kind, condition, onRemove) {
  const id = `rule-condition-${Math.random().toString(36).slice(2, 8)}`;
  const legend = el("legend", {});
  const path = el("select", { id: `${id}-path` });
  const op = el("select", { id: `${id}-op` });
  const valueBox = el("div", { class: "admin-field admin-rule-value" });
  const error = el("p", { class: "admin-field-error", id: `${id}-error`, hidden: true });
  const remove = el("button", { type: "button", class: "btn btn-ghost admin-rule-remove", text: "Remove" });
  const row = el(
    "fieldset",
    { class: "admin-rule-block admin-rule-condition" },
    legend,
    el(
      "div",
      { class: "admin-rule-line" },
      el("div", { class: "admin-field" }, el("label", { for: path.id, text: "Field" }), path),
      el("div", { class: "admin-field" }, el("label", { for: op.id, text: "Test" }), op),
      valueBox,
      remove,
    ),
    error,
  );
  let value = null;
  let paths = kind.paths;
  let current = { path: condition.path, op: condition.op || "eq", value: condition.value };

  const info = () => paths.find((p) => p.path === path.value) || { type: "any", nullable: true, choices: null, operators: Object.keys(CONDITION_OPS) };

  function drawPaths() {
    const known = paths.some((p) => p.path === current.path);
    path.replaceChildren(
      ...paths.map((p) => el("option", { value: p.path, text: `${p.path} (${p.choices ? "one of a set" : p.type})` })),
      current.path && !known ? el("option", { value: current.path, text: `${current.path} (not in this event)` }) : null,
    );
    path.value = current.path || (paths.find((p) => p.path === "order.status") || paths[0] || {}).path || "";
  }

  function drawOps() {
    const ops = info().operators;
    op.replaceChildren(...ops.map((o) => el("option", { value: o, text: CONDITION_OPS[o] || o })));
    op.value = ops.includes(current.op) ? current.op : ops[0];
  }

  function drawValue() {
    const field = info();
    const controlId = `${id}-value`;
    const helpId = `${controlId}-help`;
    let help = "";
    if (field.choices && (op.value === "eq" || op.value === "ne")) {
      value = el("select", { id: controlId }, field.choices.map((c) => el("option", { value: String(c), text: String(c) })));
      value.value = field.choices.map(String).includes(String(current.value)) ? String(current.value) : String(field.choices[0]);
    } else if (field.type === "boolean" && op.value !== "in") {
      value = el("select", { id: controlId }, el("option", { value: "true", text: "yes (true)" }), el("option", { value: "false", text: "no (false)" }));
      value.value = current.value === false ? "false" : "true";
    } else {
      value = el("input", { id: controlId, type: "text", autocomplete: "off", inputmode: field.type === "number" && op.value !== "in" ? "decimal" : null });
      value.value = valueToText(current.value);
      if (op.value === "in") help = field.choices ? `Separate them with commas: ${field.choices.join(", ")}.` : "Separate them with commas.";
      else if (field.type === "number") help = "A number, e.g. 25 or 12.50.";
      else if (field.nullable) help = "Leave it empty for “no value”.";
    }
    value.setAttribute("aria-describedby", [help ? helpId : "", error.id].filter(Boolean).join(" "));
    valueBox.replaceChildren(el("label", { for: controlId, text: "Value" }), value);
    if (help) valueBox.append(el("p", { class: "admin-help", id: helpId, text: help }));
  }

  function remember() {
    current = { path: path.value, op: op.value, value: readRaw() };
  }

  path.addEventListener("change", () => {
    remember();
    drawOps();
    drawValue();
  });
  op.addEventListener("change", () => {
    remember();
    drawValue();
  });
  remove.addEventListener("click", () => onRemove(handle));

  function convert(text, type) {
    if (type === "number") return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (type === "boolean") return text === "true" ? true : text === "false" ? false : text;
    return text;
  }

  function readRaw() {
    if (!value) return current.value;
    const field = info();
    const text = value.value.trim();
    if (op.value === "in") {
      return text
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => convert(part, field.choices ? typeof field.choices[0] === "number" ? "number" : "string" : field.type));
    }
    if (value.tagName === "SELECT") {
      if (field.type === "boolean") return text === "true";
      const choice = (field.choices || []).find((c) => String(c) === text);
      return choice === undefined ? text : choice;
    }
    if (text === "" && (field.nullable || field.type === "object" || field.type === "any")) return null;
    if (field.type === "object" || field.type === "any") {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    return convert(text, field.type);
  }

  const handle = {
    element: row,
    peek: () => [path.value, op.value, value ? value.value : ""],
    read() {
      const raw = readRaw();
      const bad = typeof raw === "number" ? Number.isNaN(raw) : Array.isArray(raw) && raw.some((v) => typeof v === "number" && Number.isNaN(v));
      if (bad) {
        handle.mark("value", "must be a number, e.g. 25 or 12.50");
        return null;
      }
      return { path: path.value, op: op.value, value: raw };
    },
    mark(field, message) {
      const control = field === "path" ? path : field === "op" ? op : value;
      error.textContent = sentence(message, field === "path" ? "Field" : field === "op" ? "Test" : "Value");
      error.hidden = false;
      control.setAttribute("aria-invalid", "true");
      if (!control.getAttribute("aria-describedby")?.includes(error.id)) {
        control.setAttribute("aria-describedby", `${control.getAttribute("aria-describedby") || ""} ${error.id}`.trim());
      }
      return control;
    },
    clearErrors() {
      error.hidden = true;
      error.textContent = "";
      for (const control of [path, op, value]) control.removeAttribute("aria-invalid");
    },
    setIndex(index) {
      legend.textContent = `Condition ${index + 1}`;
      remove.setAttribute("aria-label", `Remove condition ${index + 1}`);
    },
    setKind(next) {
      remember();
      paths = next.paths;
      drawPaths();
      drawOps();
      drawValue();
    },
  };
  drawPaths();
  drawOps();
  drawValue();
  return handle;
}

/**
 * Draw the rule form for a new rule (`ruleId` null) or an existing one.
 * @param {HTMLElement} main @param {object} ctx @param {string|null} ruleId
 */
export async function mountRuleForm(main, ctx, ruleId) {
  ctx.setTitle(ruleId ? "Rule" : "New rule");
  const [catalog, existing] = await Promise.all([
    api("/api/automation/events"),
    ruleId ? api(`/api/automation-rules/${encodeURIComponent(ruleId)}`) : Promise.resolve({ ok: true, data: null }),
  ]);
  if (!catalog.ok || !existing.ok) {
    const failed = !existing.ok ? existing : catalog;
    main.replaceChildren(
      el("p", { class: "banner banner-error", role: "alert", text: failed.status === 404 ? "This rule does not exist (any more)." : failed.error }),
      el("p", {}, el("a", { href: "/admin/automation", text: "Back to the rules" })),
    );
    return;
  }
  const kinds = Object.fromEntries(catalog.data.map((k) => [k.event, k]));
  const rule = existing.data || {
    name: "",
    event: kinds["order.statusChanged"] ? "order.statusChanged" : catalog.data[0].event,
    isActive: true,
    conditions: [],
    actions: [{ type: "email", to: "customer", subject: "", body: "" }],
  };
  if (ruleId) ctx.setTitle(`Rule: ${rule.name}`);
  const actionKinds = Object.fromEntries(catalog.data[0].actions.map((a) => [a.type, a.fields]));
  const kindOf = () => kinds[form.values().event] || { paths: [] };

  const conditions = [];
  const actions = [];
  const conditionsBox = el("div", { class: "admin-rule-rows" });
  const actionsBox = el("div", { class: "admin-rule-rows" });
  const conditionsError = el("p", { class: "admin-field-error", id: "rule-conditions-error", hidden: true });
  const actionsError = el("p", { class: "admin-field-error", id: "rule-actions-error", hidden: true });
  const noConditions = el("p", { class: "muted admin-rule-none", text: "No condition: the rule runs for every such event." });
  const addCondition = el("button", { type: "button", class: "btn", text: "Add a condition" });
  const addAction = el("button", { type: "button", class: "btn", text: "Add an action" });
  let baseline = "";

  const form = createForm(main, {
    label: ruleId ? "Edit the rule" : "New rule",
    fields: [
      { name: "name", label: "Name", required: true, maxLength: 200, help: "For you, e.g. “Tell the guest the order is ready”." },
      {
        name: "event",
        label: "When",
        type: "select",
        options: catalog.data.map((k) => ({ value: k.event, label: `${EVENT_TEXT[k.event] || k.event} (${k.event})` })),
        help: "The event the rule reacts to.",
      },
      { name: "isActive", label: "Active: the rule runs", type: "checkbox" },
    ],
    values: { name: rule.name, event: rule.event, isActive: rule.isActive },
    submitLabel: ruleId ? "Save the rule" : "Create the rule",
    submit: save,
    onSaved: saved,
  });

  function renumber() {
    conditions.forEach((c, i) => c.setIndex(i));
    actions.forEach((a, i) => a.setIndex(i));
    noConditions.hidden = conditions.length > 0;
    trackRows();
  }

  function addConditionRow(condition) {
    const row = conditionRow(kindOf(), condition, (handle) => {
      conditions.splice(conditions.indexOf(handle), 1);
      handle.element.remove();
      renumber();
      addCondition.focus();
    });
    conditions.push(row);
    conditionsBox.append(row.element);
    return row;
  }

  function addActionBlock(action) {
    const block = actionBlock({
      index: actions.length,
      action,
      kinds: actionKinds,
      paths: () => kindOf().paths.map((p) => p.path),
      eventName: () => form.values().event,
      canRemove: () => actions.length > 1,
      onRemove: (handle) => {
        actions.splice(actions.indexOf(handle), 1);
        handle.element.remove();
        renumber();
        addAction.focus();
      },
    });
    actions.push(block);
    actionsBox.append(block.element);
    return block;
  }

  function rowsSnapshot() {
    return JSON.stringify([conditions.map((c) => c.peek()), actions.map((a) => a.peek())]);
  }

  function trackRows() {
    setDirty(DIRTY_KEY, rowsSnapshot() !== baseline);
  }

  const sections = el(
    "div",
    { class: "admin-rule-sections" },
    el(
      "fieldset",
      { class: "admin-rule-group", "aria-describedby": "rule-conditions-help rule-conditions-error" },
      el("legend", { text: "Conditions" }),
      el("p", { class: "admin-help", id: "rule-conditions-help", text: "Every condition must hold for the rule to run." }),
      noConditions,
      conditionsBox,
      conditionsError,
      addCondition,
    ),
    el(
      "fieldset",
      { class: "admin-rule-group", "aria-describedby": "rule-actions-help rule-actions-error" },
      el("legend", { text: "Actions" }),
      el("p", { class: "admin-help", id: "rule-actions-help", text: "What to send. Each goes to the outbox, which retries until it is delivered." }),
      actionsBox,
      actionsError,
      addAction,
    ),
  );
  form.form.insertBefore(sections, form.form.querySelector(":scope > .admin-form-error"));

  for (const condition of rule.conditions) addConditionRow(condition);
  for (const action of rule.actions) addActionBlock(action);
  addCondition.addEventListener("click", () => {
    const row = addConditionRow({ op: "eq" });
    renumber();
    row.element.querySelector("select").focus();
  });
  addAction.addEventListener("click", () => {
    const block = addActionBlock({ type: "email", to: "customer" });
    renumber();
    block.element.querySelector("select").focus();
  });
  form.control("event").addEventListener("change", () => {
    for (const row of conditions) row.setKind(kindOf());
    for (const block of actions) block.eventChanged();
  });
  form.form.addEventListener("input", trackRows);
  form.form.addEventListener("change", trackRows);
  renumber();
  baseline = rowsSnapshot();
  trackRows();

  if (ruleId && ctx.user.role === "SUPER_ADMIN") {
    const del = el("button", { type: "button", class: "btn btn-danger", text: "Delete the rule" });
    del.addEventListener("click", async () => {
      const yes = await confirm({
        title: "Delete this rule?",
        body: `“${rule.name}” stops at once. What it already sent stays in the outbox.`,
        confirmLabel: "Delete the rule",
        danger: true,
      });
      if (!yes) return;
      const response = await api(`/api/automation-rules/${encodeURIComponent(ruleId)}`, { method: "DELETE" });
      if (!response.ok) {
        toast(response.error, { kind: "error" });
        return;
      }
      form.markSaved();
      setDirty(DIRTY_KEY, false);
      toast("Rule deleted.", { kind: "success" });
      ctx.navigate("/admin/automation");
    });
    form.form.querySelector(":scope > .admin-form-actions").append(del);
  }
  form.form.querySelector(":scope > .admin-form-actions").append(el("a", { class: "btn btn-ghost", href: "/admin/automation", text: "Back to the rules" }));

  function clearRowErrors() {
    for (const row of [...conditions, ...actions]) row.clearErrors();
    for (const box of [conditionsError, actionsError]) {
      box.hidden = true;
      box.textContent = "";
    }
  }

  /** Mark the rows a refusal names; returns the details left for the shared form (name, event). */
  function markRows(details) {
    const left = [];
    let first = null;
    for (const detail of details) {
      const [group, index, field] = parseKey(detail.key);
      let control = null;
      if (group === "conditions" && index !== null && conditions[index]) control = conditions[index].mark(field || "value", detail.message);
      else if (group === "actions" && index !== null && actions[index]) control = actions[index].markField(field || "", detail.message);
      else if (group === "conditions" || group === "actions") {
        const box = group === "conditions" ? conditionsError : actionsError;
        box.textContent = sentence(detail.message, group === "conditions" ? "Conditions" : "Actions");
        box.hidden = false;
        control = group === "conditions" ? addCondition : addAction;
      } else {
        left.push(detail);
        continue;
      }
      first = first || control;
    }
    return { left, first };
  }

  async function save(values) {
    clearRowErrors();
    const readConditions = conditions.map((c) => c.read());
    const readActions = actions.map((a) => a.read());
    if (readConditions.includes(null) || readActions.includes(null)) {
      const marked = main.querySelector(".admin-rule-sections [aria-invalid='true']");
      if (marked) marked.focus();
      return { ok: false, status: 0, error: "Please correct the marked fields." };
    }
    const body = { ...values, conditions: readConditions, actions: readActions };
    const response = ruleId
      ? await api(`/api/automation-rules/${encodeURIComponent(ruleId)}`, { method: "PATCH", body })
      : await api("/api/automation-rules", { method: "POST", body });
    if (response.ok || !Array.isArray(response.details)) return response;
    const { left, first } = markRows(response.details);
    if (left.length === response.details.length) return response;
    if (left.length) return { ...response, details: left };
    if (first) first.focus();
    return { ...response, details: [], error: "Please correct the marked fields." };
  }

  function saved(data) {
    baseline = rowsSnapshot();
    setDirty(DIRTY_KEY, false);
    if (!ruleId) {
      toast(`Rule “${data.name}” created.`, { kind: "success" });
      form.markSaved();
      ctx.navigate("/admin/automation");
      return undefined;
    }
    toast(`Rule “${data.name}” saved.`, { kind: "success" });
    ctx.setTitle(`Rule: ${data.name}`);
    return { name: data.name, event: data.event, isActive: data.isActive };
  }
}
