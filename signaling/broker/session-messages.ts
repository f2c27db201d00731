import { PROTOCOL_VERSION } from '../../protocol/limits';
import type { SessionRecord, SessionViewer } from '../session-store';

/** The single-use resume token a side gets after opening, admission and every resume. */
export const tokenMessage = (code: string, token: string, graceMs: number) => ({ type: 'resume.token', code, token, graceMs }) as const;

/** The invite link the host shares: code, current PIN and the protocol version. */
export const inviteUrl = (base: string, s: SessionRecord) => `${base}/#join?code=${s.code}&pin=${s.pin}&v=${PROTOCOL_VERSION}`;

/** Who the host is told is asking: the name, and the verified identity when the technician signed in. */
export const claimOf = (v: SessionViewer) => ({ name: v.name, ...(v.identity ? { identity: v.identity } : {}) });

/** Logs never carry a whole code. */
export const mask = (code: string) => `${code.slice(0, 3)}******`;
