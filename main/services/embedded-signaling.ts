import { join } from 'node:path';

/** The embedded server's audit trail: one SQLite file in the app's data directory (Electron's `userData`). */
export const EMBEDDED_AUDIT_FILE = 'audit.sqlite';

export interface EmbeddedSignalingInput {
  /** The app's data directory (`app.getPath('userData')`). */
  dataDir: string;
  port: number;
  /** Where the renderer bundle is: the server also serves the browser viewer page on the LAN. */
  staticDir: string;
  /** What a browser on the LAN opens (the invite links name it). */
  publicUrl?: string;
}

/**
 * How `main.ts` starts the LAN signaling server when no server is configured: on every interface, serving the viewer
 * page, and keeping an audit trail by default (DESIGN.md §8: "SQLite as the embedded default") — who joined, what was
 * shared, control, files — in the app's data directory, where `audit verify` and `audit export` read it. Plain data,
 * so it is tested without Electron against the real server (test/main/services/embedded-signaling.test.ts).
 */
export function embeddedSignalingOptions(input: EmbeddedSignalingInput) {
  return {
    host: '0.0.0.0',
    port: input.port,
    staticDir: input.staticDir,
    publicUrl: input.publicUrl,
    auditDb: `sqlite:${join(input.dataDir, EMBEDDED_AUDIT_FILE)}`,
  };
}
