import fs from 'node:fs';
import path from 'node:path';

// Test bundles run from out*/test/…, so find the repository by its package.json rather than relative to this file.
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

export function fixture(name: string): string {
  return fs.readFileSync(path.join(repoRoot(), 'test/unit/prompt/fixtures', name), 'utf8');
}
