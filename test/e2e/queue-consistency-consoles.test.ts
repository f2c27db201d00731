import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { TestClient } from '../support/signaling-client';
import { SECRET, askingHost, technician, technicianCookie } from '../signaling/queue/technician';

/**
 * 100 requests and 20 consoles, three of them the real console page in Chromium (the rest ws clients): every console
 * shows every request exactly once and loses it exactly once, and each request is picked by exactly one of the
 * technicians racing for it. A page's rows are counted as they are inserted and removed (a MutationObserver put in
 * before the page's own script runs), so a duplicate `queue.added` — even one the list would swallow — shows.
 */
let harness: E2EHarness;
const clients: TestClient[] = [];
beforeAll(async () => {
  harness = await E2EHarness.start({
    devIdp: true,
    sessionSecret: SECRET,
    helpRequestsPerAddressPerHour: 10_000,
    maxConnectionsPerAddress: 1000,
    maxQueuedRequests: 1000,
  });
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await harness.stop();
});

/** Counts every queue row the page inserts and removes, by request id, from the first byte of the page on. */
const ROW_COUNTER = () => {
  const counts = { added: {} as Record<string, number>, removed: {} as Record<string, number> };
  (window as unknown as { __rows: typeof counts }).__rows = counts;
  const each = (nodes: NodeList, into: Record<string, number>) =>
    nodes.forEach((n) => {
      const id = n instanceof HTMLElement && n.classList.contains('queue-entry') ? n.dataset.requestId : undefined;
      if (id) into[id] = (into[id] ?? 0) + 1;
    });
  new MutationObserver((records) =>
    records.forEach((r) => {
      each(r.addedNodes, counts.added);
      each(r.removedNodes, counts.removed);
    }),
  ).observe(document, { childList: true, subtree: true });
};

async function consolePage(i: number): Promise<Page> {
  const [name, ...value] = (await technicianCookie(harness.server, `page${i}@example.com`, `Page ${i}`)).split('=');
  const page = await harness.consolePage(async (p) => {
    await p.context().addCookies([{ name, value: value.join('='), url: harness.server.url }]);
    await p.addInitScript(ROW_COUNTER);
  });
  await page.waitForSelector('#queue-status:has-text("Live")');
  return page;
}

const rows = (page: Page) =>
  page.evaluate(() => (window as unknown as { __rows: { added: Record<string, number>; removed: Record<string, number> } }).__rows);

it('100 requests, 3 console pages and 17 ws consoles: every request shown once by each, each picked once', async () => {
  const pages = await Promise.all([0, 1, 2].map(consolePage));
  const consoles = await Promise.all(Array.from({ length: 17 }, (_, i) => technician(harness.server, `tech${i}@example.com`, `Tech ${i}`)));
  clients.push(...consoles);
  const added = consoles.map(() => new Map<string, number>());
  const removed = consoles.map(() => new Map<string, number>());
  consoles.forEach((c, i) =>
    c.ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; request?: { requestId: string }; requestId?: string };
      const count = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);
      if (m.type === 'queue.added') count(added[i], m.request!.requestId);
      if (m.type === 'queue.removed') count(removed[i], m.requestId!);
    }),
  );
  consoles.forEach((c) => c.send({ type: 'queue.watch' }));
  await Promise.all(consoles.map((c) => c.next('queue.snapshot')));

  const hosts = [];
  for (let i = 0; i < 100; i += 20) hosts.push(...(await Promise.all(Array.from({ length: 20 }, () => askingHost(harness.server.wsUrl)))));
  clients.push(...hosts.map((h) => h.host));
  const ids = hosts.map((h) => h.queued.requestId).sort();
  for (const page of pages)
    await page.waitForFunction(() => document.querySelectorAll('.queue-entry').length === 100, null, { timeout: 60_000 });
  await expect.poll(() => added.every((m) => m.size === 100), { timeout: 60_000 }).toBe(true);

  // Three technicians race for every request, each from a fresh connection (their cookies sealed once).
  const cookies = await Promise.all([0, 1, 2].map((i) => technicianCookie(harness.server, `tech${i}@example.com`, `Tech ${i}`)));
  const winners = await Promise.all(
    ids.map(async (id) => {
      const pickers = await Promise.all(cookies.map((cookie) => TestClient.connect(harness.server.wsUrl, { headers: { cookie } })));
      clients.push(...pickers);
      pickers.forEach((p) => p.send({ type: 'queue.pick', requestId: id }));
      const outcomes = await Promise.all(
        pickers.map((p) => Promise.race([p.next('queue.picked', 30_000).then(() => 1), p.next('queue.taken', 30_000).then(() => 0)])),
      );
      return outcomes.reduce<number>((a, b) => a + b, 0);
    }),
  );
  expect(winners).toEqual(ids.map(() => 1));

  for (const page of pages) {
    await page.waitForSelector('#queue-empty:not([hidden])', { timeout: 60_000 });
    const seen = await rows(page);
    expect(Object.keys(seen.added).sort()).toEqual(ids);
    expect(Object.values(seen.added).every((n) => n === 1)).toBe(true);
    expect(Object.keys(seen.removed).sort()).toEqual(ids);
    expect(Object.values(seen.removed).every((n) => n === 1)).toBe(true);
  }
  await expect.poll(() => removed.every((m) => m.size === 100), { timeout: 60_000 }).toBe(true);
  for (let i = 0; i < consoles.length; i++) {
    expect([...added[i].keys()].sort()).toEqual(ids);
    expect([...added[i].values()].every((n) => n === 1)).toBe(true);
    expect([...removed[i].values()].every((n) => n === 1)).toBe(true);
  }
}, 180_000);
