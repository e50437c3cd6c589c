import assert from 'node:assert/strict';
import {
  documentReport,
  type BaselineInput,
  type DocumentReportResult,
} from '../../../src/core/analysis/documentReport';
import { LiveReport } from '../../../src/core/analysis/liveReport';
import { tokenAtSource } from '../../../src/core/analysis/reportRanges';
import { findModel } from '../../../src/core/pricing/catalog';
import { tokenizerForModel } from '../../../src/core/pricing/modelTokenizer';
import type { ModelInfo } from '../../../src/core/pricing/types';
import { parsePrompt } from '../../../src/core/prompt/parse';
import type { TextEdit } from '../../../src/core/tokenizer/types';
import { int, pick, prose, seeded } from '../tokenizer/sampleTexts';
import {
  applyEdit,
  bodyOffset,
  editAt,
  editKind,
  jsonBody,
  jsonStringEdit,
  longStrings,
  olderVersion,
  shiftStrings,
  undoOf,
  variedMarkdown,
} from './editorWorkload';

const NOW = Date.UTC(2026, 11, 1, 10);
const model = (id: string) => (findModel(id) as { model: ModelInfo }).model;

/** A Markdown prompt as users write them: front matter, rules, a dated line, two markers, a run-time reference. */
function markdownPrompt(rnd: () => number, eol: string): string {
  const rules = Array.from(
    { length: 120 },
    (_, i) => `Rule ${i + 1}: ${prose(rnd, 60 + int(rnd, 200)).replace(/\s+/g, ' ')}`,
  ).join(eol);
  return [
    `---${eol}model: gpt-4.1${eol}---`,
    '# Support agent',
    '',
    'Today is 2026-12-01; the desk is open 07:00–19:00 CET.',
    rules,
    '<!-- cache-breakpoint -->',
    `Context from #file:docs/faq.md and \${input:ticket}.`,
    prose(rnd, 6000),
    '<!-- cache-breakpoint ttl=1h -->',
    'Question: where is my invoice?',
    '',
  ].join(eol);
}

/** Edits as typing makes them, and now and then one that touches structure (which the live path must decline). */
function nextEdit(rnd: () => number, text: string, eol: string): TextEdit {
  const at = 40 + int(rnd, text.length - 40);
  const r = rnd();
  if (r < 0.45)
    return { start: at, end: at, text: pick(rnd, ['a', 'e', ' ', 'x', '1', "'s", 'the ', '.', ',', '你', '🙂']) };
  if (r < 0.6) return { start: at, end: Math.min(text.length, at + 1 + int(rnd, 3)), text: '' };
  if (r < 0.7) return { start: at, end: at, text: eol };
  if (r < 0.8) return { start: at, end: Math.min(text.length, at + int(rnd, 40)), text: prose(rnd, 1 + int(rnd, 120)) };
  if (r < 0.86)
    return {
      start: at,
      end: at,
      text: pick(rnd, [
        `${eol}<!-- cache-breakpoint -->${eol}`,
        '${input:x}',
        '}',
        `${eol}---${eol}`,
        '#file:a.md',
        '<!--',
        '\r',
        'Today is Monday',
      ]),
    };
  if (r < 0.9) return { start: 0, end: 0, text: 'x' };
  // Large cuts and pastes, balanced so the prompt keeps its size.
  return rnd() < 0.5
    ? { start: at, end: Math.min(text.length, at + int(rnd, 3000)), text: '' }
    : { start: at, end: at, text: prose(rnd, 1 + int(rnd, 3000)) };
}

/** Everything the editor reads of a result, as plain data (lazy fields read). */
function shape(r: DocumentReportResult) {
  if (!r.ok) return { ok: false, message: r.message };
  const v = r.value;
  return {
    report: v.report,
    baselineProblem: v.baselineProblem,
    rendered: {
      ids: Array.from(v.rendered.ids),
      tokenSource: Array.from(v.rendered.tokenSource),
      blockStart: Array.from(v.rendered.blockStart),
      breakpoints: v.rendered.breakpoints,
      parts: v.rendered.parts,
      blocks: v.rendered.blocks,
      encoding: v.rendered.encoding,
      exact: v.rendered.exact,
    },
    prompts: JSON.parse(JSON.stringify(v.version.prompts)),
    label: v.version.label,
    text: v.version.text,
  };
}

interface Run {
  readonly fast: number;
  readonly declined: number;
  readonly why: Record<string, number>;
}

/** The next edit of a run, given the text it applies to. */
type Next = (rnd: () => number, text: string) => TextEdit;
const typing =
  (eol: string): Next =>
  (rnd, text) =>
    nextEdit(rnd, text, eol);

/**
 * Typing, deleting, pasting and new lines at random places of a variedMarkdown() prompt's body (or anywhere in a text
 * prompt); with `undo`, each edit is undone by the next (the break moves up to the edit, then back).
 */
function session(from: (text: string) => number, undo: boolean): Next {
  let last: TextEdit | undefined;
  return (rnd, text) => {
    const e = last ?? editAt(rnd, text, from(text) + int(rnd, text.length - from(text) + 1), editKind(rnd));
    last = undo && !last ? undoOf(text, e) : undefined;
    return e;
  };
}

/** The same inside a JSON body's long string values, as typed into a JSON string (escapes whole). */
function jsonSession(): Next {
  let strings: [number, number][] | undefined;
  return (rnd, text) => {
    strings ??= longStrings(text);
    const e = jsonStringEdit(rnd, text, strings, editKind(rnd));
    shiftStrings(strings, e);
    return e;
  };
}

function follow(
  name: string,
  start: string,
  fileName: string,
  m: ModelInfo,
  baseline: BaselineInput,
  seed: number,
  edits: number,
  next: Next,
  clock?: (i: number) => number,
): Run {
  const rnd = seeded(seed);
  const tokenizer = tokenizerForModel(m).tokenizer;
  let text = start,
    now = NOW;
  const full = () =>
    documentReport({ text, fileName, model: m, tokenizer, baseline, now, parsed: parsePrompt(text, { fileName }) });
  let { live } = LiveReport.start({ text, fileName, model: m, tokenizer, baseline, now });
  assert.ok(live, `${name}: the live path follows this prompt`);
  let fast = 0,
    declined = 0;
  const why: Record<string, number> = {};
  for (let i = 0; i < edits; i++) {
    const e = next(rnd, text);
    if (e.start === e.end && !e.text) continue;
    text = applyEdit(text, e);
    if (clock) now = clock(i);
    const got = live?.update([e], now);
    if (got) fast++;
    else {
      declined++;
      const k = live?.declined ?? 'not followed';
      why[k] = (why[k] ?? 0) + 1;
      const again = LiveReport.start({ text, fileName, model: m, tokenizer, baseline, now });
      live = again.live;
      assert.deepEqual(shape(again.result), shape(full()), `${name}: restart after edit ${i}`);
      continue;
    }
    // Every few edits the whole result is compared (ids and offsets arrays are O(n) to build); the report every time.
    const want = full();
    if (i % 7 === 0 || i === edits - 1)
      assert.deepEqual(shape(got), shape(want), `${name}: edit ${i} ${JSON.stringify(e).slice(0, 120)}`);
    else
      assert.deepEqual(
        got.ok && got.value.report,
        want.ok && want.value.report,
        `${name}: report after edit ${i} ${JSON.stringify(e).slice(0, 120)}`,
      );
  }
  return { fast, declined, why };
}

describe("LiveReport: the editor's report followed edit by edit (same answer as documentReport)", () => {
  const rnd = seeded(77);
  const md = markdownPrompt(rnd, '\n');
  const older = md.replace('Rule 60:', 'Rule sixty:');
  const steady: BaselineInput = { kind: 'steady', label: 'steady' };
  const git: BaselineInput = { kind: 'git', label: 'git HEAD', text: older };

  for (const id of ['gpt-4.1', 'grok-4-1-fast-reasoning', 'mistral-large-3', 'gpt-oss-120b']) {
    it(`${id}: 300 random edits of a Markdown prompt with markers, steady state`, function () {
      this.timeout(120_000);
      const r = follow(id, md, 'p.prompt.md', model(id), steady, 1, 300, typing('\n'));
      assert.ok(r.fast > r.declined * 2, `mostly followed: ${r.fast} fast, ${JSON.stringify(r.why)}`);
    });
  }

  it('against git HEAD: edits before and after the break are followed; one that restores the baseline moves the break later', function () {
    this.timeout(120_000);
    const m = model('gpt-4.1'),
      tokenizer = tokenizerForModel(m).tokenizer;
    const at = md.indexOf('Rule 60:');
    const full = (text: string) =>
      documentReport({ text, fileName: 'p.prompt.md', model: m, tokenizer, baseline: git, now: NOW });
    const live = LiveReport.start({
      text: md,
      fileName: 'p.prompt.md',
      model: m,
      tokenizer,
      baseline: git,
      now: NOW,
    }).live!;
    let text = md;
    const step = (e: TextEdit) => {
      text = applyEdit(text, e);
      const got = live.update([e], NOW);
      assert.ok(got, `followed: ${live.declined}`);
      assert.deepEqual(shape(got), shape(full(text)));
      return got.ok ? got.value.report : assert.fail('report');
    };
    const moved = step({ start: at - 500, end: at - 500, text: 'x' });
    assert.ok(
      moved.firstDivergence!.offset <= at - 500 && moved.firstDivergence!.offset > at - 520,
      JSON.stringify(moved.firstDivergence),
    );
    const original = full(md);
    assert.ok(original.ok);
    const restored = step({ start: at - 500, end: at - 499, text: '' });
    assert.equal(
      restored.firstDivergence!.offset,
      original.value.report.firstDivergence!.offset,
      'undoing the edit moves the break back to Rule 60',
    );
    // The edit that restores "Rule 60:" as the baseline has it: the break moves past it, to the end of what matches.
    const r60 = text.indexOf('Rule 60:');
    const same = step({ start: r60 + 5, end: r60 + 7, text: 'sixty' });
    assert.equal(same.firstDivergence, null, 'the text equals the baseline again: nothing breaks');
    const after = step({ start: r60 + 500, end: r60 + 500, text: 'x' });
    assert.ok(after.firstDivergence && after.firstDivergence.offset > r60 + 480, JSON.stringify(after.firstDivergence));
    // A random run: every edit is followed or declined for structure, never for where it is.
    const r = follow('git', md, 'p.prompt.md', m, git, 2, 300, typing('\n'));
    assert.ok(
      r.fast > 200 && !r.why['edit before where the prompt leaves its baseline'],
      `${r.fast} fast, ${JSON.stringify(r.why)}`,
    );
  });

  it('a CRLF plain-text prompt without front matter (content-sniffed), against a recorded send that expires midway', function () {
    this.timeout(120_000);
    const crlf = markdownPrompt(seeded(3), '\r\n').replace(/^---[\s\S]*?---\r\n/, '');
    const sent: BaselineInput = {
      kind: 'recorded',
      label: 'sent 09:58',
      text: crlf.replace('Rule 5:', 'Rule five:'),
      sentAt: NOW - 2 * 60_000,
    };
    const r = follow('crlf', crlf, 'notes.txt', model('gpt-4.1'), sent, 4, 200, typing('\r\n'), (i) => NOW + i * 3000);
    assert.ok(
      r.fast > 60 && r.why['a baseline entry expired (or the clock went back)'] === 1,
      `${r.fast} fast, ${JSON.stringify(r.why)}`,
    );
  });

  it("multi-cursor edits in one change event, and the token hover's lookups over the chunks", () => {
    const m = model('gpt-4.1'),
      tokenizer = tokenizerForModel(m).tokenizer;
    const { live } = LiveReport.start({
      text: md,
      fileName: 'p.prompt.md',
      model: m,
      tokenizer,
      baseline: steady,
      now: NOW,
    });
    // VS Code lists a multi-cursor edit's changes last first, so each is in offsets the ones before it left valid.
    const edits: TextEdit[] = [
      { start: 5000, end: 5000, text: 'B' },
      { start: 3000, end: 3002, text: '' },
      { start: 1000, end: 1000, text: 'A' },
    ];
    const got = live!.update(edits, NOW)!;
    const text = edits.reduce(applyEdit, md);
    const want = documentReport({ text, fileName: 'p.prompt.md', model: m, tokenizer, baseline: steady, now: NOW });
    assert.deepEqual(shape(got), shape(want));
    assert.ok(got.ok && want.ok);
    for (const o of [0, 30, 1000, 2999, 5001, text.length - 1])
      assert.deepEqual(tokenAtSource(got.value.rendered, o), tokenAtSource(want.value.rendered, o));
  });

  it('a report stays true after later edits: its lazily built arrays and texts are of its own version', () => {
    const m = model('gpt-4.1'),
      tokenizer = tokenizerForModel(m).tokenizer;
    const body = JSON.stringify(
      {
        model: 'gpt-4.1',
        messages: [
          { role: 'system', content: `Policy:\n${prose(seeded(9), 4000)}` },
          { role: 'user', content: 'Where is my invoice?' },
        ],
      },
      null,
      1,
    );
    for (const [fileName, text] of [
      ['p.prompt.md', md],
      ['req.json', body],
    ] as const) {
      const { live } = LiveReport.start({ text, fileName, model: m, tokenizer, baseline: steady, now: NOW });
      const at = text.indexOf('e', 2000);
      const first = live!.update([{ start: at, end: at, text: 'x' }], NOW)!;
      const want = shape(
        documentReport({
          text: applyEdit(text, { start: at, end: at, text: 'x' }),
          fileName,
          model: m,
          tokenizer,
          baseline: steady,
          now: NOW,
        }),
      );
      live!.update(
        [
          { start: at + 1, end: at + 1, text: 'yz' },
          { start: at - 40, end: at - 30, text: '' },
        ],
        NOW,
      );
      assert.deepEqual(shape(first), want, fileName);
    }
  });

  it('JSON bodies (Chat Completions, Responses, Gemini): edits inside strings, escaped or not, are followed; the rest is declined', function () {
    this.timeout(120_000);
    const r = seeded(8);
    const policy = Array.from(
      { length: 80 },
      (_, i) => `${i + 1}. ${prose(r, 80 + int(r, 120)).replace(/\s+/g, ' ')}`,
    ).join('\n');
    const tools = [
      {
        type: 'function',
        function: {
          name: 'lookup_order',
          description: 'Find an order by id',
          parameters: { type: 'object', properties: { id: { type: 'string' } } },
        },
      },
    ];
    const bodies: [string, string][] = [
      [
        'chat',
        JSON.stringify(
          {
            model: 'gpt-4.1',
            tools,
            messages: [
              { role: 'system', content: `You are "Lumi".\n${policy}` },
              { role: 'user', content: prose(r, 3000) },
              { role: 'assistant', content: 'Sure — which order?' },
              { role: 'user', content: 'Order 1234, placed 2026-11-30.' },
            ],
          },
          null,
          2,
        ),
      ],
      [
        'responses',
        JSON.stringify(
          {
            model: 'gpt-4.1',
            instructions: policy,
            input: [{ role: 'user', content: [{ type: 'input_text', text: prose(r, 2000) }] }],
          },
          null,
          1,
        ),
      ],
      [
        'gemini',
        JSON.stringify({
          systemInstruction: { parts: [{ text: policy }] },
          contents: [{ role: 'user', parts: [{ text: prose(r, 2000) }] }],
        }),
      ],
    ];
    const m = model('gpt-4.1'),
      tokenizer = tokenizerForModel(m).tokenizer;
    for (const [name, body] of bodies) {
      const rnd = seeded(name.length * 13);
      let text = body,
        fast = 0;
      const why: Record<string, number> = {};
      let live: LiveReport | undefined = LiveReport.start({
        text,
        fileName: 'req.json',
        model: m,
        tokenizer,
        baseline: steady,
        now: NOW,
      }).live;
      assert.ok(live, `${name}: followed`);
      for (let i = 0; i < 150; i++) {
        // Mostly typing inside a string's text, now and then a quote, a backslash, a newline or an edit between strings.
        const strings = [...text.matchAll(/"((?:[^"\\]|\\.){20,})"/g)];
        const pickS = strings[int(rnd, strings.length)];
        const inside = pickS.index! + 1 + int(rnd, pickS[1].length + 1);
        const x = rnd();
        const e: TextEdit =
          x < 0.6
            ? { start: inside, end: inside, text: pick(rnd, ['a', ' ', 'é', '🙂', 'word ', '.']) }
            : x < 0.75
              ? { start: inside, end: Math.min(inside + 1 + int(rnd, 4), pickS.index! + pickS[0].length - 1), text: '' }
              : x < 0.85
                ? { start: inside, end: inside, text: pick(rnd, ['"', '\\', '\\n', '\n', '\t']) }
                : { start: int(rnd, text.length), end: int(rnd, text.length), text: ',' };
        if (e.end < e.start) continue;
        const edited = applyEdit(text, e);
        const got: DocumentReportResult | undefined = live?.update([e], NOW);
        const want = documentReport({
          text: edited,
          fileName: 'req.json',
          model: m,
          tokenizer,
          baseline: steady,
          now: NOW,
        });
        if (!want.ok) {
          // A broken body (a stray quote): declined; typing goes on in the body as it was.
          assert.equal(got, undefined, `${name}: a broken body is not followed`);
          live = LiveReport.start({ text, fileName: 'req.json', model: m, tokenizer, baseline: steady, now: NOW }).live;
          continue;
        }
        text = edited;
        if (got) {
          fast++;
          if (i % 5 === 0) assert.deepEqual(shape(got), shape(want), `${name}: edit ${i} ${JSON.stringify(e)}`);
          else
            assert.deepEqual(
              got.ok && got.value.report,
              want.ok && want.value.report,
              `${name}: report after edit ${i} ${JSON.stringify(e)}`,
            );
        } else {
          const k = live?.declined ?? 'not followed';
          why[k] = (why[k] ?? 0) + 1;
          const again = LiveReport.start({
            text,
            fileName: 'req.json',
            model: m,
            tokenizer,
            baseline: steady,
            now: NOW,
          });
          live = again.live;
          assert.deepEqual(shape(again.result), shape(want), `${name}: restart after edit ${i}`);
        }
      }
      assert.ok(fast > 80, `${name}: ${fast} followed, ${JSON.stringify(why)}`);
    }
  });

  it("does not follow what it cannot: JSON Lines, Claude's estimated tokens", () => {
    const line = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(
      LiveReport.start({
        text: `${line}\n${line}\n`,
        fileName: 'log.jsonl',
        model: model('gpt-4.1'),
        tokenizer: tokenizerForModel(model('gpt-4.1')).tokenizer,
        baseline: steady,
        now: NOW,
      }).live,
      undefined,
    );
    const claude = model('claude-sonnet-4-5');
    const s = LiveReport.start({
      text: md,
      fileName: 'p.prompt.md',
      model: claude,
      tokenizer: tokenizerForModel(claude).tokenizer,
      baseline: steady,
      now: NOW,
    });
    assert.equal(s.live, undefined);
    assert.ok(s.result.ok);
  });

  describe('what users do all day: typing, deleting, pasting and new lines, followed without a whole-text analysis', () => {
    const big = variedMarkdown(seeded(21), 40_000);
    const olderBig = olderVersion(seeded(22), big, 0.9);
    const gpt = model('gpt-4.1');
    const noneDeclined = (r: Run, name: string) =>
      assert.equal(r.declined, 0, `${name}: ${r.fast} followed, declined ${JSON.stringify(r.why)}`);

    it('varied Markdown (prose, code with template literals, #file: lines, HTML comments, CJK), steady state', function () {
      this.timeout(120_000);
      noneDeclined(
        follow('varied', big, 'agent.prompt.md', gpt, steady, 31, 150, session(bodyOffset, false)),
        'varied',
      );
    });

    it('against an older version, each edit undone by the next: the break moves up to the edit, then back', function () {
      this.timeout(120_000);
      const older: BaselineInput = { kind: 'git', label: 'git HEAD', text: olderBig };
      noneDeclined(follow('older', big, 'agent.prompt.md', gpt, older, 32, 150, session(bodyOffset, true)), 'older');
    });

    it('edits far into a long document (the last fifth of 300 KB: 137,000 tokens, 33 chunks) against an older version changed at 95 %', function () {
      this.timeout(180_000);
      const long = variedMarkdown(seeded(23), 300_000);
      const older: BaselineInput = { kind: 'git', label: 'git HEAD', text: olderVersion(seeded(24), long, 0.95) };
      const far = (text: string) => Math.floor(text.length * 0.8);
      noneDeclined(follow('far', long, 'agent.prompt.md', gpt, older, 33, 60, session(far, true)), 'far');
    });

    it('a plain-text prompt sniffed by its content: edits anywhere, its first line and head included', function () {
      this.timeout(120_000);
      const text = big.replace(/^---[\s\S]*?---\n/, '');
      // Random places from offset 0, and every fifth edit in the first 4,096 units (the sniffed head).
      const anywhere = session(() => 0, false),
        head = session(() => 0, false);
      let n = 0;
      const next: Next = (rnd, t) => (n++ % 5 ? anywhere(rnd, t) : head(rnd, t.slice(0, 4096)));
      noneDeclined(follow('text', text, 'notes.prompt.txt', gpt, steady, 34, 120, next), 'text');
    });

    it('JSON string values: escapes typed (\\n, \\", \\u00e9), deleted and pasted whole are followed', function () {
      this.timeout(120_000);
      const body = jsonBody(seeded(25), 30_000);
      noneDeclined(follow('json', body, 'request.json', gpt, steady, 35, 150, jsonSession()), 'json');
    });

    it('once declined and now followed; still declined, and then the same as a whole-text analysis', () => {
      const tokenizer = tokenizerForModel(gpt).tokenizer;
      const md = [
        '---\nmodel: gpt-4.1\n---\n# Agent',
        'Use #file:docs/a.md first.',
        '```ts\nconst s = `${name}: ${value}`;\nif (x) {\n  y();\n}\n```',
        '<!-- a note, not a marker -->',
        'Then #file:docs/b.md.',
        prose(seeded(26), 3000),
        '<!-- cache-breakpoint -->',
        prose(seeded(27), 3000),
      ].join('\n');
      const txt = `Notes for the agent\n${prose(seeded(28), 6000)}`;
      const body = JSON.stringify(
        { model: 'gpt-4.1', messages: [{ role: 'user', content: `Line one\n${prose(seeded(29), 2000)}` }] },
        null,
        1,
      );
      const plain = body.replace(/"content": "Line one/, '"content": "Plain');
      const at = (t: string, s: string, d = 0) => t.indexOf(s) + d;
      const cases: [string, string, string, TextEdit, boolean][] = [
        [
          'template literal line',
          md,
          'a.prompt.md',
          { start: at(md, '${name}', 2), end: at(md, '${name}', 2), text: 'x' },
          true,
        ],
        ['closing brace line', md, 'a.prompt.md', { start: at(md, '\n}', 1), end: at(md, '\n}', 1), text: ' ' }, true],
        [
          'HTML comment line',
          md,
          'a.prompt.md',
          { start: at(md, 'a note'), end: at(md, 'a note'), text: 'still ' },
          true,
        ],
        [
          'a later #file: line',
          md,
          'a.prompt.md',
          { start: at(md, 'Then'), end: at(md, 'Then') + 4, text: 'Next' },
          true,
        ],
        [
          'pasting a template literal',
          md,
          'a.prompt.md',
          { start: at(md, 'Then'), end: at(md, 'Then'), text: '`${a}` ' },
          true,
        ],
        ['first line of a text file', txt, 'n.prompt.txt', { start: 5, end: 5, text: 'new ' }, true],
        ['head of a sniffed file', txt, 'n.prompt.txt', { start: 900, end: 901, text: '' }, true],
        [
          'a new line typed in JSON',
          body,
          'r.json',
          { start: at(body, 'one'), end: at(body, 'one'), text: '\\n' },
          true,
        ],
        ['a quote typed in JSON', body, 'r.json', { start: at(body, 'one'), end: at(body, 'one'), text: '\\"' }, true],
        ['an escape deleted', body, 'r.json', { start: at(body, '\\n'), end: at(body, '\\n', 2), text: '' }, true],
        [
          'a first escape',
          plain,
          'r.json',
          { start: at(plain, 'Plain'), end: at(plain, 'Plain'), text: '\\u00e9' },
          true,
        ],
        [
          'a marker made',
          md,
          'a.prompt.md',
          { start: at(md, 'Then'), end: at(md, 'Then'), text: '<!-- cache-breakpoint -->\n' },
          false,
        ],
        [
          'the marker edited',
          md,
          'a.prompt.md',
          { start: at(md, 'cache-breakpoint'), end: at(md, 'cache-breakpoint'), text: 'x' },
          false,
        ],
        [
          'a reference before the first',
          md,
          'a.prompt.md',
          { start: at(md, '# Agent') + 2, end: at(md, '# Agent') + 2, text: '#file:z.md ' },
          false,
        ],
        [
          'an ${input: opened',
          md,
          'a.prompt.md',
          { start: at(md, 'Then'), end: at(md, 'Then'), text: '${input:q ' },
          false,
        ],
        ['front matter opened', txt, 'n.prompt.txt', { start: 0, end: 0, text: '---\n' }, false],
        ['a sniffed head made JSON', txt, 'n.prompt.txt', { start: 0, end: 0, text: '{"messages": [' }, false],
        ['a bare quote in JSON', body, 'r.json', { start: at(body, 'one'), end: at(body, 'one'), text: '"' }, false],
        ['half an escape in JSON', body, 'r.json', { start: at(body, 'one'), end: at(body, 'one'), text: '\\' }, false],
      ];
      for (const [name, text, fileName, e, followed] of cases) {
        const { live } = LiveReport.start({ text, fileName, model: gpt, tokenizer, baseline: steady, now: NOW });
        assert.ok(live, `${name}: followed before the edit`);
        const edited = applyEdit(text, e);
        const got = live.update([e], NOW);
        assert.equal(!!got, followed, `${name}: ${got ? 'followed' : `declined (${live.declined})`}`);
        const want = documentReport({ text: edited, fileName, model: gpt, tokenizer, baseline: steady, now: NOW });
        const again =
          got ?? LiveReport.start({ text: edited, fileName, model: gpt, tokenizer, baseline: steady, now: NOW }).result;
        assert.deepEqual(shape(again), shape(want), name);
      }
    });
  });
});
