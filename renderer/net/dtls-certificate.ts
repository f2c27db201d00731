/**
 * The DTLS certificate a side presents on every peer connection of a session. The security code comes from both
 * sides' certificate fingerprints, so keeping the same certificate keeps the code the people compared: the host
 * makes one per session and uses it for every link (a technician's reload makes a new one), and the technician's
 * page keeps its own in IndexedDB (RTCCertificate is structured-cloneable), so a reload presents it again.
 */
const DB_NAME = 'peerdesk';
const STORE = 'certificates';
const KEY = 'viewer';
/** A certificate closer than this to its expiry is replaced (Chromium's default lifetime is 30 days). */
const MIN_REMAINING_MS = 24 * 3600 * 1000;

export function newCertificate(): Promise<RTCCertificate> {
  return RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams);
}

/** The page's own certificate, the same across reloads; undefined where storage is refused (then each link makes one). */
export async function persistentCertificate(): Promise<RTCCertificate | undefined> {
  try {
    const db = await openDb();
    try {
      const stored = await request<RTCCertificate | undefined>(db.transaction(STORE).objectStore(STORE).get(KEY));
      if (stored && stored.expires - Date.now() > MIN_REMAINING_MS) return stored;
      const fresh = await newCertificate();
      await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(fresh, KEY));
      return fresh;
    } finally {
      db.close();
    }
  } catch (err) {
    console.warn('no stored DTLS certificate', err);
    return undefined;
  }
}

function openDb(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return request(open);
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
