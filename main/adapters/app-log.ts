import log from 'electron-log/main';
import { redact } from '../services/redact';

/**
 * The app's log file (electron-log: per-OS log folder, rotation). Every argument
 * passes through `redact` first: no PIN, TURN credential or token is ever written.
 */
export function setUpLogging(): typeof log {
  log.initialize();
  log.transports.file.level = 'info';
  log.hooks.push((message) => ({ ...message, data: message.data.map((d: unknown) => redact(d)) }));
  return log;
}

/** A pino destination that hands the embedded signaling server's JSON lines to the same log. */
export function pinoToAppLog(appLog: typeof log): { write(line: string): void } {
  return {
    write(line: string) {
      try {
        const { level, msg, ...rest } = JSON.parse(line) as { level: number; msg?: string };
        (level >= 50 ? appLog.error : level >= 40 ? appLog.warn : appLog.info)('[signaling]', msg ?? '', rest);
      } catch {
        appLog.info('[signaling]', line.trim());
      }
    },
  };
}
