import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze, diskWorkspace } from './helpers';

/**
 * Real source files (test/code/SOURCES.md says which; the copies live outside the repository) against the truth read
 * by hand per call site
 * (test/code/expectations.json): every call found, its SDK and provider, whether its system prompt is static, where the
 * first run-time value enters and how often it changes, and the flag — no static prompt flagged, every value that
 * changes between requests ahead of static text flagged.
 */
const ROOT = path.resolve(__dirname, '../../../..');
const root = path.join(ROOT, 'test/code');
/** Where the copies are: fetched files stay out of commits (SOURCES.md), so the lead's machine or CI provides them. */
const CORPUS = [
  process.env.KVLENS_CODE_CORPUS,
  path.join(ROOT, '..', 'shared', 'code-corpus'),
  path.join(root, 'local'),
].find((d): d is string => !!d && fs.existsSync(path.join(d, 'SOURCES.md')));
const expectations = JSON.parse(fs.readFileSync(path.join(root, 'expectations.json'), 'utf8')) as {
  files: Record<
    string,
    {
      workspace?: string;
      calls: {
        line: number;
        sdk: string;
        provider: string | null;
        systemStatic: boolean | null;
        firstDynamic: { line: number; volatility: string; file?: string } | null;
        flag: boolean;
      }[];
    }
  >;
};

describe('code: the corpus of real source files', () => {
  if (!CORPUS)
    console.log(
      '      (no code corpus here: run scripts/code-corpus.mjs on fetched snapshots, or set KVLENS_CODE_CORPUS)',
    );
  let calls = 0,
    flagged = 0;
  for (const [file, want] of CORPUS ? Object.entries(expectations.files) : []) {
    it(file, async () => {
      const abs = path.join(CORPUS!, file);
      const text = fs.readFileSync(abs, 'utf8');
      const ws = want.workspace ? diskWorkspace(path.join(CORPUS!, want.workspace), abs) : undefined;
      const r = await analyze(text, abs, { workspace: ws });
      const got = r.calls.map((c) => ({
        line: c.line,
        sdk: c.sdk,
        provider: c.provider,
        systemStatic: c.systemStatic,
        firstDynamic: c.firstDynamic
          ? {
              line: c.firstDynamic.line,
              volatility: c.firstDynamic.volatility,
              ...(c.firstDynamic.file ? { file: c.firstDynamic.file } : {}),
            }
          : null,
        flag: c.flag,
      }));
      assert.deepEqual(
        got,
        want.calls.map(({ line, sdk, provider, systemStatic, firstDynamic, flag }) => ({
          line,
          sdk,
          provider,
          systemStatic,
          firstDynamic,
          flag,
        })),
      );
      calls += got.length;
      flagged += got.filter((c) => c.flag).length;
    });
  }
  if (CORPUS)
    it('covers the SDKs and both outcomes', () => {
      assert.ok(calls >= 25, `${calls} calls`);
      assert.ok(flagged >= 4, `${flagged} flagged`);
      const files = Object.keys(expectations.files).length;
      console.log(`      ${files} files from ${CORPUS}: ${calls} call sites, ${flagged} flagged, each as read by hand`);
    });
});
