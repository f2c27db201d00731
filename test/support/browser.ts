import { chromium, type Browser } from 'playwright-core';

export interface LaunchOptions {
  display: string;
  /** Chromium picks the capture source whose title contains this, with no picker (DESIGN.md §5). */
  autoSelectSource?: string;
  headless?: boolean;
  extraArgs?: string[];
}

/** Debian's Chromium under the test's Xvfb, with the flags our machines need (Playwright gives each launch a fresh profile). */
export async function launchChromium(opts: LaunchOptions): Promise<Browser> {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-features=Translate,MediaRouter,OptimizationHints',
    // Without this and a camera/mic grant Chromium gathers no 127.0.0.1 candidates.
    '--allow-loopback-in-peer-connection',
    ...(opts.autoSelectSource ? [`--auto-select-desktop-capture-source=${opts.autoSelectSource}`] : []),
    ...(opts.extraArgs ?? []),
  ];
  return chromium.launch({
    executablePath: process.env.PEERDESK_CHROMIUM ?? '/usr/bin/chromium',
    headless: opts.headless ?? true,
    args,
    env: { ...process.env, DISPLAY: opts.display },
  });
}
