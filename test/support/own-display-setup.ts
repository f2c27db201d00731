import { afterAll } from 'vitest';
import { startXvfb } from './xvfb';

/**
 * Setup file of the end-to-end files: each file (its own worker process) gets its own Xvfb, so its pointer, keyboard,
 * clipboard, windows and captured screen are its own — no file inherits another's X state, and files can run side by
 * side (`PEERDESK_E2E_WORKERS`). Set before the test file is imported: robotjs keeps the display of its first call for
 * the life of the process.
 */
const xvfb = await startXvfb();
process.env.DISPLAY = xvfb.display;
process.env.PEERDESK_TEST_XVFB = '1';
afterAll(() => xvfb.stop());
