import type { PeerDeskHostApi } from '../../protocol/host-api';
import type { PlatformNotice } from '../../protocol/settings';
import { newCertificate } from '../net/dtls-certificate';
import type { SignalingConnection } from '../net/signaling-connection';
import { reportToAudit } from '../session/audit-reporter';
import { SessionLog } from '../session/session-log';
import type { CodeMemory } from '../ui/security-code-badge';
import { SessionLogPanel } from '../ui/session-log-panel';
import { hotkeyLabel, REVOKE_HOTKEY_LABEL } from './control-relay';
import { HostLink } from './host-link';
import { VerifiedGate } from './verified-gate';

/** What the person set in the desktop app that the host page shows or enforces (a browser host has the defaults). */
export interface HostSettings {
  revokeLabel: string;
  displayName: string;
  notices: PlatformNotice[];
  lanUrl?: string;
  maxFileBytes?: number;
}

export const defaultHostSettings = (): HostSettings => ({ revokeLabel: REVOKE_HOTKEY_LABEL, displayName: '', notices: [] });

/** The desktop app's settings through its API, and the verified-technician gate they configure. */
export async function loadHostSettings(api: PeerDeskHostApi | undefined): Promise<{ settings: HostSettings; gate: VerifiedGate }> {
  if (!api?.settings) return { settings: defaultHostSettings(), gate: new VerifiedGate() };
  const [settings, lanUrl, notices] = await Promise.all([api.settings(), api.lanViewerUrl?.(), api.platformNotices?.()]);
  return {
    settings: {
      revokeLabel: hotkeyLabel(settings.revokeHotkey),
      maxFileBytes: settings.maxFileMiB * 1024 * 1024,
      lanUrl,
      notices: notices ?? [],
      displayName: settings.displayName,
    },
    gate: new VerifiedGate(settings),
  };
}

/** The parts a session gets once the server answered: its peer link, its log (reported to the audit trail) and panel. */
export interface HostSessionParts {
  peer: HostLink;
  log: SessionLog;
  logPanel: SessionLogPanel;
  /** The first security code of the session, so a later different one is shown as changed. */
  codeMemory: CodeMemory;
}

export async function hostSessionParts(conn: SignalingConnection): Promise<HostSessionParts> {
  const peer = new HostLink(conn, await newCertificate().catch(() => undefined));
  let firstCode: string | undefined;
  const codeMemory: CodeMemory = { get: () => firstCode, set: (code) => (firstCode = code) };
  const log = new SessionLog();
  reportToAudit(log, (m) => conn.send(m));
  return { peer, log, logPanel: new SessionLogPanel(log, true), codeMemory };
}
