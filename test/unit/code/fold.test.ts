import assert from 'node:assert/strict';
import { analyze, memoryWorkspace, RULES } from './helpers';

/** Prompt reconstruction: folding constants and templates, holes and how often they change. */
const py = (body: string) => `import anthropic
from datetime import datetime, date
import os, uuid, time
client = anthropic.Anthropic()
${body}`;

describe('code: folding and holes (Python)', () => {
  it('folds same-file constants, f-strings, concatenation, .format(), % and textwrap.dedent into exact static text', async () => {
    const r = await analyze(
      py(`import textwrap
NAME = "Acme"
HEAD = textwrap.dedent("""
    You are the agent of %s.
    Be kind.""") % NAME
TAIL = "Answer in {lang}.".format(lang="English")
def f(q):
    system = HEAD + f" Company: {NAME}. " + TAIL
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=9, system=system, messages=[{"role": "user", "content": q}])
`),
    );
    const c = r.calls[0];
    const text = '\nYou are the agent of Acme.\nBe kind. Company: Acme. Answer in English.';
    assert.equal(c.systemStatic, true);
    assert.equal(c.staticPrefix.chars, [...text].length);
    assert.equal(c.flag, false);
  });

  it('flags a per-request clock ahead of static text, with the line where it enters and what it costs per call', async () => {
    const r = await analyze(
      py(`RULES = """${RULES}"""
def f(q):
    now = datetime.now()
    system = f"Current time: {now}\\n" + RULES
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=9, system=system, messages=[{"role": "user", "content": q}])
`),
    );
    const c = r.calls[0];
    // RULES takes 400 lines: the f-string is on line 5 + 400 + 2.
    assert.deepEqual(c.firstDynamic, { line: 407, what: 'now', volatility: 'request' });
    assert.equal(c.flag, true);
    assert.equal(c.staticPrefix.chars, 'Current time: '.length);
    assert.ok(c.tokensAfter > 4000, `tokensAfter ${c.tokensAfter}`);
    assert.equal(c.wouldReachMinimum, true);
    assert.ok(c.lostPerCall !== null && c.lostPerCall > 0);
  });

  it('no false alarm: a static system prompt with dynamic user turns', async () => {
    const r = await analyze(
      py(`SYSTEM = """${RULES}"""
def f(question, history):
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=9, system=SYSTEM, messages=[*history, {"role": "user", "content": question}])
`),
    );
    const c = r.calls[0];
    assert.equal(c.systemStatic, true);
    assert.equal(c.flag, false);
    assert.equal(c.firstDynamic?.volatility, 'unknown');
    assert.ok((c.staticPrefix.tokens ?? 0) > 4000);
  });

  it('no false alarm: a module-level f-string is evaluated once per process', async () => {
    const r = await analyze(
      py(`SYSTEM = f"""Today is {datetime.now():%Y-%m-%d}. Host {os.uname()}.
${RULES}"""
def f(q):
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=9, system=SYSTEM, messages=[{"role": "user", "content": q}])
`),
    );
    const c = r.calls[0];
    assert.deepEqual(c.firstDynamic, { line: 5, what: 'datetime.now()', volatility: 'process' });
    assert.equal(c.flag, false);
    assert.equal(c.systemStatic, false);
    assert.ok(c.cachedPrefix.tokens > 4000, 'the prefix kept between requests runs past values fixed per process');
  });

  it('no false alarm: "{datetime.now()}" in a plain (non-f) string is text', async () => {
    const r = await analyze(
      py(`def f(q):
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=9, system="Today is {datetime.now()}. " + """${RULES}""", messages=[])
`),
    );
    assert.equal(r.calls[0].systemStatic, true);
    assert.equal(r.calls[0].flag, false);
    assert.equal(r.calls[0].firstDynamic, null);
  });

  it('precision: a date (date.today(), strftime of date fields, a format spec) changes per day; uuid4 per request', async () => {
    const r = await analyze(
      py(`R = """${RULES.slice(0, 200)}"""
def a(q):
    return client.messages.create(model="m", max_tokens=9, system=f"{date.today()} " + R, messages=[])
def b(q):
    return client.messages.create(model="m", max_tokens=9, system=f"{datetime.now().strftime('%A %d %B %Y')} " + R, messages=[])
def c(q):
    return client.messages.create(model="m", max_tokens=9, system=f"{datetime.now():%H:%M} " + R, messages=[])
def d(q):
    return client.messages.create(model="m", max_tokens=9, system=f"id {uuid.uuid4()} " + R, messages=[])
def e(q):
    return client.messages.create(model="m", max_tokens=9, system=f"{time.time()} " + R, messages=[])
`),
    );
    assert.deepEqual(
      r.calls.map((c) => c.firstDynamic?.volatility),
      ['day', 'day', 'request', 'request', 'request'],
    );
    assert.ok(r.calls.every((c) => c.flag));
  });

  it('says why the file does not decide: a parameter, an import, a file, a remote prompt store, the environment', async () => {
    const r = await analyze(
      py(`from .prompts import SYSTEM
from langfuse import Langfuse
lf = Langfuse()
def a(system_prompt, q):
    return client.messages.create(model="m", max_tokens=9, system=system_prompt, messages=[])
def b(q):
    return client.messages.create(model="m", max_tokens=9, system=SYSTEM, messages=[])
def c(q):
    return client.messages.create(model="m", max_tokens=9, system=open("prompt.txt").read(), messages=[])
def d(q):
    return client.messages.create(model="m", max_tokens=9, system=lf.get_prompt("support").compile(), messages=[])
def e(q):
    return client.messages.create(model="m", max_tokens=9, system=os.environ["SYSTEM_PROMPT"], messages=[])
`),
    );
    assert.deepEqual(
      r.calls.map((c) => [c.systemStatic, c.staticPrefix.unknown, c.firstDynamic?.volatility, c.flag]),
      [
        [null, 'parameter', 'unknown', false],
        [null, 'import', 'unknown', false],
        [null, 'file', 'unknown', false],
        [null, 'remote', 'unknown', false],
        [false, null, 'config', false],
      ],
    );
    assert.equal(r.calls[0].staticPrefix.chars, null);
  });

  it('follows an import into the workspace when one is given', async () => {
    const main = py(`from app.prompts import build
def f(q, user):
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=9, system=build(user), messages=[])
`);
    const prompts = `from datetime import datetime
HEAD = "You are helpful."
def build(name):
    return HEAD + f" The user is {name}. It is {datetime.now()}. Follow the handbook."
`;
    const alone = await analyze(main, 'app/main.py');
    assert.equal(alone.calls[0].firstDynamic?.volatility, 'unknown');
    const ws = memoryWorkspace('app/main.py', { 'app/prompts.py': prompts });
    const r = await analyze(main, 'app/main.py', { workspace: ws });
    const c = r.calls[0];
    assert.equal(c.staticPrefix.chars, 'You are helpful. The user is '.length);
    assert.deepEqual(c.firstDynamic, { line: 4, what: 'name', volatility: 'unknown', file: 'app/prompts.py' });
    assert.equal(c.breaks?.what, 'datetime.now()');
    assert.equal(c.flag, true);
  });

  it('a request handler: its request is per request, and so is what is computed from it', async () => {
    const r = await analyze(
      py(`from fastapi import FastAPI
app = FastAPI()
@app.post("/chat")
async def chat(body: ChatBody):
    docs = retrieve(body.question)
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=9, system=f"Context: {docs}\\n" + """${RULES.slice(0, 300)}""", messages=[{"role": "user", "content": body.question}])
`),
    );
    assert.deepEqual(r.calls[0].firstDynamic, { line: 10, what: 'docs', volatility: 'request' });
    assert.equal(r.calls[0].flag, true);
  });
});

describe('code: folding and holes (TypeScript)', () => {
  const ts = (body: string) => `import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';
const client = new Anthropic();
${body}`;

  it('template literals, concatenation, join, dedent and object constants fold; new Date() per request is flagged', async () => {
    const r = await analyze(
      ts(`import dedent from 'dedent';
const P = { head: dedent\`
  You are helpful.
  Be brief.\`, rules: ['a', 'b'].join('\\n') };
export async function f(q: string) {
  const system = \`\${P.head}\\nNow: \${new Date().toISOString()}\\n\${P.rules}\`;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 9, system, messages: [{ role: 'user', content: q }] });
}`),
      'app.ts',
    );
    const c = r.calls[0];
    assert.equal(c.staticPrefix.chars, 'You are helpful.\nBe brief.\nNow: '.length);
    assert.deepEqual(c.firstDynamic, { line: 9, what: 'new Date().toISOString()', volatility: 'request' });
    assert.equal(c.flag, true);
  });

  it('day precision (toDateString, toISOString().slice(0, 10)); module-level constants per process; env is config', async () => {
    const r = await analyze(
      ts(`const STARTED = new Date().toISOString();
const R = 'Follow the handbook in every answer you give to the user.';
export const a = (q: string) => client.messages.create({ model: 'm', max_tokens: 9, system: \`\${new Date().toDateString()} \${R}\`, messages: [] });
export const b = (q: string) => client.messages.create({ model: 'm', max_tokens: 9, system: \`\${new Date().toISOString().slice(0, 10)} \${R}\`, messages: [] });
export const c = (q: string) => client.messages.create({ model: 'm', max_tokens: 9, system: \`\${STARTED} \${R}\`, messages: [] });
export const d = (q: string) => client.messages.create({ model: 'm', max_tokens: 9, system: \`\${process.env.PERSONA} \${R}\`, messages: [] });
export const e = (q: string) => client.messages.create({ model: 'm', max_tokens: 9, system: readFileSync('p.txt', 'utf8'), messages: [] });`),
      'app.ts',
    );
    assert.deepEqual(
      r.calls.map((c) => [c.firstDynamic?.volatility, c.flag, c.staticPrefix.unknown]),
      [
        ['day', true, null],
        ['day', true, null],
        ['process', false, null],
        ['config', false, null],
        ['unknown', false, 'file'],
      ],
    );
  });

  it('a Next.js route handler: the request body is per request', async () => {
    const r = await analyze(
      ts(`export async function POST(req: Request) {
  const { messages, user } = await req.json();
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 9, system: \`User: \${user.name}. Follow the handbook carefully.\`, messages });
}`),
      'route.ts',
    );
    assert.deepEqual(r.calls[0].firstDynamic, { line: 6, what: 'user.name', volatility: 'request' });
    assert.equal(r.calls[0].flag, true);
  });
});
