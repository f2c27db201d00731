import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';

// A stylesheet with one unclosed block still loads: the browser quietly nests every later rule inside it, and
// whole features (the recording mark, the console's tables) lose their styles with no error anywhere.
const dir = join(__dirname, '../../renderer/static');

describe('stylesheets', () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.css')))
    it(`${name} parses as CSS, every block closed`, async () => {
      await expect(format(readFileSync(join(dir, name), 'utf8'), { parser: 'css' })).resolves.toBeTypeOf('string');
    });
});
