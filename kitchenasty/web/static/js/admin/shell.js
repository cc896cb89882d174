// The back office's shell: the staff login form, the header (log out), the navigation drawer on phones, leaving
// with unsaved changes, and the current screen: `./screens/<module>.js`, whose `mount(main, ctx)` draws it.
//
// ctx = {config, user, path, navigate(url), setTitle(text)}: `path` is the address's segments after the screen's
// slug (/admin/orders/abc -> ["abc"]); `navigate` leaves for another address (asking first when something is
// unsaved); `setTitle` sets the screen's heading and the tab's title.
// Screens get everything through `ctx`: never import this module (it would run a second time).

import { $, api, config } from "../common.js";
import { confirmLeave, discardAll, hasUnsavedChanges } from "./leave.js";

const restaurant = config.restaurant || "KitchenAsty";

// ------------------------------------------------------------------ login

function setupLogin() {
  const form = $("#admin-login-form");
  const error = $("#admin-login-error");
  const email = $("#admin-login-email");
  const password = $("#admin-login-password");
  email.focus();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!email.value.trim() || !password.value) {
      error.textContent = "Enter your e-mail and password.";
      (email.value.trim() ? password : email).focus();
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const response = await api("/api/auth/staff/login", {
      method: "POST",
      body: { email: email.value.trim(), password: password.value },
    });
    button.disabled = false;
    if (!response.ok) {
      error.textContent = response.error;
      password.select();
      password.focus();
      return;
    }
    password.value = "";
    location.reload(); // the same address, now as this staff member
  });
}

// ------------------------------------------------------------------ navigation

/** Leave for `url` (asking first when something is unsaved). Resolves to false when the person stayed. */
async function navigate(url, { replace = false } = {}) {
  if (!(await confirmLeave())) return false;
  if (replace) location.replace(url);
  else location.assign(url);
  return true;
}

function guardLinks() {
  document.addEventListener("click", async (event) => {
    if (!hasUnsavedChanges() || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || (url.pathname === location.pathname && url.search === location.search && url.hash)) return;
    event.preventDefault();
    await navigate(url.href);
  });
}

function setupDrawer() {
  const button = $("#admin-menu-btn");
  const nav = $("#admin-nav");
  const backdrop = $("#admin-backdrop");
  if (!button || !nav) return;
  const wide = window.matchMedia("(min-width: 900px)");
  const setOpen = (open, { focus = true } = {}) => {
    nav.classList.toggle("is-open", open);
    backdrop.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    document.body.classList.toggle("admin-drawer-open", open);
    if (open && focus) {
      const current = nav.querySelector('[aria-current="page"]') || nav.querySelector("a");
      if (current) current.focus();
    } else if (!open && focus) {
      button.focus();
    }
  };
  button.addEventListener("click", () => setOpen(!nav.classList.contains("is-open")));
  backdrop.addEventListener("click", () => setOpen(false));
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && nav.classList.contains("is-open")) setOpen(false);
  });
  wide.addEventListener("change", () => setOpen(false, { focus: false }));
}

function setupLogout() {
  const button = $("#admin-logout");
  if (!button) return;
  button.addEventListener("click", async () => {
    if (!(await confirmLeave())) return;
    button.disabled = true;
    await api("/api/auth/logout", { method: "POST" });
    discardAll();
    location.assign("/admin"); // the login form
  });
}

// ------------------------------------------------------------------ the screen

function setTitle(text) {
  const heading = $("#admin-title");
  if (heading) heading.textContent = text;
  document.title = `${text} · ${restaurant}`;
}

async function mountScreen() {
  const main = $("#admin-screen");
  const ctx = { config, user: config.user, path: config.path || [], navigate, setTitle };
  try {
    const screen = await import(`./screens/${config.screen.module}.js`);
    await screen.mount(main, ctx);
  } catch (error) {
    const banner = document.createElement("p");
    banner.className = "banner banner-error";
    banner.setAttribute("role", "alert");
    banner.textContent = "This screen could not be opened. Reload the page to try again.";
    main.replaceChildren(banner);
    throw error; // and into the console, for whoever looks
  } finally {
    main.removeAttribute("aria-busy");
    document.body.dataset.screen = "ready";
  }
}

if (config.user) {
  setupDrawer();
  setupLogout();
  guardLinks();
  mountScreen();
} else {
  setupLogin();
}
