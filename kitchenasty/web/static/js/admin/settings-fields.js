// The settings registry's fields (as `GET /api/settings/<group>` describes them) as form fields: a label, the
// registry's help, the control for its type, and where its value comes from (database, TOML, environment,
// default) as a badge. Values convert exactly: money through cents, percentages and lists as text.

import { el, money } from "../common.js";
import { amountToCents, centsToAmount } from "./form.js";

const LABELS = {
  "general.contactEmail": "Contact e-mail",
  "general.googleMapsApiKey": "Google Maps API key",
  "orders.enabled": "Take online orders",
  "orders.minOrderDelivery": "Minimum delivery order",
  "orders.minOrderPickup": "Minimum pickup order",
  "orders.deliveryLeadTime": "Delivery lead time (minutes)",
  "orders.pickupLeadTime": "Pickup lead time (minutes)",
  "orders.enableFutureOrdering": "Scheduled orders",
  "orders.maxScheduleDays": "Schedule up to (days ahead)",
  "orders.enableTipping": "Tipping",
  "orders.tipOptions": "Tip options (%)",
  "orders.taxRate": "Tax rate (%)",
  "orders.sendConfirmationEmail": "Confirmation e-mail",
  "orders.kitchenWarnMinutes": "Kitchen: amber after (minutes)",
  "orders.kitchenLateMinutes": "Kitchen: red after (minutes)",
  "orders.kitchenAlertRepeatSeconds": "Kitchen: repeat the new-order chime every (seconds)",
  "orders.kitchenRecallMinutes": "Kitchen: recall a change within (minutes)",
  "reservations.enabled": "Take reservations",
  "reservations.timeInterval": "Slot interval (minutes)",
  "reservations.stayTime": "Table held for (minutes)",
  "reservations.maxAdvanceBookingDays": "Book up to (days ahead)",
  "reservations.minCancellationNoticeHours": "Cancellation notice (hours)",
  "reviews.enabled": "Take reviews",
  "mail.smtpHost": "SMTP server",
  "mail.smtpPort": "SMTP port",
  "mail.smtpUser": "SMTP user name",
  "mail.smtpPass": "SMTP password",
  "mail.senderEmail": "Sender e-mail",
  "advanced.smsBaseUrl": "SMS API base URL",
  "advanced.smsAccountSid": "SMS account SID",
  "advanced.smsAuthToken": "SMS auth token",
  "advanced.smsFromNumber": "SMS sender number",
  "advanced.allowPrivateNetworkTargets": "Allow private network targets",
};

const WORDS = { smtp: "SMTP", sms: "SMS", url: "URL", api: "API", id: "ID", paypal: "PayPal", stripe: "Stripe", google: "Google" };

/** "stripeWebhookSecret" -> "Stripe webhook secret" (the registry names fields, the page labels them). */
export function labelFor(field) {
  if (LABELS[field.key]) return LABELS[field.key];
  const words = field.name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(" ");
  const text = words.map((w) => WORDS[w] || w).join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const SOURCE_TEXT = { database: "Database", toml: "TOML", environment: "Environment", default: "Default" };

/** The value as the form holds it. */
export function toForm(field, value) {
  switch (field.type) {
    case "money":
      return amountToCents(value);
    case "percent":
      return value === null || value === undefined ? "" : String(value);
    case "int_list":
      return Array.isArray(value) ? value.join(", ") : "";
    case "bool":
      return Boolean(value);
    default:
      return value === null || value === undefined ? "" : value;
  }
}

/** The value as the API takes it, or `{problem}` when the form's value cannot be sent. */
export function toApi(field, value) {
  if (["money", "int", "float", "percent"].includes(field.type) && (value === null || value === "")) {
    return { problem: "Enter a value. To go back to the inherited value, use “Forget the saved value”." };
  }
  if (field.type === "money") return { value: centsToAmount(value) };
  if (field.type === "percent") return { value: String(value).trim().replace(",", ".") };
  return { value };
}

function help(field) {
  const text = field.help || "";
  return field.secret ? `${text} Shown masked: leave it as it is to keep the saved secret, or type a new one.` : text;
}

/** A form field spec (form.js) for a registry field. */
export function formField(field) {
  const spec = { name: field.name, key: field.key, label: labelFor(field), help: help(field) };
  if (field.type === "bool") return { ...spec, type: "checkbox" };
  if (field.type === "money") return { ...spec, type: "money" };
  if (field.type === "int" || field.type === "float") {
    return { ...spec, type: "number", min: field.minimum, max: field.maximum, step: field.type === "int" ? 1 : "any" };
  }
  if (field.choices) return { ...spec, type: "select", options: field.choices.map((c) => ({ value: c, label: c })) };
  if (field.type === "percent") return { ...spec, inputmode: "decimal", autocomplete: "off" };
  if (field.type === "int_list") return { ...spec, autocomplete: "off", placeholder: "10, 15, 20" };
  if (field.type === "email") return { ...spec, type: "email", autocomplete: "off" };
  return { ...spec, maxLength: field.maxLength, autocomplete: "off" };
}

function shown(field, value) {
  if (field.type === "bool") return value ? "on" : "off";
  if (field.type === "money") return money(value);
  if (field.type === "percent") return `${value}%`;
  if (Array.isArray(value)) return value.join(", ");
  return value === "" || value === null || value === undefined ? "empty" : String(value);
}

/** What the source line under a field says: the badge, then where exactly (the variable, the TOML key). */
export function sourceLine(field) {
  const parts = [
    "Comes from ",
    el("span", { class: `admin-source admin-source-${field.source}`, text: SOURCE_TEXT[field.source] || field.source }),
  ];
  if (field.source === "database") parts.push(" (saved here)");
  else if (field.source === "environment") parts.push(" ", el("code", { text: field.sourceDetail || field.envVars[0] }));
  else if (field.source === "toml") parts.push(" ", el("code", { text: field.sourceDetail || field.tomlKey }), " in the config file");
  if (field.source !== "default" && !field.secret) parts.push(`; the default is ${shown(field, field.default)}`);
  parts.push(".");
  return parts;
}

/** The API's sentence for one field ("orders.taxRate must be at most 100") as a form detail for that field. */
export function detailsFor(fields, error) {
  const text = String(error || "");
  const field = fields.find((f) => text.startsWith(`${f.key} `));
  return field ? [{ key: field.key, message: text }] : [];
}
