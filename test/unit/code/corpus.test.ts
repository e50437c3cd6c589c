import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze, diskWorkspace } from './helpers';

/**
 * Real source files (test/code/corpus, see SOURCES.md) against the truth read by hand per call site
 * (test/code/expectations.json): every call found, its SDK and provider, whether its system prompt is static, where the
 * first run-time value enters and how often it changes, and the flag — no static prompt flagged, every value that
 * changes between requests ahead of static text flagged.
 */
const root = path.resolve(__dirname, '../../../../test/code');
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
  let calls = 0,
    flagged = 0;
  for (const [file, want] of Object.entries(expectations.files)) {
    it(file, async () => {
      const abs = path.join(root, 'corpus', file);
      const text = fs.readFileSync(abs, 'utf8');
      const ws = want.workspace ? diskWorkspace(path.join(root, 'corpus', want.workspace), abs) : undefined;
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
  it('covers the SDKs and both outcomes', () => {
    assert.ok(calls >= 25, `${calls} calls`);
    assert.ok(flagged >= 4, `${flagged} flagged`);
  });
});
