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

/** TURN credentials handed to one side of a session, kept on its record so they are handed again, not re-minted. */
export interface TurnGrant {
  username: string;
  credential: string;
  /** Epoch ms the credential stops allocating. */
  expiresAt: number;
}

/**
 * The side's grant while more than half its lifetime is left, else a fresh one (none without TURN). Re-minting on
 * every message would make each resume or join a tap of fresh relay credentials.
 */
export function grantFor(config: IceConfig, held: TurnGrant | undefined, label: () => string, nowMs = Date.now()): TurnGrant | undefined {
  if (!config.turnUrls.length || !config.turnSecret) return undefined;
  const halfLife = (config.turnCredentialTtlS * 1000) / 2;
  if (held && held.expiresAt - nowMs > halfLife) return held;
  const minted = mintTurnCredential(config.turnSecret, label(), config.turnCredentialTtlS, nowMs);
  return { ...minted, expiresAt: (Math.floor(nowMs / 1000) + config.turnCredentialTtlS) * 1000 };
}

export function iceServersWith(config: IceConfig, grant: TurnGrant | undefined): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stunUrls.length) servers.push({ urls: config.stunUrls });
  if (grant) servers.push({ urls: config.turnUrls, username: grant.username, credential: grant.credential });
  return servers;
}

export function iceServersFor(config: IceConfig, label: string): IceServer[] {
  return iceServersWith(
    config,
    grantFor(config, undefined, () => label),
  );
}
