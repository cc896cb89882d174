// One staff member (/admin/staff/<id>, administrators): name, phone, role and location; deactivate or
// reactivate (their sessions end at once); a password-reset link to hand over. The refusals (your own role or
// account, the last administrator) are the API's sentences.

import { api, config, el } from "../common.js";
import { confirm } from "./dialog.js";
import { createForm } from "./form.js";
import { ROLE_OPTIONS, ROLE_TEXT, actions, activeBadge, button, facts, formatDate, linkPanel, problem } from "./people-common.js";
import { toast } from "./toast.js";

const EDITABLE = ["name", "phone", "role", "locationId"];

async function locationOptions() {
  const response = await api("/api/locations?limit=100");
  const list = response.ok && Array.isArray(response.data) ? response.data : [];
  return [{ value: "", label: "Any location" }, ...list.map((l) => ({ value: l.id, label: l.name }))];
}

/** @param {HTMLElement} main @param {object} ctx @param {string} id */
export async function mountMember(main, ctx, id) {
  const back = el("p", { class: "admin-back" }, el("a", { href: "/admin/staff", text: "← All staff" }));
  const [loaded, options] = await Promise.all([api(`/api/staff/${encodeURIComponent(id)}`), locationOptions()]);
  if (!loaded.ok) {
    ctx.setTitle("Staff member");
    main.replaceChildren(back, problem(loaded.status === 404 ? "There is no such staff member." : loaded.error));
    return;
  }
  let member = loaded.data;
  const self = member.id === (config.user && config.user.id);
  ctx.setTitle(member.name);

  const summary = el("div");
  const access = el("div", { class: "admin-actions-host" });
  const resetResult = el("div", { class: "admin-invite-result" });
  const formHost = el("div");

  function drawSummary() {
    summary.replaceChildren(
      facts(
        [
          ["E-mail", member.email],
          ["Role", ROLE_TEXT[member.role] || member.role],
          ["State", activeBadge(member.isActive)],
          ["Location", member.location ? member.location.name : "Any"],
          ["Staff member since", formatDate(member.createdAt)],
        ],
        "About this staff member",
      ),
    );
  }

  async function setActive(active) {
    if (!active) {
      const sure = await confirm({
        title: `Deactivate ${member.name}?`,
        body: "They are logged out everywhere at once and cannot log in again until someone reactivates them.",
        confirmLabel: "Deactivate",
        danger: true,
      });
      if (!sure) return;
    }
    const response = await api(`/api/staff/${encodeURIComponent(member.id)}`, { method: "PATCH", body: { isActive: active } });
    if (!response.ok) {
      toast(response.error, { kind: "error" });
      return;
    }
    member = response.data;
    drawSummary();
    drawAccess();
    toast(active ? `${member.name} can log in again.` : `${member.name} is deactivated and logged out everywhere.`, { kind: "success" });
  }

  async function resetPassword() {
    const response = await api(`/api/staff/${encodeURIComponent(member.id)}/password-reset`, { method: "POST" });
    if (!response.ok) {
      toast(response.error, { kind: "error" });
      return;
    }
    const link = response.data;
    const panel = linkPanel({
      heading: link.emailed ? `Password-reset link e-mailed to ${link.email}` : "Password-reset link (not e-mailed)",
      sentence: link.emailed
        ? `We e-mailed a link to ${link.email} to choose a new password. You can also hand it over yourself; it works once, for 30 minutes.`
        : `Mail is not set up, so nothing was e-mailed: give this link to ${member.name} yourself. It works once, for 30 minutes.`,
      url: link.resetUrl,
      label: "Password-reset link",
      kind: link.emailed ? "ok" : "warn",
    });
    resetResult.replaceChildren(panel);
    panel.tabIndex = -1;
    panel.focus();
  }

  function drawAccess() {
    const state = member.isActive
      ? `${member.name} can log in. Deactivating ends every session at once.`
      : `${member.name} is deactivated and cannot log in.`;
    const buttons = [];
    if (self) {
      buttons.push(el("p", { class: "muted", text: "This is your own account: someone else has to deactivate it or change its role." }));
    } else if (member.isActive) {
      buttons.push(button("Deactivate", () => setActive(false), { kind: "danger" }));
    } else {
      buttons.push(button("Reactivate", () => setActive(true), { kind: "primary" }));
    }
    if (member.isActive) buttons.push(button("Send a password-reset link", resetPassword));
    access.replaceChildren(el("p", { text: state }), actions(...buttons));
  }

  main.replaceChildren(
    back,
    summary,
    el("section", { class: "admin-section", "aria-labelledby": "member-edit-title" }, el("h2", { class: "admin-section-title", id: "member-edit-title", text: "Details" }), formHost),
    el(
      "section",
      { class: "admin-section", "aria-labelledby": "member-access-title" },
      el("h2", { class: "admin-section-title", id: "member-access-title", text: "Access" }),
      access,
      resetResult,
    ),
  );
  drawSummary();
  drawAccess();

  const valuesOf = (m) => ({ name: m.name, phone: m.phone || "", role: m.role, locationId: m.locationId || "" });
  const form = createForm(formHost, {
    label: "Staff member's details",
    fields: [
      { name: "name", label: "Name", required: true, maxLength: 120, autocomplete: "off" },
      { name: "phone", label: "Phone", type: "text", nullable: true, autocomplete: "off", inputmode: "tel" },
      {
        name: "role",
        label: "Role",
        type: "select",
        options: ROLE_OPTIONS,
        help: self ? "You cannot change your own role." : "A new role applies from their next request.",
      },
      { name: "locationId", label: "Location", type: "select", options, nullable: true, help: "Where they usually work." },
    ],
    values: valuesOf(member),
    submit: (values) => {
      const before = valuesOf(member);
      const body = {};
      for (const key of EDITABLE) {
        const now = values[key] === null ? "" : values[key];
        if (now !== before[key]) body[key] = values[key];
      }
      if (!Object.keys(body).length) return Promise.resolve({ ok: true, status: 200, data: member });
      return api(`/api/staff/${encodeURIComponent(member.id)}`, { method: "PATCH", body });
    },
    onSaved: (data) => {
      member = data;
      ctx.setTitle(member.name);
      drawSummary();
      drawAccess();
      toast("Saved.", { kind: "success" });
      return valuesOf(member);
    },
  });
  if (self) form.control("role").disabled = true;
}
