import assert from 'node:assert/strict';
import fs from 'node:fs';
import { getTokenizer, registerTokenizer } from '../../../src/core/tokenizer/registry';
import { registerPackagedHfTokenizers } from '../../../src/node/hfTokenizerFiles';
import { CLAUDE_ESTIMATE } from '../../../src/core/tokenizer/estimate/claude';
import { GEMINI_ESTIMATE } from '../../../src/core/tokenizer/estimate/gemini';

const ESTIMATES = ['claude_estimate', 'claude_opus47_estimate', 'gemini_estimate'];
const PROSE = 'Prompt caching lets a provider reuse the work it did for the start of a prompt. '.repeat(40);
const CODE = 'function add(a, b) {\n  return a + b; // sum\n}\nconst xs = [1, 2, 3].map((x) => add(x, 1));\n'.repeat(
  30,
);

describe('estimated encodings (Claude, Gemini)', () => {
  for (const name of ESTIMATES) {
    describe(name, () => {
      const tok = getTokenizer(name)!;
      it('is marked as an estimate with a method and an error band', () => {
        assert.equal(tok.exact, false);
        assert.ok(
          tok.estimate &&
            tok.estimate.method.includes('o200k_base') &&
            tok.estimate.errorBand > 0 &&
            tok.estimate.errorBand < 1,
        );
      });
      it('is deterministic, and count agrees with the token state', () => {
        const text = PROSE + CODE + '日本語のテキスト 😀';
        const a = tok.tokenize(text),
          b = tok.tokenize(text);
        assert.deepEqual(Array.from(a.ids), Array.from(b.ids));
        assert.equal(tok.count(text), a.ids.length);
        assert.equal(tok.encode(text).length, a.ids.length);
      });
      it('offsets cover the text on ASCII, CJK and emoji', () => {
        for (const text of ['', 'a', PROSE, '你好，世界！今日は良い天気です。', 'x 😀👍🏽 👨‍👩‍👧 y', CODE]) {
          const s = tok.tokenize(text);
          assert.equal(s.offsets.length, s.ids.length + 1);
          assert.equal(s.offsets[0], 0);
          assert.equal(s.offsets[s.ids.length], text.length);
          for (let i = 0; i < s.ids.length; i++) {
            assert.ok(s.offsets[i + 1] >= s.offsets[i]);
            assert.ok(
              (text.charCodeAt(s.offsets[i + 1]) & 0xfc00) !== 0xdc00 || s.offsets[i + 1] === text.length,
              'cut inside a surrogate pair',
            );
          }
        }
      });
      it('keeps the token prefix of an unchanged text prefix, and retokenize equals a fresh tokenize', () => {
        const base = PROSE + '\n' + CODE;
        const prev = tok.tokenize(base);
        const at = base.indexOf('const xs');
        const r = tok.retokenize(prev, { start: at, end: at + 5, text: 'let' });
        const fresh = tok.tokenize(r.state.text);
        assert.deepEqual(Array.from(r.state.ids), Array.from(fresh.ids));
        assert.deepEqual(Array.from(r.state.offsets), Array.from(fresh.offsets));
        // The prefix survives up to the edited line (estimates weigh tokens by the kind of their line).
        assert.ok(r.firstChangedToken > 0 && fresh.offsets[r.firstChangedToken] <= at);
        assert.ok(
          fresh.offsets[r.firstChangedToken] >= base.lastIndexOf('\n', at) - 40,
          `prefix lost early: ${fresh.offsets[r.firstChangedToken]} vs ${at}`,
        );
      });
    });
  }

  it('claude_estimate applies its published factors to o200k_base counts', () => {
    const o200k = getTokenizer('o200k_base')!;
    const tok = getTokenizer('claude_estimate')!;
    assert.ok(Math.abs(tok.count(PROSE) - CLAUDE_ESTIMATE.factors.prose * o200k.count(PROSE)) <= 1);
    assert.ok(Math.abs(tok.count(CODE) - CLAUDE_ESTIMATE.factors.code * o200k.count(CODE)) <= 2);
  });

  describe('gemini_estimate stays within its band of the real Gemma 3 tokenizer on texts it was not calibrated on', function () {
    this.timeout(60_000);
    const held = [
      ['prose', 'node_modules/fast-check/README.md'],
      ['prose', 'node_modules/@eslint/js/README.md'],
      ['code', 'node_modules/typescript/lib/lib.es5.d.ts'],
      ['code', 'node_modules/fast-check/lib/fast-check.js'],
      ['cjk (zh-CN messages not used in calibration)', 'zh-cn'],
      ['cjk (ko messages not used in calibration)', 'ko'],
    ] as const;
    let gemma: ReturnType<typeof getTokenizer>;
    before(() => {
      registerPackagedHfTokenizers(registerTokenizer);
      gemma = getTokenizer('gemini_gemma3');
    });
    for (const [kind, file] of held) {
      it(`${kind}: ${file}`, () => {
        const text = file.includes('/')
          ? fs.readFileSync(file, 'utf8').slice(0, 40_000)
          : Object.values(
              JSON.parse(
                fs.readFileSync(`node_modules/typescript/lib/${file}/diagnosticMessages.generated.json`, 'utf8'),
              ),
            )
              .slice(400, 800)
              .join('\n');
        const real = gemma!.count(text);
        const est = getTokenizer('gemini_estimate')!.count(text);
        const err = Math.abs(est - real) / real;
        assert.ok(
          err <= GEMINI_ESTIMATE.errorBand,
          `estimate ${est} vs Gemma 3 ${real}: ${(err * 100).toFixed(1)} % > ±${GEMINI_ESTIMATE.errorBand * 100} %`,
        );
      });
    }
  });
});
