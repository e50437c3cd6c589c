import assert from 'node:assert/strict';
import { parsePrompt } from '../../../src/core/prompt/parse';
import type { Block, Prompt, PromptDocument } from '../../../src/core/prompt/types';
import { fixture } from './fixture';

function one(doc: PromptDocument): Prompt {
  assert.equal(doc.prompts.length, 1);
  return doc.prompts[0];
}
/** The source text of every verbatim segment equals its text: offsets map one to one. */
function assertVerbatim(text: string, p: Prompt): void {
  for (const b of p.blocks)
    for (const s of b.segments) if (s.verbatim) assert.equal(text.slice(s.range.start, s.range.end), s.text, b.label);
}
const texts = (b: Block) => b.segments.filter((s) => !s.framing).map((s) => s.text);
const codes = (d: PromptDocument) => d.diagnostics.map((x) => x.code);

describe('parsePrompt: plain text and Markdown', () => {
  it('reads a plain file as one verbatim user message', () => {
    const text = 'You are a poet.\nWrite about the sea.\n';
    const p = one(parsePrompt(text, { fileName: 'a.prompt.txt' }));
    assert.equal(p.format, 'text');
    assert.equal(p.blocks.length, 1);
    assert.deepEqual({ kind: p.blocks[0].kind, role: p.blocks[0].role }, { kind: 'text', role: 'user' });
    assert.deepEqual(p.blocks[0].segments, [{ text, range: { start: 0, end: text.length }, verbatim: true }]);
    assert.deepEqual(p.diagnostics, []);
  });

  it('takes the model from front matter and does not send the front matter', () => {
    const text = '---\nmodel: gpt-4o\nprovider: openai\nmode: agent\n---\n# Task\nSummarize.\n';
    const p = one(parsePrompt(text, { fileName: 'x.prompt.md' }));
    assert.equal(p.format, 'markdown');
    assert.equal(p.model, 'gpt-4o');
    assert.equal(p.provider, 'openai');
    assert.deepEqual(texts(p.blocks[0]), ['# Task\nSummarize.\n']);
    assertVerbatim(text, p);
  });

  it('splits at cache-breakpoint marker lines, drops the marker lines and reads ttl', () => {
    const text = 'Tools manual.\n<!-- cache-breakpoint -->\nExamples.\n  <!--cache-breakpoint ttl=1h-->\nQuestion?\n';
    const p = one(parsePrompt(text, { fileName: 'p.prompt' }));
    assert.deepEqual(p.blocks.map(texts), [['Tools manual.\n'], ['Examples.\n'], ['Question?\n']]);
    assert.deepEqual(
      p.blocks.map((b) => b.cacheControl),
      [{ type: 'ephemeral' }, { type: 'ephemeral', ttl: '1h' }, undefined],
    );
    assertVerbatim(text, p);
  });

  it('warns about an unknown marker option and an empty section, keeping the breakpoint', () => {
    const text = '<!-- cache-breakpoint -->\nA\n<!-- cache-breakpoint ttl=2h -->\n';
    const doc = parsePrompt(text, { fileName: 'p.prompt' });
    assert.deepEqual(codes(doc), ['empty-breakpoint-section', 'bad-breakpoint']);
    assert.equal(doc.diagnostics[1].line, 3);
    assert.deepEqual(
      one(doc).blocks.map((b) => b.cacheControl),
      [{ type: 'ephemeral' }],
    );
  });

  it('keeps CRLF line ends in the sent text and counts CRLF lines in diagnostics', () => {
    const text = '---\r\nmodel: [unclosed\r\n---\r\nline one\r\n<!-- cache-breakpoint -->\r\nline two\r\n';
    const doc = parsePrompt(text, { fileName: 'c.prompt.md' });
    const p = one(doc);
    assert.deepEqual(p.blocks.map(texts), [['line one\r\n'], ['line two\r\n']]);
    assertVerbatim(text, p);
    const yamlError = doc.diagnostics.find((d) => d.code === 'front-matter-yaml');
    assert.ok(yamlError && yamlError.line >= 2 && yamlError.severity === 'error', JSON.stringify(doc.diagnostics));
  });

  it('strips a BOM and keeps ranges as offsets in the original text', () => {
    const text = '\uFEFF---\nmodel: gpt-4o\n---\nHello';
    const p = one(parsePrompt(text, { fileName: 'b.prompt.md' }));
    assert.equal(p.model, 'gpt-4o');
    assert.deepEqual(p.blocks[0].segments[0], {
      text: 'Hello',
      range: { start: text.indexOf('Hello'), end: text.length },
      verbatim: true,
    });
  });

  it('warns about unclosed front matter and reads the whole file', () => {
    const doc = parsePrompt('---\nmodel: x\nno end', { fileName: 'u.prompt.md' });
    assert.deepEqual(codes(doc), ['front-matter-unclosed']);
    assert.equal(texts(one(doc).blocks[0])[0], '---\nmodel: x\nno end');
  });
});

describe('parsePrompt: Prompty', () => {
  const text = fixture('chat.prompty');
  const doc = parsePrompt(text, { fileName: 'chat.prompty' });
  const p = one(doc);

  it('reads the model from model.configuration and splits role sections, trimmed', () => {
    assert.equal(p.format, 'prompty');
    assert.equal(p.model, 'gpt-4o');
    assert.deepEqual(
      p.blocks.map((b) => [b.kind, b.role]),
      [
        ['system', 'system'],
        ['message', 'user'],
        ['message', 'assistant'],
      ],
    );
    assert.deepEqual(p.blocks.map(texts), [
      ['You are a helpful support agent.\n\nBe brief.'],
      ['{{question}}'],
      ['Let me check.'],
    ]);
    assertVerbatim(text, p);
    assert.ok(p.blocks.every((b) => b.segments[0].framing && b.segments[0].text.includes(b.role!)));
  });

  it('notes that template variables are counted as written', () => {
    const d = doc.diagnostics.find((x) => x.code === 'template-variables');
    assert.ok(d);
    assert.equal(text.slice(d.range.start, d.range.start + 2), '{{');
    assert.equal(d.severity, 'info');
  });

  it('treats text before the first role line as system, and accepts "# user:" lines', () => {
    const q = one(parsePrompt('Be nice.\n# User:\nHi\n', { fileName: 'x.prompty' }));
    assert.deepEqual(
      q.blocks.map((b) => [b.role, texts(b)[0]]),
      [
        ['system', 'Be nice.'],
        ['user', 'Hi'],
      ],
    );
  });
});

describe('parsePrompt: OpenAI Chat Completions', () => {
  const text = fixture('openai-chat.json');
  const doc = parsePrompt(text, { fileName: 'req.json' });
  const p = one(doc);

  it('orders tools, then the response schema, then the messages', () => {
    assert.equal(p.format, 'openai-chat');
    assert.deepEqual(
      p.blocks.map((b) => `${b.kind}:${b.role ?? ''}`),
      ['tools:', 'response_format:', 'system:system', 'message:user', 'message:assistant', 'tool_result:tool'],
    );
    assert.equal(p.blocks[0].label, 'tools (2)');
    // The functions as OpenAI renders them (a TypeScript namespace), one segment each between its opening and close.
    const fns = p.blocks[0].segments.filter((s) => !s.framing);
    assert.equal(fns.length, 2);
    assert.match(fns[0].text, /^(\/\/ .*\n)?type lookup_order = \(_: \{\n/);
    assert.match(p.blocks[0].segments[0].text, /namespace functions \{/);
    assert.equal(p.model, 'gpt-4o-mini');
    assert.equal(p.promptCacheKey, 'support-bot-v2');
    assert.equal(p.promptCacheRetention, '24h');
  });

  it('ranges each string at its content inside the quotes, mapping escapes back to source', () => {
    const sys = p.blocks[2].segments.find((s) => !s.framing)!;
    assert.equal(sys.text, 'You are a support agent for Acme.\nAnswer briefly.');
    assert.equal(text.slice(sys.range.start, sys.range.end), 'You are a support agent for Acme.\\nAnswer briefly.');
    assert.equal(sys.verbatim, false);
    const a = sys.text.indexOf('Answer');
    assert.equal(text.slice(sys.sourceOffsets![a], sys.sourceOffsets![a] + 6), 'Answer');
    assert.equal(sys.sourceOffsets![sys.text.length], sys.range.end);
    const user = p.blocks[3].segments[1];
    assert.deepEqual([user.verbatim, text.slice(user.range.start, user.range.end)], [true, 'What is in this picture?']);
    assert.ok(p.blocks.every((b) => text.slice(b.range.start, b.range.end).length > 0));
    assert.ok(text.slice(p.blocks[5].range.start, p.blocks[5].range.end).startsWith('{ "role": "tool"'));
  });

  it('maps \\u escapes and escaped quotes back to their source offsets', () => {
    const src = '{"messages":[{"role":"user","content":"caf\\u00e9 \\"quoted\\" end"}]}';
    const seg = one(parsePrompt(src, { fileName: 'e.json' })).blocks[0].segments[1];
    assert.equal(seg.text, 'café "quoted" end');
    const at = (s: string) => seg.sourceOffsets![seg.text.indexOf(s)];
    assert.equal(src.slice(at('é'), at('é') + 6), '\\u00e9');
    assert.equal(src.slice(at('quoted'), at('quoted') + 6), 'quoted');
    assert.equal(src.slice(at('end'), at('end') + 3), 'end');
  });

  it('counts an image as a placeholder with an info diagnostic', () => {
    assert.deepEqual(p.blocks[3].segments.map((s) => s.text).slice(1, 3), ['What is in this picture?', '[image]']);
    const info = doc.diagnostics.find((d) => d.code === 'media-content')!;
    assert.equal(info.severity, 'info');
    assert.equal(info.line, 9);
    assert.ok(text.slice(info.range.start).startsWith('{ "type": "image_url"'));
  });

  it('renders assistant tool calls as the model wrote them: the function name, then its arguments', () => {
    const [name, args] = p.blocks[4].segments.filter((s) => !s.framing);
    assert.equal(name.text, 'lookup_order');
    assert.doesNotThrow(() => JSON.parse(args.text));
  });
});

describe('parsePrompt: OpenAI Responses', () => {
  const text = fixture('openai-responses.json');
  const p = one(parsePrompt(text, { fileName: 'r.json' }));

  it('orders tools, text.format, instructions, then the input items', () => {
    assert.equal(p.format, 'openai-responses');
    assert.deepEqual(
      p.blocks.map((b) => `${b.kind}:${b.role ?? ''}`),
      ['tools:', 'response_format:', 'system:developer', 'message:user', 'message:assistant', 'tool_result:tool'],
    );
    assert.deepEqual(texts(p.blocks[2]), ['You are a weather bot.']);
    assert.deepEqual(texts(p.blocks[5]), ['18°C, cloudy']);
    assertVerbatim(text, p);
  });

  it('takes a string input as one user message', () => {
    const q = one(parsePrompt('{"model":"gpt-5","instructions":"Be terse.","input":"Hi"}', { fileName: 'r.json' }));
    assert.deepEqual(
      q.blocks.map((b) => [b.label, texts(b)]),
      [
        ['instructions', ['Be terse.']],
        ['input user', ['Hi']],
      ],
    );
  });
});

describe('parsePrompt: Anthropic Messages', () => {
  const text = fixture('anthropic.json');
  const doc = parsePrompt(text, { fileName: 'a.json' });
  const p = one(doc);

  it('orders tools, system, messages with one block per content block', () => {
    assert.equal(p.format, 'anthropic-messages');
    assert.deepEqual(
      p.blocks.map((b) => b.label),
      [
        'tools[0] search',
        'system[0]',
        'system[1]',
        'messages[0].content[0] user',
        'messages[0].content[1] user',
        'messages[1] assistant',
      ],
    );
    assert.equal(p.model, 'claude-sonnet-4-5');
  });

  it('reads cache_control with ttl on tools, system and content blocks, and the automatic top-level one', () => {
    assert.deepEqual(
      p.blocks.map((b) => b.cacheControl?.ttl ?? (b.cacheControl ? '5m' : '-')),
      ['5m', '-', '1h', '5m', '-', '-'],
    );
    assert.deepEqual(p.automaticCacheControl, { type: 'ephemeral' });
    assert.doesNotMatch(p.blocks[0].segments[0].text, /cache_control/);
  });

  it('puts the role header in the first block of each message, inside that block', () => {
    // A user turn opens with its role marker (3 tokens, measured), then the text.
    assert.deepEqual(
      p.blocks[3].segments.map((s) => [s.text, s.adjust ?? 0]),
      [
        ['<|human|>', 2],
        ['Here is the contract:', 0],
      ],
    );
    assert.equal(p.blocks[4].segments[0].text, '[image]');
    for (const b of p.blocks)
      for (const s of b.segments) assert.ok(s.range.start >= b.range.start && s.range.end <= b.range.end, b.label);
  });

  it('rejects a system role inside messages with a hint, keeping the message', () => {
    const text = '{"model":"claude-x","messages":[{"role":"system","content":"x"},{"role":"user","content":"y"}]}';
    const d = parsePrompt(text, { fileName: 'a.json' });
    const err = d.diagnostics.find((x) => x.code === 'unknown-role')!;
    assert.match(err.message, /top-level "system"/);
    assert.equal(err.column, text.indexOf('"system"') + 1);
    assert.equal(one(d).blocks.length, 2);
  });

  it('warns about a malformed cache_control', () => {
    const d = parsePrompt(
      '{"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","ttl":"2h"}}],"messages":[]}',
      { fileName: 'a.json' },
    );
    assert.deepEqual(codes(d), ['bad-cache-control']);
    assert.deepEqual(one(d).blocks[0].cacheControl, { type: 'ephemeral' });
  });
});

describe('parsePrompt: JSONL', () => {
  const text = [
    '{"messages":[{"role":"user","content":"first"}]}',
    '',
    '{"messages":[{"role":"user","content":"second"},]}',
    '{"custom_id":"r1","method":"POST","url":"/v1/responses","body":{"model":"gpt-5","input":"third"}}',
    '{"custom_id":"r2","params":{"model":"claude-x","messages":[{"role":"user","content":"fourth"}]}}',
  ].join('\r\n');
  const doc = parsePrompt(text, { fileName: 'log.jsonl' });

  it('gives each non-empty line its own prompt, labelled by line', () => {
    assert.deepEqual(
      doc.prompts.map((p) => p.label),
      ['line 1', 'line 3', 'line 4', 'line 5'],
    );
    assert.deepEqual(
      doc.prompts.map((p) => p.format),
      ['openai-chat', 'openai-chat', 'openai-responses', 'anthropic-messages'],
    );
    assert.deepEqual(
      doc.prompts.map((p) => p.blocks.map(texts).flat()),
      [['first'], ['second'], ['third'], ['fourth']],
    );
    for (const p of doc.prompts) assertVerbatim(text, p);
  });

  it('reports a broken line with its own line and column, in the document and its prompt', () => {
    assert.equal(doc.diagnostics.length, 1);
    const d = doc.diagnostics[0];
    assert.deepEqual([d.code, d.line, d.column], ['json-syntax', 3, 49]);
    assert.deepEqual(doc.prompts[1].diagnostics, [d]);
    assert.deepEqual(doc.prompts[0].diagnostics, []);
  });
});

describe('parsePrompt: malformed input', () => {
  it('gives line and column of a JSON syntax error and a partial result', () => {
    const text =
      '{\n  "messages": [\n    {"role": "user", "content": "ok"},\n    {"role": "assistant" "content": "x"}\n  ]\n}';
    const doc = parsePrompt(text, { fileName: 'broken.json' });
    const d = doc.diagnostics[0];
    assert.deepEqual([d.severity, d.code, d.line, d.column], ['error', 'json-syntax', 4, 26]);
    assert.match(d.message, /expected ","/);
    assert.deepEqual(texts(one(doc).blocks[0]), ['ok']);
  });

  it('reports wrong types, unknown roles, missing roles and content', () => {
    const text =
      '{"messages":[{"role":"user","content":42},{"role":"robot","content":"hi"},"oops",{"content":"x"},{"role":"user"}],"tools":{}}';
    const doc = parsePrompt(text, { fileName: 'w.json' });
    const byCode = (c: string) => doc.diagnostics.filter((x) => x.code === c);
    assert.equal(byCode('wrong-type').length, 3);
    assert.match(byCode('wrong-type')[0].message, /content should be a string or an array of parts, found a number/);
    assert.equal(text.slice(byCode('unknown-role')[0].range.start, byCode('unknown-role')[0].range.end), '"robot"');
    assert.equal(byCode('missing-role').length, 1);
    assert.equal(byCode('missing-content').length, 1);
    assert.ok(doc.diagnostics.every((x) => x.severity === 'error' || x.severity === 'warning'));
    assert.deepEqual(
      one(doc).blocks.map((b) => b.role),
      ['user', 'robot', 'user', 'user'],
    );
  });

  it('reports a request without messages', () => {
    const doc = parsePrompt('{"model":"gpt-4o"}', { fileName: 'm.json' });
    assert.deepEqual(codes(doc), ['missing-messages']);
    assert.deepEqual([doc.diagnostics[0].line, doc.diagnostics[0].column], [1, 1]);
  });

  it('reports a JSON value that is not an object, and an empty file', () => {
    assert.deepEqual(codes(parsePrompt('[1,2]', { fileName: 'a.json' })), ['wrong-type']);
    assert.deepEqual(codes(parsePrompt('', { fileName: 'a.json' })), ['json-syntax']);
    assert.deepEqual(codes(parsePrompt('\n\n', { fileName: 'a.jsonl' })), ['empty-file']);
  });

  it('refuses a 50 MB file with a size diagnostic and no prompts', () => {
    const text = 'a'.repeat(50 * 1024 * 1024);
    const doc = parsePrompt(text, { fileName: 'huge.prompt.txt' });
    assert.deepEqual(doc.prompts, []);
    assert.equal(doc.diagnostics[0].message, 'too large to analyze (50 MB > 20 MB limit)');
  });

  it('refuses binary content (NUL bytes or many replacement characters)', () => {
    for (const text of ['PK\u0003\u0004\u0000\u0000abc', 'x'.repeat(100) + '\uFFFD'.repeat(50)]) {
      const doc = parsePrompt(text, { fileName: 'prompts/blob.bin' });
      assert.deepEqual([doc.prompts.length, codes(doc)], [0, ['binary-file']]);
    }
    // One stray replacement character in a long text is a decoding accident, not a binary file.
    assert.equal(parsePrompt('caf\uFFFD and more text', { fileName: 'a.prompt' }).prompts.length, 1);
  });

  it('strips a BOM before JSON and keeps ranges in the original text', () => {
    const text = '\uFEFF{"messages":[{"role":"user","content":"hi"}]}';
    const doc = parsePrompt(text, { fileName: 'bom.json' });
    assert.deepEqual(doc.diagnostics, []);
    const seg = one(doc).blocks[0].segments[1];
    assert.deepEqual([seg.text, text.slice(seg.range.start, seg.range.end)], ['hi', 'hi']);
  });

  it('survives deeply nested JSON without throwing', () => {
    const text = '{"messages":' + '['.repeat(100000) + ']'.repeat(100000) + '}';
    const doc = parsePrompt(text, { fileName: 'deep.json' });
    assert.ok(
      doc.diagnostics.length > 0 && doc.diagnostics.every((d) => d.line === 1),
      JSON.stringify(doc.diagnostics.slice(0, 2)),
    );
  });
});

describe('parsePrompt: format detection', () => {
  it('detects request bodies in extension-less files and JSONL by content', () => {
    assert.equal(one(parsePrompt('{"messages":[]}', { fileName: 'prompts/req' })).format, 'openai-chat');
    assert.equal(parsePrompt('{"messages":[]}\n{"messages":[]}\n', { fileName: 'prompts/log' }).prompts.length, 2);
    assert.equal(one(parsePrompt('{"messages":[]}', { fileName: 'x', languageId: 'json' })).format, 'openai-chat');
    assert.equal(one(parsePrompt('Hi', { fileName: 'x', languageId: 'markdown' })).format, 'markdown');
  });
});
