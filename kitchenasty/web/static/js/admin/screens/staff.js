// Staff (administrators): invite someone (the link, whether it was e-mailed, a copy button), the pending
// invitations (send again, withdraw), and the team with role and state; /admin/staff/<id> is one staff member
// (staff-member.js).

import { api, el, formatDateTime } from "../../common.js";
import { confirm } from "../dialog.js";
import { createForm } from "../form.js";
import { createList } from "../list.js";
import { ROLE_OPTIONS, ROLE_TEXT, activeBadge, badge, button, formatDate, linkPanel } from "../people-common.js";
import { mountMember } from "../staff-member.js";
import { toast } from "../toast.js";

function section(id, title, ...children) {
  return el(
    "section",
    { class: "admin-section", "aria-labelledby": id },
    el("h2", { class: "admin-section-title", id, text: title }),
    ...children,
  );
}

/** The panel after an invitation was made or sent again. */
function invitationPanel(invite) {
  const until = formatDateTime(invite.expiresAt);
  const sentence = invite.emailed
    ? `We e-mailed the invitation to ${invite.email}. You can also copy the link and hand it over yourself; it works once, until ${until}.`
    : `Mail is not set up, so nothing was e-mailed: copy the link and give it to ${invite.email} yourself. It works once, until ${until}.`;
  return linkPanel({
    heading: invite.emailed ? `Invitation e-mailed to ${invite.email}` : `Invitation for ${invite.email} (not e-mailed)`,
    sentence,
    url: invite.acceptUrl,
    label: "Invitation link",
    kind: invite.emailed ? "ok" : "warn",
  });
}

function showPanel(host, panel) {
  host.replaceChildren(panel);
  panel.tabIndex = -1;
  panel.focus();
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  if (ctx.path[0]) {
    await mountMember(main, ctx, ctx.path[0]);
    return;
  }
  ctx.setTitle("Staff");

  // ------------------------------------------------------------ invite
  const result = el("div", { class: "admin-invite-result" });
  const formHost = el("div");
  const invite = section(
    "staff-invite-title",
    "Invite a team member",
    el("p", { class: "muted", text: "They get a link to choose their own name and password. It works once, for 7 days." }),
    formHost,
    result,
  );

  // ------------------------------------------------------------ pending invitations
  const pendingBody = el("div", { class: "admin-pending" });
  const pendingResult = el("div", { class: "admin-invite-result" });
  const pending = section("staff-pending-title", "Pending invitations", pendingBody, pendingResult);

  async function resend(item) {
    const response = await api(`/api/staff/invitations/${encodeURIComponent(item.id)}/resend`, { method: "POST" });
    if (!response.ok) {
      toast(response.error, { kind: "error" });
      return;
    }
    await loadInvitations();
    showPanel(pendingResult, invitationPanel(response.data));
  }

  async function withdraw(item) {
    const sure = await confirm({
      title: `Withdraw the invitation for ${item.email}?`,
      body: "Its link stops working at once. You can invite them again later.",
      confirmLabel: "Withdraw invitation",
      danger: true,
    });
    if (!sure) return;
    const response = await api(`/api/staff/invitations/${encodeURIComponent(item.id)}`, { method: "DELETE" });
    if (!response.ok) {
      toast(response.error, { kind: "error" });
      return;
    }
    pendingResult.replaceChildren();
    toast(`Invitation for ${item.email} withdrawn.`, { kind: "success" });
    await loadInvitations();
  }

  async function loadInvitations() {
    const response = await api("/api/staff/invitations?limit=100");
    if (!response.ok) {
      pendingBody.replaceChildren(el("p", { class: "banner banner-error", role: "alert", text: response.error }));
      return;
    }
    const items = response.data || [];
    if (!items.length) {
      pendingBody.replaceChildren(el("p", { class: "admin-empty", text: "No invitations are waiting to be accepted." }));
      return;
    }
    const rows = items.map((item) =>
      el(
        "tr",
        {},
        el("th", { scope: "row", text: item.email }),
        el("td", { dataset: { label: "Name" }, text: item.name || "" }),
        el("td", { dataset: { label: "Role" }, text: ROLE_TEXT[item.role] || item.role }),
        el("td", { dataset: { label: "Invited by" }, text: item.invitedBy ? item.invitedBy.name : "" }),
        el("td", { dataset: { label: "Valid until" } }, item.expired ? badge("Expired", "off") : formatDate(item.expiresAt)),
        el(
          "td",
          { class: "admin-row-actions", dataset: { label: "Actions" } },
          button("Send again", () => resend(item), { more: ` to ${item.email}` }),
          button("Withdraw", () => withdraw(item), { more: ` the invitation for ${item.email}` }),
        ),
      ),
    );
    const head = ["E-mail", "Name", "Role", "Invited by", "Valid until", "Actions"].map((text) => el("th", { scope: "col", text }));
    // inside .admin-list, so that on phones its rows become cards like every list's (the cells carry their labels)
    pendingBody.replaceChildren(
      el(
        "div",
        { class: "admin-list admin-table-wrap", role: "region", "aria-label": "Pending invitations table", tabindex: "0" },
        el(
          "table",
          { class: "admin-table" },
          el("caption", { class: "visually-hidden", text: "Pending invitations" }),
          el("thead", {}, el("tr", {}, head)),
          el("tbody", {}, rows),
        ),
      ),
    );
  }

  // ------------------------------------------------------------ the team
  const teamHost = el("div");
  const team = section("staff-team-title", "Team", teamHost);

  main.replaceChildren(invite, pending, team);

  createForm(formHost, {
    label: "Invite a team member",
    fields: [
      { name: "email", label: "E-mail", type: "email", required: true, autocomplete: "off" },
      { name: "name", label: "Name (optional)", nullable: true, maxLength: 120, autocomplete: "off" },
      {
        name: "role",
        label: "Role",
        type: "select",
        options: ROLE_OPTIONS,
        help: "Staff run the kitchen and the orders; managers also run the menu, customers, coupons and settings; administrators everything.",
      },
    ],
    values: { email: "", name: "", role: "STAFF" },
    submitLabel: "Send invitation",
    savingLabel: "Inviting…",
    submit: (values) => api("/api/staff/invite", { method: "POST", body: { email: values.email, name: values.name, role: values.role } }),
    onSaved: (data) => {
      showPanel(result, invitationPanel(data));
      loadInvitations();
      return { email: "", name: "", role: "STAFF" };
    },
  });

  createList(teamHost, {
    label: "Team members",
    noun: ["staff member", "staff members"],
    endpoint: "/api/staff",
    navigate: ctx.navigate,
    search: { label: "Name or e-mail" },
    filters: [
      { name: "role", label: "Role", options: ROLE_OPTIONS.map((o) => ({ value: o.value, label: ROLE_TEXT[o.value] })), allLabel: "Any role" },
      {
        name: "isActive",
        label: "State",
        options: [
          { value: "true", label: "Active" },
          { value: "false", label: "Deactivated" },
        ],
        allLabel: "Active or not",
      },
    ],
    columns: [
      { label: "Name", key: "name" },
      { label: "E-mail", key: "email" },
      { label: "Role", value: (s) => ROLE_TEXT[s.role] || s.role },
      { label: "Location", value: (s) => (s.location ? s.location.name : "Any") },
      { label: "State", value: (s) => activeBadge(s.isActive) },
      { label: "Since", value: (s) => formatDate(s.createdAt) },
    ],
    rowHref: (s) => `/admin/staff/${encodeURIComponent(s.id)}`,
    empty: "No staff member matches.",
  });

  await loadInvitations();
}
