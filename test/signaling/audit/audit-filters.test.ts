import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSignalingServer } from '../../../signaling/server';
import { auditSessionsResponseSchema } from '../../../protocol/audit-sessions';
import { TestClient } from '../../support/signaling-client';
import { freshAuditUrl } from './audit-db';
import { cookieFor, scriptedSession, start, OLLIE, TINA } from './audit-http';

/**
 * The history's filters over HTTP: sessions made through the support queue (people, teams, outcomes, a hand-over)
 * and one code-and-PIN session run on a real server, which writes the trail when it closes; a second server on the
 * same SQLite file answers. Admins filter by technician, person, team and outcome; a technician's filters only
 * ever narrow their own sessions.
 */
let reader: RunningSignalingServer;
const cookies: Record<string, string> = {};

/** A person asks (team), `picker` picks, the host answers; `handTo` then hands it on and that colleague is allowed. */
async function queueSession(
  server: RunningSignalingServer,
  o: { person: string; team: string; picker: string; allow: boolean; handTo?: string },
): Promise<void> {
  const host = await TestClient.connect(server.wsUrl);
  host.send({ type: 'host.open', v: 1 });
  await host.next('host.opened');
  host.send({ type: 'help.request', name: o.person, description: 'Help', team: o.team });
  const { requestId } = await host.next('help.queued');
  const seat = async (email: string, id: string, allow: boolean) => {
    const tech = await TestClient.connect(server.wsUrl, { headers: { cookie: await cookieFor(server, email) } });
    tech.send({ type: 'queue.pick', requestId: id });
    const asked = await host.next('join.request');
    host.send({ type: 'host.decide', requestId: asked.requestId, allow });
    await tech.next(allow ? 'join.accepted' : 'join.denied');
    return tech;
  };
  const first = await seat(o.picker, requestId, o.allow);
  const clients = [host, first];
  if (o.handTo) {
    first.send({ type: 'help.handover', to: { technician: o.handTo } });
    const again = await host.next('help.queued');
    clients.push(await seat(o.handTo, again.requestId, true));
  }
  host.send({ type: 'leave' });
  await host.next('session.ended').catch(() => undefined);
  clients.forEach((c) => c.close());
}

beforeAll(async () => {
  const auditDb = await freshAuditUrl('sqlite');
  const writer = await start({ auditDb, teams: ['network', 'printers'], helpRequestsPerAddressPerHour: 1000 });
  await queueSession(writer, { person: 'Pat Person', team: 'printers', picker: TINA, allow: true });
  await queueSession(writer, { person: 'Quinn Quest', team: 'network', picker: OLLIE, allow: false });
  await queueSession(writer, { person: 'Pat Other', team: 'network', picker: TINA, allow: true, handTo: OLLIE });
  await scriptedSession(writer, await cookieFor(writer, OLLIE));
  await writer.close();
  reader = await start({ auditDb });
  for (const [who, email, admin] of [
    ['admin', 'boss@example.com', true],
    ['tina', TINA, false],
    ['ollie', OLLIE, false],
  ] as const)
    cookies[who] = await cookieFor(reader, email, admin);
}, 60_000);
afterAll(() => reader?.close());

async function people(who: string, query: string): Promise<Array<string | null>> {
  const res = await fetch(`${reader.url}/api/audit/sessions?${query}`, { headers: { cookie: cookies[who] } });
  expect(res.status).toBe(200);
  return auditSessionsResponseSchema.parse(await res.json()).sessions.map((s) => s.person);
}

describe('history filters', () => {
  it('an admin filters by person (any case, part of the name), team and outcome, and combines them', async () => {
    expect(await people('admin', '')).toEqual([null, 'Pat Other', 'Quinn Quest', 'Pat Person']);
    expect(await people('admin', 'person=pat')).toEqual(['Pat Other', 'Pat Person']);
    expect(await people('admin', 'team=network')).toEqual(['Pat Other', 'Quinn Quest']);
    expect(await people('admin', 'outcome=declined')).toEqual(['Quinn Quest']);
    expect(await people('admin', 'outcome=handed-over')).toEqual(['Pat Other']);
    expect(await people('admin', 'outcome=allowed')).toEqual([null, 'Pat Other', 'Pat Person']);
    expect(await people('admin', 'outcome=live')).toEqual([]);
    expect(await people('admin', `technician=${OLLIE}&team=network`)).toEqual(['Pat Other', 'Quinn Quest']);
    expect(await people('admin', `technician=${TINA}&person=PAT&outcome=ended`)).toEqual(['Pat Other', 'Pat Person']);
  });

  it("a technician's filters narrow their own sessions only; another's technician= is ignored", async () => {
    expect(await people('tina', '')).toEqual(['Pat Other', 'Pat Person']);
    expect(await people('tina', `technician=${OLLIE}`)).toEqual(['Pat Other', 'Pat Person']);
    expect(await people('tina', `technician=${OLLIE}&person=quinn`)).toEqual([]);
    expect(await people('ollie', 'person=quinn')).toEqual(['Quinn Quest']);
    expect(await people('ollie', 'person=pat')).toEqual(['Pat Other']);
  });

  it('the export takes the matching sessions only, and a bad filter is refused with its reason', async () => {
    const res = await fetch(`${reader.url}/api/audit/export?format=jsonl&outcome=declined`, { headers: { cookie: cookies.admin } });
    const records = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { session: string; type: string; fields: { name?: string } });
    expect(new Set(records.map((r) => r.session)).size).toBe(1);
    expect(records.find((r) => r.type === 'help.requested')?.fields.name).toBe('Quinn Quest');
    const none = await fetch(`${reader.url}/api/audit/export?format=csv&person=nobody`, { headers: { cookie: cookies.admin } });
    expect((await none.text()).trim().split('\r\n')).toHaveLength(1);
    const bad = await fetch(`${reader.url}/api/audit/sessions?outcome=exploded`, { headers: { cookie: cookies.admin } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^outcome: /);
  });
});
