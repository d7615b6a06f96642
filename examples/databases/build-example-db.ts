// Builds the example shop database used by the `sql` profile and the SQL tool's tests: four tables,
// a view and `_prompts` rows (suggestions listed in the `sql_query` tool description).
//
//   node --import tsx examples/databases/build-example-db.ts [output file]
//
// The default output is examples/databases/shop.sqlite. An existing file is replaced. The data is fixed,
// so every build has the same content.

import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const schema = `
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  city TEXT NOT NULL,
  joined_on TEXT NOT NULL
);
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents > 0)
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  ordered_on TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('paid', 'shipped', 'cancelled'))
);
CREATE TABLE order_items (
  order_id INTEGER NOT NULL REFERENCES orders(id),
  product_id INTEGER NOT NULL REFERENCES products(id),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, product_id)
);
CREATE INDEX orders_by_customer ON orders(customer_id);
CREATE VIEW order_totals AS
  SELECT o.id AS order_id, c.name AS customer, o.ordered_on, o.status,
         SUM(i.quantity * p.price_cents) AS total_cents
  FROM orders o
  JOIN customers c ON c.id = o.customer_id
  JOIN order_items i ON i.order_id = o.id
  JOIN products p ON p.id = i.product_id
  GROUP BY o.id;
CREATE TABLE _prompts (prompt TEXT NOT NULL);
`;

const customers: [number, string, string, string][] = [
  [1, 'Ada Brook', 'Lyon', '2024-01-15'],
  [2, 'Bruno Costa', 'Porto', '2024-02-03'],
  [3, 'Chloé Martin', 'Paris', '2024-03-22'],
  [4, 'Deniz Aydın', 'Izmir', '2024-05-09'],
  [5, 'Emeka Obi', 'Lagos', '2024-06-30'],
  [6, 'Fumiko Sato', 'Osaka', '2024-08-11'],
];

const products: [number, string, string, number][] = [
  [1, 'Espresso beans 1 kg', 'coffee', 2490],
  [2, 'Filter beans 500 g', 'coffee', 1390],
  [3, 'Ceramic dripper', 'equipment', 2900],
  [4, 'Paper filters (100)', 'equipment', 690],
  [5, 'Burr grinder', 'equipment', 12900],
  [6, 'Milk jug 350 ml', 'equipment', 1850],
  [7, 'Green tea 250 g', 'tea', 1190],
  [8, 'Travel mug', 'equipment', 2200],
];

const orders: [number, number, string, string][] = [
  [1, 1, '2025-01-04', 'shipped'],
  [2, 2, '2025-01-09', 'shipped'],
  [3, 1, '2025-02-14', 'shipped'],
  [4, 3, '2025-02-20', 'cancelled'],
  [5, 4, '2025-03-02', 'shipped'],
  [6, 5, '2025-03-18', 'paid'],
  [7, 6, '2025-03-19', 'paid'],
  [8, 3, '2025-04-01', 'shipped'],
  [9, 2, '2025-04-07', 'paid'],
  [10, 1, '2025-04-12', 'paid'],
];

const orderItems: [number, number, number][] = [
  [1, 1, 2],
  [1, 4, 1],
  [2, 3, 1],
  [2, 2, 1],
  [3, 5, 1],
  [4, 7, 3],
  [5, 1, 1],
  [5, 6, 1],
  [6, 8, 2],
  [7, 7, 1],
  [7, 2, 2],
  [8, 4, 4],
  [9, 1, 1],
  [10, 3, 1],
  [10, 4, 2],
];

const prompts = [
  'Which customers spent the most, in euros?',
  'Revenue per product category, cancelled orders excluded.',
  'Orders still waiting to be shipped, oldest first.',
];

/** Builds the example database at `path` (replacing any existing file) and returns the path. */
export function buildExampleDatabase(path: string): string {
  const target = resolve(path);
  mkdirSync(dirname(target), { recursive: true });
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  const db = new Database(target);
  try {
    db.exec(schema);
    const fill = db.transaction(() => {
      const customer = db.prepare('INSERT INTO customers (id, name, city, joined_on) VALUES (?, ?, ?, ?)');
      for (const row of customers) customer.run(...row);
      const product = db.prepare('INSERT INTO products (id, name, category, price_cents) VALUES (?, ?, ?, ?)');
      for (const row of products) product.run(...row);
      const order = db.prepare('INSERT INTO orders (id, customer_id, ordered_on, status) VALUES (?, ?, ?, ?)');
      for (const row of orders) order.run(...row);
      const item = db.prepare('INSERT INTO order_items (order_id, product_id, quantity) VALUES (?, ?, ?)');
      for (const row of orderItems) item.run(...row);
      const prompt = db.prepare('INSERT INTO _prompts (prompt) VALUES (?)');
      for (const text of prompts) prompt.run(text);
    });
    fill();
    db.exec('VACUUM');
  } finally {
    db.close();
  }
  return target;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const output = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'shop.sqlite');
  const existed = existsSync(output);
  const written = buildExampleDatabase(output);
  process.stdout.write(`${existed ? 'rebuilt' : 'built'} ${written}\n`);
}
