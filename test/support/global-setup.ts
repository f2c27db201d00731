import { startXvfb, type Xvfb } from './xvfb';

let xvfb: Xvfb | undefined;

/** One Xvfb for the whole run: robotjs keeps its first X connection for the life of a process. */
export async function setup(): Promise<void> {
  xvfb = await startXvfb();
  process.env.DISPLAY = xvfb.display;
  process.env.PEERDESK_TEST_XVFB = '1';
}

export async function teardown(): Promise<void> {
  await xvfb?.stop();
}
