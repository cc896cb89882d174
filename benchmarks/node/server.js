'use strict';
/*
 * The Node stand-in of the benchmark (benchmarks/README.md, "Ours and the Node stand-in").
 *
 * The original KitchenAsty's hot path (Express 4 + Socket.IO 4; see /work/shared/reference) written as a strong
 * implementation would: zod validation, prices from SQLite through prepared statements, integer cents, one
 * transaction per write, events emitted after the commit. Not a product: no sessions, no audit, no e-mail, a
 * fixed staff token.
 *
 *     node server.js PORT DATA_DIR          (or PORT=... STANDIN_DATA_DIR=... node server.js)
 *
 * Routes: GET /hello, GET /health, POST /seed, POST /api/orders, PATCH /api/orders/:id/status.
 * Socket.IO (websocket transport only): emit("join", {room: "kitchen", token}) or
 * emit("join", {room: "order", id, token: trackingToken}); the server answers with a "snapshot" event.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const Database = require('better-sqlite3');
const express = require('express');
const { Server } = require('socket.io');
const { z } = require('zod');

const PORT = Number(process.argv[2] || process.env.PORT || 3000);
const DATA_DIR = process.argv[3] || process.env.STANDIN_DATA_DIR || path.join(process.cwd(), 'standin-data');
// A fixed staff token checked by string compare: the stand-in models the cost of the hot path, not a login.
const STAFF_TOKEN = process.env.STANDIN_TOKEN || 'standin-staff-token';

// ------------------------------------------------------------------ storage

fs.mkdirSync(DATA_DIR, { recursive: true });
const db = new Database(path.join(DATA_DIR, 'standin.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');

db.exec(`
CREATE TABLE IF NOT EXISTS locations (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, is_active INTEGER NOT NULL DEFAULT 1, is_busy INTEGER NOT NULL DEFAULT 0,
  pickup_enabled INTEGER NOT NULL DEFAULT 1, delivery_enabled INTEGER NOT NULL DEFAULT 1,
  delivery_fee_cents INTEGER NOT NULL DEFAULT 499, tax_rate_bp INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS menu_items (
  id TEXT PRIMARY KEY, location_id TEXT REFERENCES locations(id), name TEXT NOT NULL, price_cents INTEGER NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1, track_stock INTEGER NOT NULL DEFAULT 0, stock_qty INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS menu_options (
  id TEXT PRIMARY KEY, menu_item_id TEXT NOT NULL REFERENCES menu_items(id) ON DELETE CASCADE, name TEXT NOT NULL,
  is_required INTEGER NOT NULL DEFAULT 0, min_select INTEGER NOT NULL DEFAULT 0, max_select INTEGER NOT NULL DEFAULT 1,
  sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS menu_options_item ON menu_options(menu_item_id);
CREATE TABLE IF NOT EXISTS menu_option_values (
  id TEXT PRIMARY KEY, menu_option_id TEXT NOT NULL REFERENCES menu_options(id) ON DELETE CASCADE,
  name TEXT NOT NULL, price_modifier_cents INTEGER NOT NULL DEFAULT 0, is_default INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS order_counters (day TEXT PRIMARY KEY, last_value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
  id TEXT PRIMARY KEY, order_number TEXT NOT NULL UNIQUE, tracking_token TEXT NOT NULL,
  location_id TEXT NOT NULL REFERENCES locations(id), order_type TEXT NOT NULL, status TEXT NOT NULL,
  subtotal_cents INTEGER NOT NULL, delivery_fee_cents INTEGER NOT NULL, tax_cents INTEGER NOT NULL,
  total_cents INTEGER NOT NULL, guest_name TEXT NOT NULL, guest_email TEXT NOT NULL, guest_phone TEXT,
  comment TEXT, address TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_status ON orders(status);
CREATE TABLE IF NOT EXISTS order_items (
  id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  menu_item_id TEXT NOT NULL REFERENCES menu_items(id), position INTEGER NOT NULL, name TEXT NOT NULL,
  quantity INTEGER NOT NULL, unit_price_cents INTEGER NOT NULL, subtotal_cents INTEGER NOT NULL, comment TEXT,
  options TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS order_items_order ON order_items(order_id);
CREATE TABLE IF NOT EXISTS order_status_changes (
  id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE, from_status TEXT,
  to_status TEXT NOT NULL, actor TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS order_status_changes_order ON order_status_changes(order_id);
`);

/** A 26-character time-ordered id (like ours): new rows land at the right edge of the primary-key B-tree. */
function newId() {
  return Date.now().toString(36).padStart(10, '0') + crypto.randomBytes(8).toString('hex');
}

const q = {
  location: db.prepare('SELECT id, is_active, is_busy, pickup_enabled, delivery_enabled, delivery_fee_cents, '
    + 'tax_rate_bp FROM locations WHERE id = ?'),
  item: db.prepare('SELECT id, location_id, name, price_cents, is_active, track_stock, stock_qty FROM menu_items '
    + 'WHERE id = ?'),
  groups: db.prepare('SELECT id, name, is_required, min_select, max_select FROM menu_options WHERE menu_item_id = ? '
    + 'ORDER BY sort_order'),
  value: db.prepare('SELECT v.id, v.name, v.price_modifier_cents, o.id AS option_id, o.name AS option_name '
    + 'FROM menu_option_values v JOIN menu_options o ON o.id = v.menu_option_id WHERE v.id = ? AND o.menu_item_id = ?'),
  takeStock: db.prepare('UPDATE menu_items SET stock_qty = stock_qty - ? WHERE id = ? AND stock_qty >= ?'),
  counter: db.prepare('INSERT INTO order_counters (day, last_value) VALUES (?, 1) '
    + 'ON CONFLICT (day) DO UPDATE SET last_value = last_value + 1 RETURNING last_value'),
  insertOrder: db.prepare('INSERT INTO orders (id, order_number, tracking_token, location_id, order_type, status, '
    + 'subtotal_cents, delivery_fee_cents, tax_cents, total_cents, guest_name, guest_email, guest_phone, comment, '
    + 'address, created_at, updated_at) VALUES (@id, @orderNumber, @trackingToken, @locationId, @orderType, '
    + "'PENDING', @subtotal, @deliveryFee, @tax, @total, @guestName, @guestEmail, @guestPhone, @comment, @address, "
    + '@now, @now)'),
  insertItem: db.prepare('INSERT INTO order_items (id, order_id, menu_item_id, position, name, quantity, '
    + 'unit_price_cents, subtotal_cents, comment, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
  insertChange: db.prepare('INSERT INTO order_status_changes (id, order_id, from_status, to_status, actor, '
    + 'created_at) VALUES (?, ?, ?, ?, ?, ?)'),
  orderForStatus: db.prepare('SELECT id, order_number, status, order_type FROM orders WHERE id = ?'),
  setStatus: db.prepare('UPDATE orders SET status = ?, updated_at = ? WHERE id = ?'),
  orderByToken: db.prepare('SELECT * FROM orders WHERE id = ? AND tracking_token = ?'),
  orderItems: db.prepare('SELECT id, menu_item_id, name, quantity, unit_price_cents, subtotal_cents, comment, options '
    + 'FROM order_items WHERE order_id = ? ORDER BY position'),
  active: db.prepare('SELECT id, order_number, status, order_type, total_cents, created_at, updated_at FROM orders '
    + "WHERE status IN ('PENDING', 'CONFIRMED', 'PREPARING', 'READY') ORDER BY created_at LIMIT 200"),
};

// ------------------------------------------------------------------ rules

const STATUSES = ['PENDING', 'CONFIRMED', 'PREPARING', 'READY', 'OUT_FOR_DELIVERY', 'DELIVERED', 'PICKED_UP',
  'CANCELLED'];
/** The kitchen display's flow, CANCELLED from any non-terminal state (the inventory's recommendation). */
const NEXT = {
  PENDING: { any: ['CONFIRMED', 'CANCELLED'] },
  CONFIRMED: { any: ['PREPARING', 'CANCELLED'] },
  PREPARING: { any: ['READY', 'CANCELLED'] },
  READY: { PICKUP: ['PICKED_UP', 'CANCELLED'], DELIVERY: ['OUT_FOR_DELIVERY', 'CANCELLED'] },
  OUT_FOR_DELIVERY: { any: ['DELIVERED', 'CANCELLED'] },
};

function allowed(from, to, orderType) {
  const step = NEXT[from];
  if (!step) return false;
  return (step.any || step[orderType] || []).includes(to);
}

const money = (cents) => (cents / 100).toFixed(2);

const OrderBody = z.object({
  orderType: z.enum(['DELIVERY', 'PICKUP']),
  locationId: z.string().min(1).max(64),
  items: z.array(z.object({
    menuItemId: z.string().min(1).max(64),
    quantity: z.number().int().min(1).max(99),
    comment: z.string().max(500).optional(),
    options: z.array(z.object({ menuOptionValueId: z.string().min(1).max(64) })).max(20).default([]),
  })).min(1).max(50),
  guestName: z.string().trim().min(1).max(120),
  guestEmail: z.string().email().max(254),
  guestPhone: z.string().max(40).optional(),
  comment: z.string().max(500).optional(),
  address: z.object({
    line1: z.string().min(1).max(200), line2: z.string().max(200).optional(), city: z.string().min(1).max(100),
    zip: z.string().min(1).max(20),
  }).optional(),
});
const StatusBody = z.object({ status: z.enum(STATUSES) });
const JoinBody = z.union([
  z.object({ room: z.literal('kitchen'), token: z.string().max(200) }),
  z.object({ room: z.literal('order'), id: z.string().min(1).max(64), token: z.string().min(1).max(200) }),
]);
const SeedBody = z.object({ items: z.number().int().min(3).max(1000) });

class HttpError extends Error {
  constructor(status, detail) {
    super(typeof detail === 'string' ? detail : 'Validation failed');
    this.status = status;
    this.detail = detail; // a message, or zod's issue array
  }
}

/** Prices every line from the DB and checks every option against the item's groups: integer cents throughout. */
function priceLines(body) {
  const location = q.location.get(body.locationId);
  if (!location || !location.is_active) throw new HttpError(400, 'Location not found');
  if (location.is_busy) throw new HttpError(400, 'This location is currently not accepting orders.');
  if (body.orderType === 'PICKUP' && !location.pickup_enabled) throw new HttpError(400, 'Pickup is not available');
  if (body.orderType === 'DELIVERY') {
    if (!location.delivery_enabled) throw new HttpError(400, 'Delivery is not available');
    if (!body.address) throw new HttpError(400, 'Delivery address is required');
  }
  let subtotal = 0;
  const lines = body.items.map((line, position) => {
    const item = q.item.get(line.menuItemId);
    if (!item || item.location_id !== location.id) throw new HttpError(400, `Menu item not found: ${line.menuItemId}`);
    if (!item.is_active) throw new HttpError(400, `Menu item is not available: ${item.name}`);
    if (item.track_stock && item.stock_qty < line.quantity) throw new HttpError(400, `Insufficient stock for: ${item.name}`);
    const chosen = new Map();
    const options = line.options.map(({ menuOptionValueId }) => {
      const value = q.value.get(menuOptionValueId, item.id);
      if (!value) throw new HttpError(400, `Option not found on ${item.name}: ${menuOptionValueId}`);
      chosen.set(value.option_id, (chosen.get(value.option_id) || 0) + 1);
      return { menuOptionValueId: value.id, name: value.option_name, value: value.name,
        priceModifierCents: value.price_modifier_cents };
    });
    for (const group of q.groups.all(item.id)) {
      const count = chosen.get(group.id) || 0;
      const min = group.is_required ? Math.max(1, group.min_select) : group.min_select;
      if (count < min || count > group.max_select) {
        throw new HttpError(400, `Choose ${min}-${group.max_select} of ${group.name} for ${item.name}`);
      }
    }
    const unit = item.price_cents + options.reduce((sum, o) => sum + o.priceModifierCents, 0);
    subtotal += unit * line.quantity;
    return { item, position, quantity: line.quantity, comment: line.comment ?? null, unit, options };
  });
  const deliveryFee = body.orderType === 'DELIVERY' ? location.delivery_fee_cents : 0;
  const tax = Math.round((subtotal * location.tax_rate_bp) / 10000);
  return { location, lines, subtotal, deliveryFee, tax, total: subtotal + deliveryFee + tax };
}

/** The order, its items (options as JSON in the item row), the status-history row and the day counter. */
const placeOrder = db.transaction((body, priced) => {
  const now = new Date().toISOString();
  const day = now.slice(2, 10).replaceAll('-', '');
  const number = q.counter.get(day).last_value;
  const order = {
    id: newId(), orderNumber: `KA-${day}-${String(number).padStart(3, '0')}`,
    trackingToken: crypto.randomBytes(16).toString('hex'), locationId: priced.location.id,
    orderType: body.orderType, subtotal: priced.subtotal, deliveryFee: priced.deliveryFee, tax: priced.tax,
    total: priced.total, guestName: body.guestName, guestEmail: body.guestEmail, guestPhone: body.guestPhone ?? null,
    comment: body.comment ?? null, address: body.address ? JSON.stringify(body.address) : null, now,
  };
  q.insertOrder.run(order);
  const items = priced.lines.map((line) => {
    if (line.item.track_stock && q.takeStock.run(line.quantity, line.item.id, line.quantity).changes !== 1) {
      throw new HttpError(409, `Insufficient stock for: ${line.item.name}`);
    }
    const id = newId();
    q.insertItem.run(id, order.id, line.item.id, line.position, line.item.name, line.quantity, line.unit,
      line.unit * line.quantity, line.comment, JSON.stringify(line.options));
    return id;
  });
  q.insertChange.run(newId(), order.id, null, 'PENDING', 'guest', now);
  return { order, items };
}).immediate;

const changeStatus = db.transaction((id, status) => {
  const row = q.orderForStatus.get(id);
  if (!row) throw new HttpError(404, 'Order not found');
  if (!allowed(row.status, status, row.order_type)) {
    throw new HttpError(409, `Cannot move an order from ${row.status} to ${status}`);
  }
  const now = new Date().toISOString();
  q.setStatus.run(status, now, id);
  q.insertChange.run(newId(), id, row.status, status, 'staff', now);
  return { id, orderNumber: row.order_number, status, updatedAt: now, orderType: row.order_type };
}).immediate;

// ------------------------------------------------------------------ HTTP

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(express.json({ limit: '64kb' }));

function staffOnly(req, res, next) {
  if (req.get('authorization') !== `Bearer ${STAFF_TOKEN}`) {
    res.status(401).json({ success: false, error: 'Authentication required' });
    return;
  }
  next();
}

function parse(schema, value) {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, result.error.issues);
  return result.data;
}

app.get('/hello', (req, res) => {
  res.json({ hello: 'world' });
});

app.get('/health', (req, res) => {
  res.json({ success: true, data: { status: 'ok' } });
});

app.post('/api/orders', (req, res) => {
  const body = parse(OrderBody, req.body);
  const priced = priceLines(body);
  const { order, items } = placeOrder(body, priced);
  io.to('kitchen').emit('order:new', {
    id: order.id, orderNumber: order.orderNumber, status: 'PENDING', orderType: order.orderType,
  });
  res.status(201).json({
    success: true,
    data: {
      id: order.id, orderNumber: order.orderNumber, trackingToken: order.trackingToken, status: 'PENDING',
      orderType: order.orderType, subtotal: money(order.subtotal), deliveryFee: money(order.deliveryFee),
      tax: money(order.tax), total: money(order.total), createdAt: order.now,
      items: priced.lines.map((line, n) => ({
        id: items[n], menuItemId: line.item.id, name: line.item.name, quantity: line.quantity,
        unitPrice: money(line.unit), subtotal: money(line.unit * line.quantity),
        options: line.options.map((o) => ({ ...o, priceModifier: money(o.priceModifierCents) })),
      })),
    },
  });
});

app.patch('/api/orders/:id/status', staffOnly, (req, res) => {
  const { status } = parse(StatusBody, req.body);
  const summary = changeStatus(req.params.id, status);
  io.to('kitchen').to(`order:${summary.id}`).emit('order:statusUpdate', summary);
  res.json({ success: true, data: summary });
});

/** The benchmark's menu: `items` items with the same two option groups as benchmarks.harness.seed_menu. */
app.post('/seed', staffOnly, (req, res) => {
  const { items } = parse(SeedBody, req.body);
  const insertLocation = db.prepare('INSERT INTO locations (id, name) VALUES (?, ?)');
  const insertItem = db.prepare('INSERT INTO menu_items (id, location_id, name, price_cents) VALUES (?, ?, ?, ?)');
  const insertOption = db.prepare('INSERT INTO menu_options (id, menu_item_id, name, is_required, min_select, '
    + 'max_select, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertValue = db.prepare('INSERT INTO menu_option_values (id, menu_option_id, name, price_modifier_cents, '
    + 'is_default) VALUES (?, ?, ?, ?, ?)');
  const groups = [
    { name: 'Size', required: 1, min: 1, max: 1, values: [['Regular', 0, 1], ['Large', 250, 0]] },
    { name: 'Extras', required: 0, min: 0, max: 2, values: [['Cheese', 100, 0], ['Bacon', 150, 0], ['Olives', 75, 0]] },
  ];
  const seeded = db.transaction(() => {
    const locationId = newId();
    insertLocation.run(locationId, 'Bench Bistro');
    const created = [];
    for (let n = 0; n < items; n += 1) {
      const id = newId();
      insertItem.run(id, locationId, `Dish ${n}`, 950);
      const options = groups.map((group, sort) => {
        const optionId = newId();
        insertOption.run(optionId, id, group.name, group.required, group.min, group.max, sort);
        const values = group.values.map(([name, cents, isDefault]) => {
          const valueId = newId();
          insertValue.run(valueId, optionId, name, cents, isDefault);
          return { id: valueId, name };
        });
        return { id: optionId, name: group.name, values };
      });
      created.push({ id, name: `Dish ${n}`, options });
    }
    return { locationId, items: created };
  })();
  res.status(201).json({ success: true, data: seeded });
});

app.use((err, req, res, next) => { // eslint-disable-line no-unused-vars
  if (err instanceof HttpError) {
    res.status(err.status).json({ success: false, error: err.detail });
  } else if (err.type === 'entity.parse.failed') {
    res.status(400).json({ success: false, error: 'Invalid JSON' });
  } else {
    console.error(err);
    res.status(500).json({ success: false, error: 'Internal server error' });
  }
});

// ------------------------------------------------------------------ Socket.IO

const server = http.createServer(app);
const io = new Server(server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });

function orderSnapshot(row) {
  return {
    id: row.id, orderNumber: row.order_number, status: row.status, orderType: row.order_type,
    total: money(row.total_cents), createdAt: row.created_at, updatedAt: row.updated_at,
    items: q.orderItems.all(row.id).map((item) => ({
      id: item.id, menuItemId: item.menu_item_id, name: item.name, quantity: item.quantity,
      unitPrice: money(item.unit_price_cents), subtotal: money(item.subtotal_cents), comment: item.comment,
      options: JSON.parse(item.options),
    })),
  };
}

io.on('connection', (socket) => {
  socket.on('join', (message) => {
    const parsed = JoinBody.safeParse(message);
    if (!parsed.success) {
      socket.emit('join:error', { error: 'Invalid join' });
      return;
    }
    const join = parsed.data;
    if (join.room === 'kitchen') {
      if (join.token !== STAFF_TOKEN) {
        socket.emit('join:error', { error: 'Staff access required' });
        return;
      }
      socket.join('kitchen');
      const orders = q.active.all().map((row) => ({
        id: row.id, orderNumber: row.order_number, status: row.status, orderType: row.order_type,
        total: money(row.total_cents), createdAt: row.created_at, updatedAt: row.updated_at,
      }));
      socket.emit('snapshot', { room: 'kitchen', orders });
      return;
    }
    const row = q.orderByToken.get(join.id, join.token);
    if (!row) {
      socket.emit('join:error', { error: 'Order not found' });
      return;
    }
    socket.join(`order:${row.id}`);
    socket.emit('snapshot', { room: 'order', order: orderSnapshot(row) });
  });
});

function shutdown() {
  io.close();
  server.close(() => {
    db.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

server.listen(PORT, '127.0.0.1', () => {
  console.log(`node stand-in on http://127.0.0.1:${PORT} (data: ${DATA_DIR})`);
});
