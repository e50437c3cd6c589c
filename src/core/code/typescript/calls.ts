import type { Node } from 'web-tree-sitter';
import { importStatements, type ModuleLookup, type SourceModule } from '../modules';
import { substituteFields } from '../pieces';
import { CLIENT_CLASSES, LANGCHAIN_CHAT_MODELS, providerOfModelName, sdkOfImport, splitModelPrefix } from '../sdks';
import { callSite } from '../callSite';
import type { CallSite, Piece, PromptPart, SdkId } from '../types';
import {
  callArgs,
  calleeText,
  ctxAt,
  enclosingFunction,
  foldTs,
  objectProperty,
  stringValue,
  unwrap,
  valueHole,
  type TsCtx,
} from './fold';

/**
 * The LLM calls of a TypeScript or JavaScript module: the OpenAI, Anthropic and Google GenAI SDKs, the AI SDK
 * (generateText, streamText, generateObject, streamObject), LangChain.js chat models and prompt templates, instructor.
 * Candidates are found by one regular expression over the text and confirmed on the tree.
 */

const CANDIDATES =
  /\b(?:(messages|completions|responses)\s*\.\s*(create|parse|stream)|(generateContent(?:Stream)?)|(generateText|streamText|generateObject|streamObject)|(invoke|stream|batch)|(fromMessages|fromTemplate))\s*\(/g;

interface FileFacts {
  /** Imported local names → { sdk, source, imported name }. */
  readonly names: Map<string, { sdk: SdkId; source: string; name: string }>;
  readonly sdks: Set<SdkId>;
}

function fileFacts(mod: SourceModule): FileFacts {
  const names = new Map<string, { sdk: SdkId; source: string; name: string }>();
  const sdks = new Set<SdkId>();
  const statements = importStatements(mod, /^[ \t]*import\b/gm, ['import_statement']);
  for (const s of statements) {
    if (s.type === 'import_statement') {
      const source = stringValue(s.childForFieldName('source')) ?? '';
      const sdk = sdkOfImport(source);
      if (!sdk) continue;
      sdks.add(sdk);
      const clause = s.namedChildren.find((c) => c?.type === 'import_clause');
      for (const c of clause?.namedChildren ?? []) {
        if (!c) continue;
        if (c.type === 'identifier') names.set(c.text, { sdk, source, name: 'default' });
        else if (c.type === 'namespace_import') {
          const id = c.namedChildren.find((x) => x?.type === 'identifier');
          if (id) names.set(id.text, { sdk, source, name: '*' });
        } else if (c.type === 'named_imports')
          for (const spec of c.namedChildren) {
            if (spec?.type !== 'import_specifier') continue;
            const name = spec.childForFieldName('name')?.text ?? '';
            names.set(spec.childForFieldName('alias')?.text ?? name, { sdk, source, name });
          }
      }
    }
  }
  // require('openai') / await import('openai')
  for (const m of mod.text.matchAll(/\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const sdk = sdkOfImport(m[1]);
    if (sdk) sdks.add(sdk);
  }
  return { names, sdks };
}

export function findTypeScriptCalls(mod: SourceModule, modules: ModuleLookup): CallSite[] {
  const facts = fileFacts(mod);
  if (!facts.sdks.size) return [];
  const root = mod.tree.rootNode;
  const out: CallSite[] = [];
  const seen = new Set<number>();
  const templates: Node[] = [];
  const used = new Set<number>();
  CANDIDATES.lastIndex = 0;
  for (let m; (m = CANDIDATES.exec(mod.text));) {
    const name = m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6];
    const nameAt = m.index + m[0].lastIndexOf(name, m[0].length - 1);
    const id = root.descendantForIndex(nameAt, nameAt + name.length);
    if (!id || (id.type !== 'identifier' && id.type !== 'property_identifier')) continue;
    const call = callOfName(id);
    if (!call || seen.has(call.startIndex)) continue;
    seen.add(call.startIndex);
    const ctx = ctxAt(call, mod, modules);
    let site: CallSite | undefined;
    if (m[2]) site = sdkMethodCall(call, id, m[1], ctx, facts);
    else if (m[3]) site = googleCall(call, id, ctx, facts);
    else if (m[4]) site = aiSdkCall(call, id, ctx, facts);
    else if (m[5]) site = langchainInvoke(call, id, ctx, facts, used);
    else if (m[6] && facts.sdks.has('langchain')) templates.push(call);
    if (site) out.push(site);
  }
  for (const t of templates) {
    if (used.has(t.startIndex)) continue;
    const site = templateSite(t, ctxAt(t, mod, modules));
    if (site) out.push(site);
  }
  return out.sort((a, b) => a.start - b.start);
}

function callOfName(id: Node): Node | undefined {
  let f: Node = id;
  if (f.parent?.type === 'member_expression' && f.parent.childForFieldName('property')?.startIndex === id.startIndex)
    f = f.parent;
  const call = f.parent;
  const fn = call?.childForFieldName('function');
  if (call?.type === 'call_expression' && fn && fn.startIndex === f.startIndex && fn.endIndex === f.endIndex)
    return call;
  return undefined;
}

function site(
  call: Node,
  id: Node,
  sdk: SdkId,
  provider: string | null,
  model: string | null,
  system: PromptPart[] | null,
  first: PromptPart | null,
  cacheControl: boolean,
): CallSite {
  return callSite(call, id, enclosingFunction(call), { sdk, provider, model, system, first, cacheControl });
}

/** The single object argument of a call (`create({ … })`), through one name. */
function optionsObject(call: Node, ctx: TsCtx): { obj: Node; ctx: TsCtx } | undefined {
  const [a] = callArgs(call);
  if (!a) return undefined;
  const x = unwrap(a);
  if (x.type === 'object') return { obj: x, ctx };
  if (x.type === 'identifier') {
    const decl = declaredValue(x, ctx);
    if (decl && unwrap(decl.node).type === 'object') return { obj: unwrap(decl.node), ctx: decl.ctx };
  }
  return undefined;
}

function prop(o: { obj: Node; ctx: TsCtx } | undefined, key: string): { node: Node; ctx: TsCtx } | undefined {
  return o ? objectProperty(o.obj, key, o.ctx) : undefined;
}

/** The value a name is declared with (const x = …) in scope, without folding it. */
function declaredValue(id: Node, ctx: TsCtx): { node: Node; ctx: TsCtx } | undefined {
  // An object literal { x: <id> } lookup reuses objectProperty's name resolution.
  const name = id.text;
  for (let n: Node | null = id; n; n = n.parent) {
    if (n.type !== 'program' && n.type !== 'statement_block') continue;
    for (const s of n.namedChildren) {
      const decl = s?.type === 'export_statement' ? s.childForFieldName('declaration') : s;
      if (!decl || (decl.type !== 'lexical_declaration' && decl.type !== 'variable_declaration')) continue;
      for (const d of decl.namedChildren)
        if (d?.type === 'variable_declarator' && d.childForFieldName('name')?.text === name) {
          const v = d.childForFieldName('value');
          if (v) return { node: v, ctx: ctxAt(v, ctx.mod, ctx.modules) };
        }
    }
  }
  return undefined;
}

function modelText(n: { node: Node; ctx: TsCtx } | undefined): string | null {
  if (!n) return null;
  const f = foldTs(n.node, n.ctx);
  return f.length && f.every((p) => p.kind === 'text')
    ? f.map((p) => (p.kind === 'text' ? p.text : '')).join('')
    : null;
}

function partOf(n: { node: Node; ctx: TsCtx }): PromptPart {
  const x = unwrap(n.node);
  if (x.type === 'array') {
    // Content blocks: [{ type: 'text', text: …, cache_control: … }]
    const pieces: Piece[] = [];
    let bp = false;
    for (const el of x.namedChildren) {
      if (!el || el.type === 'comment') continue;
      const t = objectProperty(el, 'text', n.ctx);
      pieces.push(...(t ? foldTs(t.node, t.ctx) : [valueHole(el, n.ctx)]));
      bp ||= /cache_?[cC]ontrol/.test(el.text);
    }
    return { pieces, start: n.node.startIndex, end: n.node.endIndex, ...(bp ? { breakpoint: true } : {}) };
  }
  return { pieces: foldTs(n.node, n.ctx), start: n.node.startIndex, end: n.node.endIndex };
}

/** System parts and the first message of a messages array (literal or through one name); a run-time array is one hole. */
function messagesPrompt(m: { node: Node; ctx: TsCtx } | undefined): {
  system: PromptPart[] | null;
  first: PromptPart | null;
  cache: boolean;
} {
  if (!m) return { system: null, first: null, cache: false };
  let arr = unwrap(m.node);
  let actx = m.ctx;
  if (arr.type === 'identifier' || arr.type === 'shorthand_property_identifier') {
    const d = declaredValue(arr, actx);
    if (d && unwrap(d.node).type === 'array') {
      arr = unwrap(d.node);
      actx = d.ctx;
    }
  }
  if (arr.type !== 'array')
    return {
      system: null,
      first: { pieces: [valueHole(m.node, m.ctx)], start: m.node.startIndex, end: m.node.endIndex, list: true },
      cache: /cache_?[cC]ontrol/.test(m.node.text),
    };
  const system: PromptPart[] = [];
  let first: PromptPart | null = null;
  let cache = false;
  for (const el of arr.namedChildren) {
    if (!el || el.type === 'comment') continue;
    cache ||= /cache_?[cC]ontrol/.test(el.text);
    if (first) continue;
    const msg = messageOf(el, actx);
    if (!msg) {
      first = { pieces: [valueHole(el, actx)], start: el.startIndex, end: el.endIndex };
      continue;
    }
    if (msg.role === 'system' || msg.role === 'developer') system.push(msg.part);
    else first = msg.part;
  }
  return { system: system.length ? system : null, first, cache };
}

function messageOf(el: Node, ctx: TsCtx): { role: string; part: PromptPart } | undefined {
  const x = unwrap(el);
  let role: string | undefined;
  let content: { node: Node; ctx: TsCtx } | undefined;
  if (x.type === 'object') {
    role = stringValue(objectProperty(x, 'role', ctx)?.node);
    content = objectProperty(x, 'content', ctx) ?? objectProperty(x, 'parts', ctx);
  } else if (x.type === 'new_expression' || x.type === 'call_expression') {
    const cls = calleeText(
      x.type === 'new_expression' ? x.childForFieldName('constructor')! : x.childForFieldName('function')!,
    ).replace(/^new /, '');
    const roles: Record<string, string> = { SystemMessage: 'system', HumanMessage: 'user', AIMessage: 'assistant' };
    if (cls in roles) {
      role = roles[cls];
      const [a] = callArgs(x);
      if (a) content = unwrap(a).type === 'object' ? objectProperty(a, 'content', ctx) : { node: a, ctx };
    }
  } else if (x.type === 'array') {
    // LangChain: ["system", "…"]
    const [r, c] = x.namedChildren.filter((k): k is Node => !!k && k.type !== 'comment');
    role = stringValue(r);
    if (c) content = { node: c, ctx };
  }
  if (!role || !content) return undefined;
  const normalized = role === 'human' ? 'user' : role === 'ai' ? 'assistant' : role;
  const part = partOf(content);
  return { role: normalized, part: /cache_?[cC]ontrol/.test(x.text) ? { ...part, breakpoint: true } : part };
}

/** What made the receiver's client: `new OpenAI({ baseURL })`, `Instructor({ client })`. */
function clientFacts(
  call: Node,
  ctx: TsCtx,
  facts: FileFacts,
): { provider?: string; instructor?: boolean; otherBaseUrl?: boolean } {
  let f = call.childForFieldName('function');
  let base: Node | undefined;
  while (f && (f.type === 'member_expression' || f.type === 'call_expression')) {
    const next = f.type === 'member_expression' ? f.childForFieldName('object') : f.childForFieldName('function');
    if (!next) break;
    if (next.type === 'identifier') base = next;
    f = next;
  }
  if (!base) return {};
  const made = declaredValue(base, ctx);
  if (!made) return {};
  const v = unwrap(made.node);
  const ctor =
    v.type === 'new_expression'
      ? v.childForFieldName('constructor')
      : v.type === 'call_expression'
        ? v.childForFieldName('function')
        : null;
  if (!ctor) return {};
  const cls = calleeText(ctor).split('.').pop() ?? '';
  if (cls === 'Instructor' || facts.names.get(cls)?.sdk === 'instructor' || cls === 'createInstructor')
    return { instructor: true, provider: 'openai' };
  const opts = callArgs(v)[0];
  const baseUrl = opts ? objectProperty(opts, 'baseURL', made.ctx) : undefined;
  return {
    provider: CLIENT_CLASSES[cls],
    otherBaseUrl: !!baseUrl && !/api\.openai\.com|anthropic\.com/.test(baseUrl.node.text),
  };
}

function sdkMethodCall(call: Node, id: Node, group: string, ctx: TsCtx, facts: FileFacts): CallSite | undefined {
  const callee = calleeText(call.childForFieldName('function')!).replace(/\.(?:beta|withRawResponse)(?=\.)/g, '');
  const o = optionsObject(call, ctx);
  const client = clientFacts(call, ctx, facts);
  const model = modelText(prop(o, 'model'));
  const instructor = !!client.instructor || !!prop(o, 'response_model');
  if (group === 'messages' && /\.messages\.(?:create|stream|parse)$/.test(callee)) {
    if (!facts.sdks.has('anthropic') && !prop(o, 'max_tokens')) return undefined;
    const sys = prop(o, 'system');
    const r = messagesPrompt(prop(o, 'messages'));
    const system = sys ? [partOf(sys)] : r.system;
    const cache =
      r.cache ||
      !!prop(o, 'cache_control') ||
      (sys ? /cache_control/.test(sys.node.text) || declaredText(sys).includes('cache_control') : false);
    return site(
      call,
      id,
      instructor ? 'instructor' : 'anthropic',
      client.provider && client.provider !== 'anthropic' ? client.provider : 'anthropic',
      model,
      system,
      r.first,
      cache,
    );
  }
  if (group === 'completions' && /\.chat\.completions\.\w+$/.test(callee)) {
    if (!facts.sdks.has('openai') && !instructor) return undefined;
    const r = messagesPrompt(prop(o, 'messages'));
    const provider = client.otherBaseUrl
      ? model
        ? (providerOfModelName(splitModelPrefix(model).model) ?? null)
        : null
      : 'openai';
    return site(call, id, instructor ? 'instructor' : 'openai', provider, model, r.system, r.first, r.cache);
  }
  if (group === 'responses' && /\.responses\.(?:create|parse|stream)$/.test(callee)) {
    if (!facts.sdks.has('openai')) return undefined;
    const instr = prop(o, 'instructions');
    const input = prop(o, 'input');
    let system: PromptPart[] | null = instr ? [partOf(instr)] : null;
    let first: PromptPart | null = null;
    let cache = false;
    if (input) {
      const x = unwrap(input.node);
      if (x.type === 'array') {
        const r = messagesPrompt(input);
        system = system ? [...system, ...(r.system ?? [])] : r.system;
        first = r.first;
        cache = r.cache;
      } else first = partOf(input);
    }
    return site(call, id, 'openai', client.otherBaseUrl ? null : 'openai', model, system, first, cache);
  }
  return undefined;
}

function declaredText(n: { node: Node; ctx: TsCtx }): string {
  const x = unwrap(n.node);
  if (x.type === 'identifier' || x.type === 'shorthand_property_identifier')
    return declaredValue(x, n.ctx)?.node.text ?? '';
  return '';
}

function googleCall(call: Node, id: Node, ctx: TsCtx, facts: FileFacts): CallSite | undefined {
  if (!facts.sdks.has('google-genai')) return undefined;
  const callee = calleeText(call.childForFieldName('function')!);
  const o = optionsObject(call, ctx);
  if (/\.models\.generateContent(?:Stream)?$/.test(callee)) {
    const config = prop(o, 'config');
    const sys = config ? objectProperty(config.node, 'systemInstruction', config.ctx) : undefined;
    const contents = prop(o, 'contents');
    const cache = !!(config && objectProperty(config.node, 'cachedContent', config.ctx));
    return site(
      call,
      id,
      'google-genai',
      'google',
      modelText(prop(o, 'model')),
      sys ? [partOf(sys)] : null,
      contents ? firstContent(contents) : null,
      cache,
    );
  }
  // Legacy: const model = genAI.getGenerativeModel({ model, systemInstruction }); model.generateContent(…)
  const callee0 = call.childForFieldName('function');
  const base = callee0?.type === 'member_expression' ? callee0.childForFieldName('object') : undefined;
  const made = base?.type === 'identifier' ? declaredValue(base, ctx) : undefined;
  const f = made ? unwrap(made.node) : undefined;
  if (f?.type !== 'call_expression' || !/getGenerativeModel$/.test(calleeText(f.childForFieldName('function')!)))
    return undefined;
  const mo = { obj: unwrap(callArgs(f)[0] ?? f), ctx: made!.ctx };
  const sys = prop(mo, 'systemInstruction');
  const [arg] = callArgs(call);
  return site(
    call,
    id,
    'google-genai',
    'google',
    modelText(prop(mo, 'model')),
    sys ? [partOf(sys)] : null,
    arg ? firstContent({ node: arg, ctx }) : null,
    false,
  );
}

function firstContent(c: { node: Node; ctx: TsCtx }): PromptPart {
  const x = unwrap(c.node);
  if (x.type === 'array') {
    const el = x.namedChildren.find((k) => k && k.type !== 'comment');
    if (el) return messageOf(el, c.ctx)?.part ?? partOf({ node: el, ctx: c.ctx });
  }
  return partOf(c);
}

// ---------------------------------------------------------------------------------------------------------------
// The AI SDK: generateText({ model: openai('gpt-4o'), system, prompt | messages })

const AI_PROVIDERS: readonly [RegExp, string][] = [
  [/^@ai-sdk\/(?:openai|azure)$/, 'openai'],
  [/^@ai-sdk\/(?:anthropic|amazon-bedrock)$/, 'anthropic'],
  [/^@ai-sdk\/(?:google|google-vertex)$/, 'google'],
  [/^@ai-sdk\/deepseek$/, 'deepseek'],
  [/^@ai-sdk\/xai$/, 'xai'],
  [/^@ai-sdk\/mistral$/, 'mistral'],
];

function aiSdkCall(call: Node, id: Node, ctx: TsCtx, facts: FileFacts): CallSite | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const name =
    fn.type === 'identifier'
      ? fn.text
      : fn.type === 'member_expression'
        ? fn.childForFieldName('property')?.text
        : undefined;
  const imported =
    fn.type === 'identifier'
      ? facts.names.get(fn.text)
      : fn.type === 'member_expression'
        ? facts.names.get(fn.childForFieldName('object')?.text ?? '')
        : undefined;
  if (!name || imported?.sdk !== 'ai-sdk') return undefined;
  const o = optionsObject(call, ctx);
  const { provider, model } = aiModel(prop(o, 'model'), facts);
  // `system` (AI SDK 4/5) or `instructions` (later versions).
  const sys = prop(o, 'system') ?? prop(o, 'instructions');
  const promptArg = prop(o, 'prompt');
  const r = messagesPrompt(prop(o, 'messages'));
  const system = sys ? [partOf(sys), ...(r.system ?? [])] : r.system;
  const first = promptArg ? partOf(promptArg) : r.first;
  const cache = /cacheControl|cache_control/.test(call.text) || r.cache;
  return site(call, id, 'ai-sdk', provider, model, system, first, cache);
}

/** `openai('gpt-4o')`, `anthropic.messages('claude-…')`, `'openai/gpt-4o'` (gateway): provider and model. */
function aiModel(
  m: { node: Node; ctx: TsCtx } | undefined,
  facts: FileFacts,
): { provider: string | null; model: string | null } {
  if (!m) return { provider: null, model: null };
  let x = unwrap(m.node);
  let xctx = m.ctx;
  if (x.type === 'identifier' || x.type === 'shorthand_property_identifier') {
    const d = declaredValue(x, xctx);
    if (d) {
      x = unwrap(d.node);
      xctx = d.ctx;
    }
  }
  if (x.type === 'call_expression') {
    const f = x.childForFieldName('function')!;
    const base = f.type === 'member_expression' ? calleeText(f).split('.')[0] : f.text;
    const src = facts.names.get(base)?.source ?? '';
    let provider: string | null = null;
    for (const [re, p] of AI_PROVIDERS) if (re.test(src)) provider = p;
    const [arg] = callArgs(x);
    const model = arg ? modelText({ node: arg, ctx: xctx }) : null;
    return { provider: provider ?? (model ? (providerOfModelName(model) ?? null) : null), model };
  }
  const s = modelText({ node: x, ctx: xctx });
  if (s) {
    const split = splitModelPrefix(s);
    return { provider: split.provider ?? providerOfModelName(split.model) ?? null, model: s };
  }
  return { provider: null, model: null };
}

// ---------------------------------------------------------------------------------------------------------------
// LangChain.js

function langchainInvoke(call: Node, id: Node, ctx: TsCtx, facts: FileFacts, used: Set<number>): CallSite | undefined {
  if (!facts.sdks.has('langchain')) return undefined;
  const f = call.childForFieldName('function');
  const recv = f?.type === 'member_expression' ? f.childForFieldName('object') : undefined;
  if (!recv) return undefined;
  const parts = pipeParts(recv, ctx, 0);
  let chat: { node: Node; ctx: TsCtx } | undefined;
  let template: { node: Node; ctx: TsCtx } | undefined;
  for (const p of parts) {
    const x = unwrap(p.node);
    const ctor =
      x.type === 'new_expression'
        ? x.childForFieldName('constructor')
        : x.type === 'call_expression'
          ? x.childForFieldName('function')
          : null;
    const name = ctor ? calleeText(ctor) : '';
    const cls = name.split('.').pop() ?? '';
    if (cls in LANGCHAIN_CHAT_MODELS || cls === 'initChatModel') chat ??= { node: x, ctx: p.ctx };
    else if (/PromptTemplate\.(?:fromMessages|fromTemplate)$/.test(name)) template ??= { node: x, ctx: p.ctx };
  }
  if (!chat && !template) return undefined;
  const { provider, model } = chat ? chatModelFacts(chat) : { provider: null, model: null };
  const [arg] = callArgs(call);
  if (template) {
    used.add(template.node.startIndex);
    const t = templatePrompt(template, arg && unwrap(arg).type === 'object' ? { node: unwrap(arg), ctx } : undefined);
    return site(call, id, 'langchain', provider, model, t.system, t.first, false);
  }
  if (!arg) return undefined;
  const x = unwrap(arg);
  if (
    x.type !== 'array' &&
    !(x.type === 'identifier' && declaredValue(x, ctx) && unwrap(declaredValue(x, ctx)!.node).type === 'array')
  )
    return site(call, id, 'langchain', provider, model, null, partOf({ node: arg, ctx }), false);
  const r = messagesPrompt({ node: arg, ctx });
  return site(call, id, 'langchain', provider, model, r.system, r.first, r.cache);
}

function pipeParts(n: Node, ctx: TsCtx, depth: number): { node: Node; ctx: TsCtx }[] {
  if (depth > 6) return [];
  const x = unwrap(n);
  if (x.type === 'identifier') {
    const d = declaredValue(x, ctx);
    return d ? pipeParts(d.node, d.ctx, depth + 1) : [];
  }
  if (x.type === 'call_expression') {
    const f = x.childForFieldName('function');
    const method = f?.type === 'member_expression' ? f.childForFieldName('property')?.text : undefined;
    const obj = f?.type === 'member_expression' ? f.childForFieldName('object') : undefined;
    // prompt.pipe(model), RunnableSequence.from([prompt, model]), model.withStructuredOutput(…)
    if (method === 'pipe' && obj)
      return [...pipeParts(obj, ctx, depth + 1), ...callArgs(x).flatMap((a) => pipeParts(a, ctx, depth + 1))];
    if (method === 'from' && obj && /RunnableSequence$/.test(obj.text)) {
      const [arr] = callArgs(x);
      return arr && unwrap(arr).type === 'array'
        ? unwrap(arr).namedChildren.flatMap((c) => (c ? pipeParts(c, ctx, depth + 1) : []))
        : [];
    }
    if (method && /^(?:withStructuredOutput|bindTools|bind|withRetry|withConfig)$/.test(method) && obj)
      return pipeParts(obj, ctx, depth + 1);
  }
  return [{ node: x, ctx }];
}

function chatModelFacts(chat: { node: Node; ctx: TsCtx }): { provider: string | null; model: string | null } {
  const x = chat.node;
  const ctor = x.type === 'new_expression' ? x.childForFieldName('constructor')! : x.childForFieldName('function')!;
  const cls = calleeText(ctor).split('.').pop() ?? '';
  const [a] = callArgs(x);
  let model: string | null = null;
  if (a && unwrap(a).type === 'object')
    model = modelText(objectProperty(a, 'model', chat.ctx) ?? objectProperty(a, 'modelName', chat.ctx));
  else if (a) model = modelText({ node: a, ctx: chat.ctx });
  let provider = LANGCHAIN_CHAT_MODELS[cls] ?? null;
  if (cls === 'initChatModel' && model) {
    const split = splitModelPrefix(model);
    provider = split.provider ?? providerOfModelName(split.model) ?? null;
  }
  return { provider, model };
}

function templatePrompt(
  t: { node: Node; ctx: TsCtx },
  values: { node: Node; ctx: TsCtx } | undefined,
): { system: PromptPart[] | null; first: PromptPart | null } {
  const fill = (pieces: Piece[]): Piece[] =>
    substituteFields(
      pieces,
      (name) => {
        const v = values ? objectProperty(values.node, name, values.ctx) : undefined;
        return v ? foldTs(v.node, v.ctx) : undefined;
      },
      (name, p, from, to) => ({
        kind: 'hole',
        what: `{${name}}`,
        ...(p.end - p.start === p.text.length
          ? { start: p.start + from, end: p.start + to }
          : { start: p.start, end: p.end }),
        volatility: 'unknown',
        unknown: 'parameter',
        why: 'a template variable, filled when the chain is invoked',
      }),
    );
  const method = calleeText(t.node.childForFieldName('function')!).split('.').pop();
  const [arg] = callArgs(t.node);
  if (method === 'fromTemplate')
    return {
      system: null,
      first: arg ? { ...partOf({ node: arg, ctx: t.ctx }), pieces: fill(foldTs(arg, t.ctx)) } : null,
    };
  const list = arg ? unwrap(arg) : undefined;
  const system: PromptPart[] = [];
  let first: PromptPart | null = null;
  for (const el of list?.type === 'array' ? list.namedChildren : []) {
    if (!el || el.type === 'comment' || first) continue;
    const msg = messageOf(el, t.ctx);
    if (!msg) {
      first = { pieces: [valueHole(el, t.ctx)], start: el.startIndex, end: el.endIndex };
      continue;
    }
    const part = { ...msg.part, pieces: fill([...msg.part.pieces]) };
    if (msg.role === 'system') system.push(part);
    else first = part;
  }
  return { system: system.length ? system : null, first };
}

function templateSite(t: Node, ctx: TsCtx): CallSite | undefined {
  const fn = t.childForFieldName('function')!;
  if (!/PromptTemplate\.(?:fromMessages|fromTemplate)$/.test(calleeText(fn))) return undefined;
  const id = fn.type === 'member_expression' ? fn.childForFieldName('property')! : fn;
  const p = templatePrompt({ node: t, ctx }, undefined);
  return site(t, id, 'langchain', null, null, p.system, p.first, false);
}

export { enclosingFunction };
