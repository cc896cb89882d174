// Settings: one page per group (/admin/settings/<group>); managers open general, orders, reservations and
// reviews, administrators also mail, payments and advanced. Every field of the registry with its help, its value
// and where that value comes from (database, TOML, environment, default). Saving sends only the fields changed
// here, so the others keep coming from where they did; "Forget the saved value" hands a field back to the config
// file, the environment or the default. Secrets arrive masked and are kept unless a new one is typed. The mail page
// sends a test e-mail and shows the SMTP server's answer.

import { api, el } from "../../common.js";
import { createForm } from "../form.js";
import { problem } from "../people-common.js";
import { detailsFor, formField, labelFor, sourceLine, toApi, toForm } from "../settings-fields.js";
import { toast } from "../toast.js";

const GROUPS = [
  { slug: "general", api: "general", title: "General", admin: false, intro: "The restaurant's name, contact details, time zone, currency and language." },
  { slug: "orders", api: "order", title: "Orders", admin: false, intro: "Online ordering, tax, delivery fee, tips, scheduling and the kitchen display's timers." },
  { slug: "reservations", api: "reservation", title: "Reservations", admin: false, intro: "Table bookings: slots, how long a table is held, how far ahead." },
  { slug: "reviews", api: "review", title: "Reviews", admin: false, intro: "Guest reviews and their moderation." },
  { slug: "mail", api: "mail", title: "Mail", admin: true, intro: "The SMTP server every e-mail goes through: confirmations, invitations, password resets, automations." },
  { slug: "payments", api: "payment", title: "Payments", admin: true, intro: "Cash, card payments through Stripe, and PayPal." },
  { slug: "advanced", api: "advanced", title: "Advanced", admin: true, intro: "Maintenance mode, rate limiting, SMS and webhooks." },
];

function groupNav(groups, current) {
  return el(
    "nav",
    { class: "admin-subnav", "aria-label": "Settings pages" },
    el(
      "ul",
      {},
      groups.map((g) =>
        el("li", {}, el("a", { href: `/admin/settings/${g.slug}`, "aria-current": g.slug === current ? "page" : null, text: g.title })),
      ),
    ),
  );
}

/** @param {HTMLElement} main @param {object} ctx */
export async function mount(main, ctx) {
  const isAdmin = ctx.user.role === "SUPER_ADMIN";
  const groups = GROUPS.filter((g) => isAdmin || !g.admin);
  const slug = ctx.path[0] || "general";
  const group = GROUPS.find((g) => g.slug === slug);
  if (!group || (group.admin && !isAdmin)) {
    ctx.setTitle("Settings");
    main.replaceChildren(
      groupNav(groups, ""),
      problem(group ? `Only an administrator can open the ${group.title.toLowerCase()} settings.` : "There is no such settings page."),
    );
    return;
  }
  ctx.setTitle(`${group.title} settings`);
  const endpoint = `/api/settings/${group.api}`;
  const loaded = await api(endpoint);
  if (!loaded.ok) {
    main.replaceChildren(groupNav(groups, slug), problem(loaded.error));
    return;
  }
  let fields = loaded.body.fields;
  const formHost = el("div");
  main.replaceChildren(
    groupNav(groups, slug),
    el("p", { class: "admin-lead", text: group.intro }),
    el("p", {
      class: "admin-help admin-settings-rule",
      text: "Each value comes from the first of: saved here (Database), the config file (TOML), an environment variable (Environment), the built-in Default. Saving a field here makes it Database.",
    }),
    formHost,
  );

  const specs = fields.map(formField);
  const formValues = () => Object.fromEntries(fields.map((f) => [f.name, toForm(f, f.value)]));
  const sameValue = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  let saved = null;

  const form = createForm(formHost, {
    label: `${group.title} settings`,
    fields: specs,
    values: formValues(),
    submit: async (values) => {
      const before = formValues();
      const body = {};
      const refusals = [];
      for (const field of fields) {
        if (sameValue(values[field.name], before[field.name])) continue;
        const converted = toApi(field, values[field.name]);
        if (converted.problem) refusals.push({ key: field.key, message: converted.problem });
        else body[field.name] = converted.value;
      }
      if (refusals.length) return { ok: false, status: 400, error: refusals[0].message, details: refusals };
      if (!Object.keys(body).length) return { ok: true, status: 200, data: null, body: { fields }, nothing: true };
      const response = await api(endpoint, { method: "PUT", body });
      if (!response.ok && !(response.details && response.details.length)) {
        response.details = detailsFor(fields, response.error);
      }
      saved = response;
      return response;
    },
    onSaved: () => {
      const changed = saved && saved.ok;
      if (changed) fields = saved.body.fields;
      saved = null;
      drawSources();
      toast(changed ? `${group.title} settings saved.` : "Nothing to save: no field was changed.", { kind: changed ? "success" : "info" });
      return formValues();
    },
  });

  async function forget(field) {
    if (form.isDirty()) {
      toast("Save or undo your changes first.", { kind: "error" });
      return;
    }
    const response = await api(endpoint, { method: "PUT", body: { [field.name]: null } });
    if (!response.ok) {
      toast(response.error, { kind: "error" });
      return;
    }
    fields = response.body.fields;
    form.setValues(formValues());
    drawSources();
    const now = fields.find((f) => f.name === field.name);
    form.control(field.name).focus();
    toast(`${labelFor(field)} now comes from ${now ? now.source : "elsewhere"}.`, { kind: "success" });
  }

  // The source badge goes into each field's help (read out with the control), and a field saved here can be
  // handed back to the next source.
  function drawSources() {
    for (const field of fields) {
      const control = form.control(field.name);
      const wrapper = control.closest(".admin-field");
      wrapper.dataset.source = field.source;
      const helpNode = document.getElementById(`${control.id}-help`);
      let line = helpNode.querySelector(".admin-source-line");
      if (!line) {
        line = el("span", { class: "admin-source-line" });
        helpNode.append(" ", line);
      }
      line.replaceChildren(...sourceLine(field));
      let undo = wrapper.querySelector(".admin-source-forget");
      if (field.source === "database") {
        if (!undo) {
          undo = el("button", { type: "button", class: "link admin-source-forget" }, "Forget the saved value", el("span", { class: "visually-hidden", text: ` of ${labelFor(field)}` }));
          undo.addEventListener("click", () => forget(fields.find((f) => f.name === field.name)));
          helpNode.after(undo);
        }
      } else if (undo) {
        undo.remove();
      }
      if (field.secret) {
        control.setAttribute("spellcheck", "false");
        control.setAttribute("autocomplete", "off");
      }
    }
  }
  drawSources();

  if (group.slug === "mail") mailTest(main, ctx, form);
}

/** "Send a test e-mail": through the outbox with the saved settings; the SMTP server's answer, or why it failed. */
function mailTest(main, ctx, settingsForm) {
  const result = el("div", { class: "admin-mail-result", role: "status", "aria-live": "polite" });
  const host = el("div");
  main.append(
    el(
      "section",
      { class: "admin-section", "aria-labelledby": "mail-test-title" },
      el("h2", { class: "admin-section-title", id: "mail-test-title", text: "Send a test e-mail" }),
      el("p", { class: "muted", text: "It goes out with the saved mail settings, and the SMTP server's answer shows here." }),
      host,
      result,
    ),
  );
  createForm(host, {
    label: "Send a test e-mail",
    trackChanges: false,
    fields: [{ name: "to", label: "Send to", type: "email", required: true, autocomplete: "email" }],
    values: { to: ctx.user.email },
    submitLabel: "Send a test e-mail",
    savingLabel: "Sending…",
    submit: (values) => {
      result.replaceChildren();
      if (settingsForm.isDirty()) {
        return Promise.resolve({ ok: false, status: 0, error: "Save the changes above first: the test uses the saved settings." });
      }
      return api("/api/settings/mail/test", { method: "POST", body: { to: values.to } });
    },
    onSaved: (data, values) => {
      result.replaceChildren(
        el(
          "p",
          { class: "banner banner-ok" },
          `Sent to ${data.to}. The SMTP server answered: `,
          el("code", { class: "admin-smtp-answer", text: data.serverAnswer || "(nothing)" }),
        ),
      );
      return values;
    },
  });
}
