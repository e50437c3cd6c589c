import assert from 'node:assert/strict';
import { analyze, sites } from './helpers';

/** The finder: which calls of which SDK it reads, their provider and model, for Python and TypeScript/JavaScript. */
describe('code: call-site finder (Python)', () => {
  it('Anthropic: sync, async, with_raw_response and beta; system and messages', async () => {
    const src = `import anthropic
client = anthropic.Anthropic()
aclient = anthropic.AsyncAnthropic()
def a(q):
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=10, system="Be brief.", messages=[{"role": "user", "content": q}])
async def b(q):
    return await aclient.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[{"role": "user", "content": q}])
def c(q):
    return client.beta.messages.with_raw_response.create(model="claude-opus-4-1", max_tokens=10, system=[{"type": "text", "text": "S", "cache_control": {"type": "ephemeral"}}], messages=[])
def d(q):
    with client.messages.stream(model="claude-haiku-4-5", max_tokens=10, messages=[{"role": "user", "content": q}]) as s:
        pass
`;
    const r = await analyze(src);
    assert.deepEqual(
      r.calls.map((c) => [c.line, c.sdk, c.provider, c.model, c.cacheControl]),
      [
        [5, 'anthropic', 'anthropic', 'claude-sonnet-4-5', false],
        [7, 'anthropic', 'anthropic', 'claude-sonnet-4-5', false],
        [9, 'anthropic', 'anthropic', 'claude-opus-4-1', true],
        [11, 'anthropic', 'anthropic', 'claude-haiku-4-5', false],
      ],
    );
    assert.equal(r.calls[0].systemStatic, true);
    assert.equal(r.calls[1].systemStatic, null);
  });

  it('OpenAI: chat completions (create, parse), Responses API (instructions, input), async client', async () => {
    const src = `from openai import OpenAI, AsyncOpenAI
client = OpenAI()
ac = AsyncOpenAI()
def a(q):
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "developer", "content": "Be brief."}, {"role": "user", "content": q}])
def b(q):
    return client.beta.chat.completions.parse(model="gpt-4o-mini", messages=[{"role": "user", "content": q}], response_format=X)
async def c(q):
    return await ac.responses.create(model="gpt-4.1", instructions="You are terse.", input=q)
`;
    const r = await analyze(src);
    assert.deepEqual(
      r.calls.map((c) => [c.line, c.sdk, c.provider, c.model, c.systemStatic]),
      [
        [5, 'openai', 'openai', 'gpt-4o', true],
        [7, 'openai', 'openai', 'gpt-4o-mini', null],
        [9, 'openai', 'openai', 'gpt-4.1', true],
      ],
    );
  });

  it('Google GenAI (config object or dict, async aio) and the older GenerativeModel', async () => {
    const src = `from google import genai
from google.genai import types
import google.generativeai as oldgenai
client = genai.Client()
def a(q):
    return client.models.generate_content(model="gemini-2.5-flash", contents=q, config=types.GenerateContentConfig(system_instruction="Be brief."))
async def b(q):
    return await client.aio.models.generate_content_stream(model="gemini-2.5-pro", contents=[q], config={"system_instruction": "Short."})
model = oldgenai.GenerativeModel("gemini-1.5-flash", system_instruction="Old style.")
def c(q):
    return model.generate_content(q)
`;
    const r = await analyze(src);
    assert.deepEqual(
      r.calls.map((c) => [c.line, c.sdk, c.provider, c.model, c.systemStatic]),
      [
        [6, 'google-genai', 'google', 'gemini-2.5-flash', true],
        [8, 'google-genai', 'google', 'gemini-2.5-pro', true],
        [11, 'google-genai', 'google', 'gemini-1.5-flash', true],
      ],
    );
  });

  it('LiteLLM (module and imported function), instructor (from_openai, from_anthropic)', async () => {
    const src = `import litellm
from litellm import acompletion
import instructor
from openai import OpenAI
from anthropic import Anthropic
ic = instructor.from_openai(OpenAI())
ia = instructor.from_anthropic(Anthropic())
def a(q):
    return litellm.completion(model="anthropic/claude-sonnet-4-5", messages=[{"role": "user", "content": q}])
async def b(q):
    return await acompletion(model="gpt-4o", messages=[{"role": "user", "content": q}])
def c(q):
    return ic.chat.completions.create(model="gpt-4o", response_model=User, messages=[{"role": "user", "content": q}])
def d(q):
    return ia.messages.create(model="claude-sonnet-4-5", max_tokens=9, response_model=User, messages=[{"role": "user", "content": q}])
`;
    const r = await analyze(src);
    assert.deepEqual(
      r.calls.map((c) => [c.line, c.sdk, c.provider]),
      [
        [9, 'litellm', 'anthropic'],
        [11, 'litellm', 'openai'],
        [13, 'instructor', 'openai'],
        [15, 'instructor', 'anthropic'],
      ],
    );
  });

  it('pydantic-ai: Agent( line, system_prompt, instructions and @agent.system_prompt functions in order', async () => {
    const src = `from datetime import date
from pydantic_ai import Agent, RunContext
agent = Agent[None, str]("anthropic:claude-sonnet-4-5", system_prompt="Use the name.", instructions="Be brief.")

@agent.system_prompt
def add_date() -> str:
    return f"The date is {date.today()}."
`;
    const r = await analyze(src);
    assert.equal(r.calls.length, 1);
    const c = r.calls[0];
    assert.deepEqual(
      [c.line, c.sdk, c.provider, c.model],
      [3, 'pydantic-ai', 'anthropic', 'anthropic:claude-sonnet-4-5'],
    );
    assert.deepEqual(c.firstDynamic, { line: 7, what: 'date.today()', volatility: 'day' });
    assert.equal(c.staticPrefix.chars, 'Use the name.'.length + 'Be brief.'.length + 'The date is '.length);
  });

  it('LangChain: chain.invoke( of prompt | llm with its template filled, llm.invoke( with messages, an unused template', async () => {
    const src = `from langchain_anthropic import ChatAnthropic
from langchain_openai import ChatOpenAI
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.messages import SystemMessage, HumanMessage
llm = ChatAnthropic(model="claude-sonnet-4-5")
prompt = ChatPromptTemplate.from_messages([("system", "You help {name}."), ("human", "{question}")])
chain = prompt | llm
def a(q):
    return chain.invoke({"name": "Ada", "question": q})
def b(q):
    return ChatOpenAI(model="gpt-4o") and llm.invoke([SystemMessage(content="Static."), HumanMessage(content=q)])
other = ChatPromptTemplate.from_template("Summarize: {text}")
`;
    const r = await analyze(src);
    assert.deepEqual(
      r.calls.map((c) => [c.line, c.sdk, c.provider, c.systemStatic]),
      [
        [9, 'langchain', 'anthropic', true],
        [11, 'langchain', 'anthropic', true],
        [12, 'langchain', null, null],
      ],
    );
    assert.equal(r.calls[0].staticPrefix.chars, 'You help Ada.'.length);
  });

  it('finds nothing without an SDK import, and never a method of the same name on another object', async () => {
    assert.deepEqual(await sites(`class M:\n    def f(self):\n        return self.messages.create(x=1)\n`), []);
    assert.deepEqual(await sites(`import anthropic\nqs = Model.objects.create(name="x")\nitems.completions(1)\n`), []);
  });
});

describe('code: call-site finder (TypeScript / JavaScript)', () => {
  it('OpenAI, Anthropic (beta, stream), Google GenAI and the AI SDK (generateText, streamText, generateObject)', async () => {
    const src = `import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { generateText, streamText, generateObject } from 'ai';
import { openai } from '@ai-sdk/openai';
import { anthropic } from '@ai-sdk/anthropic';
const oai = new OpenAI();
const ant = new Anthropic();
const g = new GoogleGenAI({});
export async function f(q: string) {
  await oai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'S' }, { role: 'user', content: q }] });
  await oai.responses.create({ model: 'gpt-4.1', instructions: 'I', input: q });
  await ant.beta.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 5, system: 'S', messages: [] });
  ant.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: q }] });
  await g.models.generateContent({ model: 'gemini-2.5-flash', contents: q, config: { systemInstruction: 'S' } });
  await generateText({ model: openai('gpt-4o-mini'), system: 'S', prompt: q });
  streamText({ model: anthropic('claude-sonnet-4-5'), system: 'S', messages: [{ role: 'user', content: q, providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } }] });
  await generateObject({ model: 'openai/gpt-4o', schema: z, prompt: q });
}
`;
    const r = await analyze(src, 'app.ts');
    assert.deepEqual(
      r.calls.map((c) => [c.line, c.sdk, c.provider, c.model, c.systemStatic, c.cacheControl]),
      [
        [11, 'openai', 'openai', 'gpt-4o', true, false],
        [12, 'openai', 'openai', 'gpt-4.1', true, false],
        [13, 'anthropic', 'anthropic', 'claude-sonnet-4-5', true, false],
        [14, 'anthropic', 'anthropic', 'claude-haiku-4-5', null, false],
        [15, 'google-genai', 'google', 'gemini-2.5-flash', true, false],
        [16, 'ai-sdk', 'openai', 'gpt-4o-mini', true, false],
        [17, 'ai-sdk', 'anthropic', 'claude-sonnet-4-5', true, true],
        [18, 'ai-sdk', 'openai', 'openai/gpt-4o', null, false],
      ],
    );
  });

  it('LangChain.js: prompt.pipe(model).invoke with the template filled; JavaScript read with the TSX grammar', async () => {
    const src = `import { ChatPromptTemplate } from '@langchain/core/prompts';
import { ChatOpenAI } from '@langchain/openai';
const tpl = ChatPromptTemplate.fromMessages([['system', 'You help {user}.'], ['human', '{input}']]);
const chain = tpl.pipe(new ChatOpenAI({ model: 'gpt-4o-mini' }));
export const h = (input) => chain.invoke({ input, user: 'Ada' });
export const View = () => <div>{h('x')}</div>;
`;
    const r = await analyze(src, 'app.jsx');
    assert.deepEqual(
      r.calls.map((c) => [c.line, c.sdk, c.provider, c.model, c.systemStatic]),
      [[5, 'langchain', 'openai', 'gpt-4o-mini', true]],
    );
    assert.equal(r.calls[0].staticPrefix.chars, 'You help Ada.'.length);
  });
});
