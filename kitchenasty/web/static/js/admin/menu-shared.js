// What the menu screens share: the category tree as choices for a select, slugs made from names, and how an
// item's availability reads.

import { api, el } from "../common.js";

/**
 * A name as the address part the API wants ("Pizza & Pasta" -> "pizza-pasta").
 * @param {string} text
 * @returns {string}
 */
export function slugify(text) {
  return String(text || "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100);
}

/**
 * Keep a slug field filled from a name field until someone edits the slug by hand.
 * @param {HTMLInputElement} name @param {HTMLInputElement} slug
 */
export function followName(name, slug) {
  let touched = Boolean(slug.value);
  slug.addEventListener("input", () => {
    touched = slug.value.trim() !== "";
  });
  name.addEventListener("input", () => {
    if (!touched) slug.value = slugify(name.value);
  });
}

/**
 * The category tree, flat in tree order, each with its depth and its path of names.
 * @param {object[]} tree - `GET /api/menu/categories`
 * @returns {Array<{category: object, depth: number, path: string}>}
 */
export function flatten(tree, depth = 0, parents = []) {
  const out = [];
  for (const category of tree || []) {
    const names = [...parents, category.name];
    out.push({ category, depth, path: names.join(" › ") });
    out.push(...flatten(category.children, depth + 1, names));
  }
  return out;
}

/** @returns {Promise<object[]>} the category tree (empty when it cannot be read) */
export async function loadTree() {
  const response = await api("/api/menu/categories");
  return response.ok ? response.data || [] : [];
}

/**
 * The categories as select choices, named by their path ("Drinks › Hot drinks"), hidden ones said so.
 * @param {object[]} tree
 * @param {{exclude?: Set<string>}} [options] - ids to leave out (a category and its subcategories, when moving it)
 */
export function categoryChoices(tree, { exclude } = {}) {
  return flatten(tree)
    .filter(({ category }) => !(exclude && exclude.has(category.id)))
    .map(({ category, path }) => ({ value: category.id, label: category.isActive ? path : `${path} (hidden)` }));
}

/** A category and every category below it. */
export function subtreeIds(category) {
  const ids = new Set([category.id]);
  for (const child of category.children || []) for (const id of subtreeIds(child)) ids.add(id);
  return ids;
}

export const AVAILABILITY_TEXT = {
  AVAILABLE: "Available",
  HIDDEN: "Hidden",
  SOLD_OUT: "Sold out",
  OUT_OF_STOCK: "Out of stock",
};

/** The availability badge of an item as the list shows it. */
export function availabilityBadge(item) {
  const state = item.availability || "AVAILABLE";
  let text = AVAILABILITY_TEXT[state] || state;
  if (item.trackStock && state !== "OUT_OF_STOCK") text += ` · ${item.stockQty} left`;
  return el("span", { class: `admin-status admin-avail-${state.toLowerCase()}`, text });
}

/** Text followed by words only a screen reader reads ("Duplicate" + " Margherita"). */
export function withHidden(text, hidden) {
  return [text, el("span", { class: "visually-hidden", text: ` ${hidden}` })];
}
