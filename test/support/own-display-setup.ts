import { afterAll } from 'vitest';
import { startXvfb } from './xvfb';

/**
 * Setup file of the end-to-end files that run side by side: each file (its own worker process) gets its own Xvfb, so
 * its pointer, keyboard, clipboard, windows and captured screen are its own. Set before the test file is imported:
 * robotjs keeps the display of its first call for the life of the process.
 */
const xvfb = await startXvfb();
process.env.DISPLAY = xvfb.display;
process.env.PEERDESK_TEST_XVFB = '1';
afterAll(() => xvfb.stop());
