import { createHmac } from 'node:crypto';
import type { IceServer } from '../protocol/signaling-messages';

/**
 * coturn's shared-secret scheme (`use-auth-secret` + `static-auth-secret`):
 * username = "<expiry unix seconds>:<label>", credential = base64(HMAC-SHA1(secret, username)).
 * coturn recomputes the HMAC and refuses expired usernames, so nothing static reaches a client.
 */
export function mintTurnCredential(secret: string, label: string, ttlSeconds: number, nowMs = Date.now()) {
  const username = `${Math.floor(nowMs / 1000) + ttlSeconds}:${label}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

export interface IceConfig {
  stunUrls: string[];
  turnUrls: string[];
  turnSecret?: string;
  turnCredentialTtlS: number;
}

export function iceServersFor(config: IceConfig, label: string): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stunUrls.length) servers.push({ urls: config.stunUrls });
  if (config.turnUrls.length && config.turnSecret) {
    servers.push({ urls: config.turnUrls, ...mintTurnCredential(config.turnSecret, label, config.turnCredentialTtlS) });
  }
  return servers;
}
