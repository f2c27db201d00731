import type { QueueEntry } from '../../protocol/signaling-messages';
import type { HelpRecord } from './queue-store';

/** Requests that wait in one line: the same team, or handed to the same technician by name. */
export const sameLine = (a: HelpRecord, b: HelpRecord) => a.team === b.team && a.forTechnician === b.forTechnician;

export const handoverTarget = (r: HelpRecord) =>
  r.forTechnician ? { technician: r.forTechnician } : { ...(r.team ? { team: r.team } : {}) };

export function entryOf(r: HelpRecord, watcherEmail: string): QueueEntry {
  const { id, name, description, team, app, os, createdAt, expiresAt, handedOverBy } = r;
  return {
    requestId: id,
    name,
    description,
    ...(team ? { team } : {}),
    ...(app ? { app } : {}),
    ...(os ? { os } : {}),
    waitingSince: createdAt,
    expiresAt,
    ...(handedOverBy ? { handover: { from: handedOverBy.name, toYou: r.forTechnician === watcherEmail } } : {}),
  };
}
