/**
 * A short code both people read to each other on the phone. It comes from the DTLS certificate fingerprints of
 * the live connection (each side's own and the one it actually talks to), sorted so both sides hash the same
 * thing. If anyone sits in the middle — a compromised signaling server, a LAN attacker rewriting SDP — each side
 * talks to the attacker's certificate and the two codes differ.
 */
export async function securityCode(pc: RTCPeerConnection): Promise<string | undefined> {
  const fingerprints = await liveFingerprints(pc);
  return fingerprints && codeFromFingerprints(...fingerprints);
}

/** "123 456": SHA-256 over both fingerprints (sorted, normalised), first 32 bits, as six digits. */
export async function codeFromFingerprints(a: string, b: string): Promise<string> {
  const [x, y] = [normalise(a), normalise(b)].sort();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`peerdesk-sas-v1|${x}|${y}`));
  const n = new DataView(digest).getUint32(0) % 1_000_000;
  const digits = String(n).padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

const normalise = (fingerprint: string) => fingerprint.replace(/[^0-9a-f]/gi, '').toLowerCase();

/** The local and remote certificate fingerprints of the selected transport, from getStats. */
async function liveFingerprints(pc: RTCPeerConnection): Promise<[string, string] | undefined> {
  const stats = await pc.getStats();
  const byId = new Map<string, Record<string, unknown>>();
  stats.forEach((s: Record<string, unknown>) => byId.set(String(s.id), s));
  for (const s of byId.values()) {
    if (s.type !== 'transport' || s.dtlsState !== 'connected') continue;
    const local = byId.get(String(s.localCertificateId))?.fingerprint;
    const remote = byId.get(String(s.remoteCertificateId))?.fingerprint;
    if (typeof local === 'string' && typeof remote === 'string') return [local, remote];
  }
  return undefined;
}
