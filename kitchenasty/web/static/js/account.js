// The two token pages: accepting a staff invitation, and choosing a new password after a reset e-mail.

import { $, api, config } from "./common.js";

const token = new URLSearchParams(location.search).get("token") || "";
// The token has been read: keep it out of the address bar and the browser history.
if (token) history.replaceState(null, "", location.pathname);

const ROLE_TEXT = { SUPER_ADMIN: "an administrator", MANAGER: "a manager", STAFF: "staff" };

function passwords(first, second, error) {
  const a = $(first).value;
  const b = $(second).value;
  if (a.length < 8) {
    $(error).textContent = "The password needs at least 8 characters.";
    $(first).focus();
    return null;
  }
  if (a !== b) {
    $(error).textContent = "The two passwords are different.";
    $(second).focus();
    return null;
  }
  return a;
}

async function acceptInvite() {
  const status = $("#invite-status");
  if (!token) {
    status.textContent = "This link has no invitation in it. Open the link from your invitation e-mail.";
    return;
  }
  const check = await api(`/api/staff/invite/${encodeURIComponent(token)}`);
  if (!check.ok) {
    status.textContent = check.error;
    status.classList.add("form-error");
    return;
  }
  status.hidden = true;
  $("#invite-email").textContent = check.data.email;
  $("#invite-role").textContent = ROLE_TEXT[check.data.role] || check.data.role;
  if (check.data.name) $("#invite-name").value = check.data.name;
  const form = $("#invite-form");
  form.hidden = false;
  $("#invite-name").focus();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    $("#invite-error").textContent = "";
    const name = $("#invite-name").value.trim();
    if (!name) {
      $("#invite-error").textContent = "Enter your name.";
      $("#invite-name").focus();
      return;
    }
    const password = passwords("#invite-password", "#invite-password2", "#invite-error");
    if (!password) return;
    const response = await api("/api/staff/accept-invite", { method: "POST", body: { token, name, password } });
    if (!response.ok) {
      $("#invite-error").textContent = response.error;
      return;
    }
    form.hidden = true;
    $("#invite-done").hidden = false;
  });
}

/** Without a reset code: ask for the link (`?for=staff` from the staff login forms, else a customer account). */
function requestReset() {
  const form = $("#reset-request-form");
  const kind = new URLSearchParams(location.search).get("for") === "staff" ? "staff" : "customer";
  $("#reset-form").hidden = true;
  $("#reset-title").textContent = "Forgot your password?";
  form.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = $("#reset-request-error");
    error.textContent = "";
    const email = $("#reset-email").value.trim();
    if (!email) {
      error.textContent = "Enter your e-mail.";
      $("#reset-email").focus();
      return;
    }
    const response = await api("/api/auth/password-reset/request", { method: "POST", body: { email, type: kind } });
    if (!response.ok) {
      error.textContent = response.error;
      return;
    }
    form.hidden = true;
    const done = $("#reset-request-done");
    done.textContent = (response.body && response.body.message) || "If an account exists for this e-mail, a reset link is on its way.";
    done.hidden = false;
  });
}

function resetPassword() {
  const form = $("#reset-form");
  if (!token) {
    requestReset();
    return;
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    $("#reset-error").textContent = "";
    const password = passwords("#reset-password", "#reset-password2", "#reset-error");
    if (!password) return;
    const response = await api("/api/auth/password-reset/confirm", { method: "POST", body: { token, password } });
    if (!response.ok) {
      $("#reset-error").textContent = response.error;
      return;
    }
    form.hidden = true;
    $("#reset-done").hidden = false;
  });
}

if (config.page === "accept-invite") acceptInvite();
else if (config.page === "reset-password") resetPassword();
