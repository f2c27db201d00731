/**
 * Switches for benchmarks and tests, compiled in only in `dist/renderer-instrumented/` (scripts/build.mjs defines
 * PEERDESK_INSTRUMENTED). In the bundle users get both are the constant false, so no query string can turn a
 * user's PeerDesk into the untuned baseline or force its traffic through TURN.
 */
declare const PEERDESK_INSTRUMENTED: boolean;

const instrumented = typeof PEERDESK_INSTRUMENTED !== 'undefined' && PEERDESK_INSTRUMENTED;
const query = instrumented && typeof location !== 'undefined' ? new URLSearchParams(location.search) : undefined;

/** `?profile=naive`: every tuning off — the benchmark's baseline is this same app, untuned. */
export const naiveProfile = query?.get('profile') === 'naive';

/** `?forceRelay=1`: ICE may use TURN relay candidates only (the relay test proves the TURN path). */
export const forceRelay = query?.get('forceRelay') === '1';

/** `?warm=0`: the view prompt starts no capture for its preview, as before it had one (the first-frame benchmark's `peerdesk-cold`). */
export const coldPrompt = query?.get('warm') === '0';

/** `?adapt-resolution=off`: the host keeps full resolution whatever the link (the benchmarks' `peerdesk-fixed-resolution`). */
export const fixedResolution = query?.get('adapt-resolution') === 'off';
