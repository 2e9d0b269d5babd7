/**
 * The test files that package.json's tap config excludes ("exclude") run here, one after another in
 * this one process: small in-process tests, for which starting a process of their own took longer
 * than the tests. Each still runs alone with `npx tap FILE`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';

const ROOT = join(import.meta.dirname, '..');
const { tap } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { tap: { exclude: string[] } };

for (const file of tap.exclude) {
  try {
    await import(pathToFileURL(join(ROOT, file)).href);
  } catch (err) {
    t.fail(`${file} loads`, { error: err });
  }
}
