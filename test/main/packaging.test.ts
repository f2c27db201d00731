import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
interface BuilderConfig {
  appId: string;
  artifactName: string;
  icon: string;
  files: string[];
  asarUnpack: string[];
  linux: { target: string[] };
  win: { target: string };
  mac: { target: string; hardenedRuntime: boolean; entitlements: string; extendInfo: Record<string, string> };
}
const config = parse(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s own JSON schema', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('targets AppImage + deb, nsis and a hardened-runtime dmg with usage descriptions', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toBe('nsis');
    expect(config.mac).toMatchObject({ target: 'dmg', hardenedRuntime: true, entitlements: 'build/entitlements.mac.plist' });
    expect(config.mac.extendInfo.NSScreenCaptureUsageDescription).toMatch(/consent/);
    expect(readFileSync(config.mac.entitlements, 'utf8')).toMatch(/com\.apple\.security\.cs\.allow-jit/);
  });

  it('unpacks robotjs from the asar, names artifacts and ships the icon and the built app', () => {
    expect(config.asarUnpack).toContain('node_modules/robotjs/**');
    expect(config.appId).toBe('com.peerdesk.app');
    expect(config.artifactName).toContain('${version}');
    expect(existsSync(config.icon)).toBe(true);
    expect(config.files).toContain('dist/**/*');
  });
});
