import type { Node } from 'web-tree-sitter';
import { importStatements, type ModuleLookup, type SourceModule } from '../modules';
import { substituteFields } from '../pieces';
import { CLIENT_CLASSES, LANGCHAIN_CHAT_MODELS, providerOfModelName, sdkOfImport, splitModelPrefix } from '../sdks';
import { callSite } from '../callSite';
import type { CallSite, Piece, PromptPart, SdkId } from '../types';
import {
  calleeText,
  ctxAt,
  enclosingFunction,
  foldFunctionReturn,
  foldPy,
  keywordArg,
  positionalArgs,
  stringLiteralValue,
  valueHole,
  type PyCtx,
} from './fold';

/**
 * The LLM calls of a Python module. A regular expression finds the candidate method names in the text (one pass);
 * each is taken from the tree only when it is a call whose shape and imports say which SDK it is.
 */

const CANDIDATES =
  /\b(?:(messages|completions|responses)\s*\.\s*(?:with_raw_response\s*\.\s*|with_streaming_response\s*\.\s*)?(create|parse|stream|create_with_completion|create_partial|create_iterable)|(generate_content(?:_stream)?)|(a?completion|a?responses)|(Agent)(?:\s*\[[^\]\n]*\])?|(a?invoke|a?stream|a?batch)|(from_messages|from_template))\s*\(/g;

interface FileFacts {
  /** SDKs imported, by the names they bind: local name → { sdk, imported name, module }. */
  readonly names: Map<string, { sdk: SdkId; name: string; module: string }>;
  readonly sdks: Set<SdkId>;
}

function fileFacts(mod: SourceModule): FileFacts {
  const names = new Map<string, { sdk: SdkId; name: string; module: string }>();
  const sdks = new Set<SdkId>();
  const statements = importStatements(mod, /^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import\b/gm, [
    'import_statement',
    'import_from_statement',
  ]);
  for (const s of statements) {
    if (!s) continue;
    if (s.type === 'import_statement') {
      for (const n of s.namedChildren) {
        if (!n) continue;
        const dotted = n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text;
        const local = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : dotted?.split('.')[0];
        const sdk = dotted ? sdkOfImport(dotted) : undefined;
        if (sdk && local && dotted) {
          sdks.add(sdk);
          names.set(local, { sdk, name: dotted, module: dotted });
        }
      }
    } else {
      const module = s.childForFieldName('module_name')?.text ?? '';
      const sdk = sdkOfImport(module) ?? (module === 'google' ? 'google-genai' : undefined);
      if (!sdk) continue;
      sdks.add(sdk);
      for (const n of s.childrenForFieldName('name')) {
        if (!n) continue;
        const name = n.type === 'aliased_import' ? (n.childForFieldName('name')?.text ?? '') : n.text;
        const local = n.type === 'aliased_import' ? (n.childForFieldName('alias')?.text ?? name) : name;
        names.set(local, { sdk, name, module });
      }
    }
  }
  return { names, sdks };
}

export function findPythonCalls(mod: SourceModule, modules: ModuleLookup): CallSite[] {
  const facts = fileFacts(mod);
  if (!facts.sdks.size) return [];
  const root = mod.tree.rootNode;
  const out: CallSite[] = [];
  const seen = new Set<number>();
  const templatesUsed = new Set<number>();
  const templates: Node[] = [];
  CANDIDATES.lastIndex = 0;
  for (let m; (m = CANDIDATES.exec(mod.text));) {
    const name = m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? m[7];
    const nameAt = m.index + m[0].lastIndexOf(name, m[0].length - 1);
    const id = root.descendantForIndex(nameAt, nameAt + name.length);
    if (!id || id.type !== 'identifier') continue;
    const call = callOfName(id);
    if (!call || seen.has(call.startIndex)) continue;
    seen.add(call.startIndex);
    const ctx = ctxAt(call, mod, modules);
    let site: CallSite | undefined;
    if (m[2]) site = sdkMethodCall(call, id, m[1], m[2], ctx, facts);
    else if (m[3]) site = googleCall(call, id, ctx, facts);
    else if (m[4]) site = litellmCall(call, id, ctx, facts);
    else if (m[5]) site = pydanticAgent(call, id, ctx, facts);
    else if (m[6]) site = langchainInvoke(call, id, ctx, facts, templatesUsed);
    else if (m[7] && facts.sdks.has('langchain')) templates.push(call);
    if (site) out.push(site);
  }
  // Prompt templates no call of this file invokes are reported where they are made.
  for (const t of templates) {
    if (templatesUsed.has(t.startIndex)) continue;
    const ctx = ctxAt(t, mod, modules);
    const site = templateSite(t, ctx);
    if (site) out.push(site);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The call whose callee ends with this identifier (`x.y.create(` → the call), or undefined. */
function callOfName(id: Node): Node | undefined {
  let f: Node = id;
  if (f.parent?.type === 'attribute' && f.parent.childForFieldName('attribute')?.startIndex === id.startIndex)
    f = f.parent;
  if (f.parent?.type === 'subscript' && f.parent.childForFieldName('value')?.startIndex === f.startIndex) f = f.parent;
  const call = f.parent;
  if (
    call?.type === 'call' &&
    call.childForFieldName('function')?.startIndex === f.startIndex &&
    call.childForFieldName('function')?.endIndex === f.endIndex
  )
    return call;
  return undefined;
}

const lineSite = (
  call: Node,
  id: Node,
  sdk: SdkId,
  provider: string | null,
  model: string | null,
  system: PromptPart[] | null,
  first: PromptPart | null,
  cacheControl: boolean,
  extra: Partial<CallSite> = {},
): CallSite =>
  callSite(call, id, enclosingFunction(call), { sdk, provider, model, system, first, cacheControl }, extra);

/** The receiver's base name (`client` of `client.chat.completions.create`, `self.client` → `client`). */
function receiverBase(call: Node): Node | undefined {
  let f = call.childForFieldName('function');
  while (f && (f.type === 'attribute' || f.type === 'call')) {
    const next = f.type === 'attribute' ? f.childForFieldName('object') : f.childForFieldName('function');
    if (!next) break;
    if (next.type === 'identifier') return next;
    if (next.type === 'attribute' && next.childForFieldName('object')?.text === 'self') return next;
    f = next;
  }
  return undefined;
}

/** What made a client: `OpenAI(base_url=…)`, `instructor.from_openai(OpenAI())`, `genai.Client()`. */
interface ClientFacts {
  provider?: string;
  instructor?: boolean;
  otherBaseUrl?: boolean;
}

function clientFacts(base: Node | undefined, ctx: PyCtx, facts: FileFacts): ClientFacts {
  if (!base) return {};
  const value = assignedValue(base, ctx);
  if (!value || value.type !== 'call') return {};
  return factsOfClientCall(value, facts);
}

function factsOfClientCall(value: Node, facts: FileFacts): ClientFacts {
  const callee = calleeText(value.childForFieldName('function')!);
  const last = callee.split('.').pop() ?? '';
  if (
    /^(?:instructor\.)?(?:from_openai|from_anthropic|from_gemini|from_genai|from_litellm|from_provider|patch|apatch)$/.test(
      callee,
    ) ||
    (facts.names.get(callee.split('.')[0])?.sdk === 'instructor' && /^from_|patch$/.test(last))
  ) {
    const inner = positionalArgs(value)[0];
    let provider = /anthropic/.test(last)
      ? 'anthropic'
      : /openai/.test(last)
        ? 'openai'
        : /gemini|genai/.test(last)
          ? 'google'
          : undefined;
    if (last === 'from_provider' && inner) {
      const s = stringLiteralValue(inner);
      if (s) provider = splitModelPrefix(s).provider;
    }
    if (inner?.type === 'call') provider ??= factsOfClientCall(inner, facts).provider;
    return { provider, instructor: true };
  }
  const provider = CLIENT_CLASSES[last];
  const base = keywordArg(value, 'base_url') ?? keywordArg(value, 'api_base');
  return { provider, otherBaseUrl: !!base && !/api\.openai\.com|anthropic\.com/.test(base.text) };
}

/** The value assigned to a name (or `self.name`) that is in scope at the node: the last assignment, unevaluated. */
function assignedValue(name: Node, ctx: PyCtx): Node | undefined {
  const attr = name.type === 'attribute' ? name.childForFieldName('attribute')?.text : undefined;
  const target = attr ?? name.text;
  // Search the enclosing function, then the class (self.x = …), then the module.
  const scopes: Node[] = [];
  const fn = enclosingFunction(name);
  if (fn && !attr) scopes.push(fn);
  if (attr) for (let p = name.parent; p; p = p.parent) if (p.type === 'class_definition') scopes.push(p);
  scopes.push(ctx.mod.tree.rootNode);
  for (const scope of scopes) {
    let found: Node | undefined;
    for (const a of assignmentsTo(ctx.mod, scope, target, !!attr)) {
      if (attr || a.startIndex < name.startIndex || scope.type === 'module')
        found = a.childForFieldName('right') ?? undefined;
    }
    if (found) return found;
  }
  return undefined;
}

/**
 * The assignments `target = …` (or `self.target = …`) inside a scope, found from the text (a regular expression over
 * the scope's lines) and confirmed on the tree; listed once per module, scope and name.
 */
const assignmentLists = new WeakMap<SourceModule, Map<string, Node[]>>();
function assignmentsTo(mod: SourceModule, scope: Node, target: string, self: boolean): Node[] {
  let m = assignmentLists.get(mod);
  if (!m) assignmentLists.set(mod, (m = new Map()));
  const key = `${scope.type}:${scope.startIndex}:${self ? 'self.' : ''}${target}`;
  const have = m.get(key);
  if (have) return have;
  const list: Node[] = [];
  const re = new RegExp(`${self ? 'self\\s*\\.\\s*' : '(?<![\\w.])'}${target}\\s*(?::[^=\\n]*)?=(?!=)`, 'g');
  const root = mod.tree.rootNode;
  const text = mod.text.slice(scope.startIndex, scope.endIndex);
  for (let r; (r = re.exec(text));) {
    const at = scope.startIndex + r.index + r[0].indexOf(target);
    let n: Node | null = root.descendantForIndex(at, at + target.length);
    while (n && n.type !== 'assignment' && n.type !== 'module' && n.type !== 'block') n = n.parent;
    if (n?.type !== 'assignment') continue;
    const left = n.childForFieldName('left');
    const ok = self
      ? left?.type === 'attribute' && left.childForFieldName('attribute')?.text === target
      : left?.type === 'identifier' && left.text === target;
    // The module scope: only its own statements' assignments, not those inside its functions.
    if (ok && (scope.type !== 'module' || !enclosingFunction(n) || self)) list.push(n);
  }
  m.set(key, list);
  return list;
}

// ---------------------------------------------------------------------------------------------------------------
// OpenAI, Anthropic, instructor: <client>.chat.completions.create(…), .responses.create(…), .messages.create(…)

function sdkMethodCall(
  call: Node,
  id: Node,
  group: string,
  method: string,
  ctx: PyCtx,
  facts: FileFacts,
): CallSite | undefined {
  const callee = calleeText(call.childForFieldName('function')!).replace(
    /\.(?:with_raw_response|with_streaming_response|beta|aio)(?=\.)/g,
    '',
  );
  const client = clientFacts(receiverBase(call), ctx, facts);
  const instructor = client.instructor || (facts.sdks.has('instructor') && !!keywordArg(call, 'response_model'));
  const model = modelLiteral(keywordArg(call, 'model'), ctx);
  if (
    group === 'messages' &&
    /\.messages\.(?:create|stream|parse|create_with_completion|create_partial|create_iterable)$/.test(callee)
  ) {
    if (!facts.sdks.has('anthropic') && !instructor && !keywordArg(call, 'max_tokens')) return undefined;
    const provider = client.provider && client.provider !== 'anthropic' ? client.provider : 'anthropic';
    const sys = keywordArg(call, 'system');
    const { system: fromMessages, first: firstMessage, cache } = messagesPrompt(keywordArg(call, 'messages'), ctx);
    const first = firstMessage ?? splatPart(call, ctx);
    const system = sys ? [partOf(sys, ctx)] : fromMessages;
    const cacheControl = cache || !!keywordArg(call, 'cache_control') || (sys ? hasCacheControl(sys, ctx) : false);
    return lineSite(call, id, instructor ? 'instructor' : 'anthropic', provider, model, system, first, cacheControl);
  }
  if (group === 'completions' && /\.chat\.completions\.\w+$/.test(callee)) {
    if (!facts.sdks.has('openai') && !instructor && !facts.sdks.has('litellm')) return undefined;
    const { system, first: firstMessage, cache } = messagesPrompt(keywordArg(call, 'messages'), ctx);
    const first = firstMessage ?? splatPart(call, ctx);
    // Another base URL, or instructor over LiteLLM: the model's name says where the call goes.
    const byModel = model
      ? (splitModelPrefix(model).provider ?? providerOfModelName(splitModelPrefix(model).model) ?? null)
      : null;
    const provider =
      client.otherBaseUrl || (client.instructor && !client.provider) ? byModel : (client.provider ?? 'openai');
    return lineSite(call, id, instructor ? 'instructor' : 'openai', provider, model, system, first, cache);
  }
  if (group === 'responses' && /\.responses\.(?:create|parse|stream)$/.test(callee)) {
    if (!facts.sdks.has('openai')) return undefined;
    const instr = keywordArg(call, 'instructions');
    const input = keywordArg(call, 'input');
    let system: PromptPart[] | null = instr ? [partOf(instr, ctx)] : null;
    let first: PromptPart | null = null;
    let cache = false;
    if (input) {
      if (isListy(input, ctx)) {
        const r = messagesPrompt(input, ctx);
        system = system ? [...system, ...(r.system ?? [])] : r.system;
        first = r.first;
        cache = r.cache;
      } else first = partOf(input, ctx);
    }
    const provider = client.otherBaseUrl ? null : 'openai';
    return lineSite(call, id, 'openai', provider, model, system, first, cache);
  }
  // instructor's own client: client.create(…) is matched by "completions"-less chains only through from_provider.
  return undefined;
}

/** `create(**params)`: the arguments are a run-time dictionary; where the prompt stops being known. */
function splatPart(call: Node, ctx: PyCtx): PromptPart | null {
  const splat = call.childForFieldName('arguments')?.namedChildren.find((a) => a?.type === 'dictionary_splat');
  return splat ? { pieces: [valueHole(splat, ctx)], start: splat.startIndex, end: splat.endIndex, list: true } : null;
}

function isListy(n: Node, ctx: PyCtx): boolean {
  if (n.type === 'list') return true;
  if (n.type === 'identifier') return assignedValue(n, ctx)?.type === 'list';
  return false;
}

function modelLiteral(n: Node | undefined, ctx: PyCtx): string | null {
  if (!n) return null;
  const folded = foldPy(n, ctx);
  return folded.length > 0 && folded.every((p) => p.kind === 'text')
    ? folded.map((p) => (p.kind === 'text' ? p.text : '')).join('')
    : null;
}

/** A prompt part from an expression: its folded pieces and its range. */
function partOf(n: Node, ctx: PyCtx, breakpoint = false): PromptPart {
  // Anthropic system blocks: [{"type": "text", "text": …, "cache_control": …}, …]
  if (n.type === 'list') {
    const pieces: Piece[] = [];
    let bp = false;
    for (const el of n.namedChildren) {
      if (!el || el.type === 'comment') continue;
      const t = blockText(el, ctx);
      if (t) pieces.push(...t);
      else pieces.push(valueHole(el, ctx));
      bp ||= hasCacheControl(el, ctx);
    }
    return { pieces, start: n.startIndex, end: n.endIndex, ...(bp || breakpoint ? { breakpoint: true } : {}) };
  }
  if (n.type === 'identifier') {
    const v = assignedValue(n, ctx);
    if (v?.type === 'list') {
      const inner = partOf(v, ctxAt(v, ctx.mod, ctx.modules));
      return { ...inner, start: n.startIndex, end: n.endIndex };
    }
  }
  return { pieces: foldPy(n, ctx), start: n.startIndex, end: n.endIndex, ...(breakpoint ? { breakpoint: true } : {}) };
}

/** The text of a content block ({"type": "text", "text": …}, TextBlockParam(text=…)), or undefined. */
function blockText(el: Node, ctx: PyCtx): Piece[] | undefined {
  if (el.type === 'identifier') {
    const v = assignedValue(el, ctx);
    if (v && (v.type === 'dictionary' || v.type === 'call')) return blockText(v, ctxAt(v, ctx.mod, ctx.modules));
    return undefined;
  }
  if (el.type === 'dictionary') {
    const t = dictGet(el, 'text');
    if (t) return foldPy(t, ctx);
    return undefined;
  }
  if (el.type === 'call') {
    const t = keywordArg(el, 'text');
    if (t) return foldPy(t, ctx);
  }
  if (el.type === 'string' || el.type === 'concatenated_string') return foldPy(el, ctx);
  return undefined;
}

function dictGet(d: Node, key: string): Node | undefined {
  for (const pair of d.namedChildren) {
    if (pair?.type !== 'pair') continue;
    const k = pair.childForFieldName('key');
    if (k && stringLiteralValue(k) === key) return pair.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** Does an expression (a block, a list of blocks, a message) carry cache_control, as written or through one name? */
function hasCacheControl(n: Node, ctx: PyCtx): boolean {
  if (/cache_control/.test(n.text)) return true;
  if (n.type === 'list') return n.namedChildren.some((c) => !!c && c.type === 'identifier' && hasCacheControl(c, ctx));
  if (n.type === 'identifier') {
    const v = assignedValue(n, ctx);
    if (v && /cache_control/.test(v.text)) return true;
    // system["cache_control"] = {…} set later in the function.
    const fn = enclosingFunction(n);
    const scope = fn ?? ctx.mod.tree.rootNode;
    return new RegExp(`\\b${n.text}\\s*\\[\\s*["']cache_control["']\\s*\\]\\s*=`).test(scope.text);
  }
  return false;
}

/**
 * The system prompt and first message of a `messages` argument: a list literal (or a name for one) of dicts with role
 * and content, `dict(role=…, content=…)`, or LangChain message objects. A run-time list is one hole.
 */
function messagesPrompt(
  n: Node | undefined,
  ctx: PyCtx,
): { system: PromptPart[] | null; first: PromptPart | null; cache: boolean } {
  if (!n) return { system: null, first: null, cache: false };
  let list: Node | undefined = n.type === 'list' ? n : undefined;
  let lctx = ctx;
  if (!list && n.type === 'identifier') {
    const v = assignedValue(n, ctx);
    if (v?.type === 'list') {
      list = v;
      lctx = ctxAt(v, ctx.mod, ctx.modules);
    }
  }
  if (!list) {
    // The whole conversation is a run-time value: its first message is where the prompt stops being known.
    return {
      system: null,
      first: { pieces: [valueHole(n, ctx)], start: n.startIndex, end: n.endIndex },
      cache: /cache_control/.test(n.text),
    };
  }
  const system: PromptPart[] = [];
  let first: PromptPart | null = null;
  let cache = false;
  for (const el of list.namedChildren) {
    if (!el || el.type === 'comment') continue;
    cache ||= hasCacheControl(el, lctx);
    if (first) continue;
    if (el.type === 'list_splat') {
      first = { pieces: [valueHole(el, lctx)], start: el.startIndex, end: el.endIndex, list: true };
      continue;
    }
    const msg = messageOf(el, lctx);
    if (!msg) {
      first = { pieces: [valueHole(el, lctx)], start: el.startIndex, end: el.endIndex };
      continue;
    }
    if ((msg.role === 'system' || msg.role === 'developer') && !first) system.push(msg.part);
    else first = msg.part;
  }
  return { system: system.length ? system : null, first, cache };
}

/** One message: its role (when written as a literal) and content. */
function messageOf(el: Node, ctx: PyCtx): { role: string; part: PromptPart } | undefined {
  let role: string | undefined;
  let content: Node | undefined;
  if (el.type === 'dictionary') {
    const r = dictGet(el, 'role');
    role = r ? stringLiteralValue(r) : undefined;
    content = dictGet(el, 'content') ?? dictGet(el, 'parts');
  } else if (el.type === 'call') {
    const callee = calleeText(el.childForFieldName('function')!);
    const cls = callee.split('.').pop() ?? '';
    const roleByClass: Record<string, string> = {
      SystemMessage: 'system',
      HumanMessage: 'user',
      AIMessage: 'assistant',
      ChatMessage: '',
    };
    if (cls in roleByClass) {
      role = roleByClass[cls] || stringLiteralValue(keywordArg(el, 'role') ?? el) || undefined;
      content = keywordArg(el, 'content') ?? positionalArgs(el)[0];
    } else if (cls === 'dict') {
      const r = keywordArg(el, 'role');
      role = r ? stringLiteralValue(r) : undefined;
      content = keywordArg(el, 'content');
    } else if (/Content$|Message(?:Param)?$/.test(cls)) {
      const r = keywordArg(el, 'role');
      role = r ? stringLiteralValue(r) : 'user';
      content = keywordArg(el, 'content') ?? keywordArg(el, 'parts');
    }
  } else if (el.type === 'tuple') {
    // LangChain: ("system", "…")
    const [r, c] = el.namedChildren;
    role = r ? stringLiteralValue(r) : undefined;
    content = c ?? undefined;
  } else if (el.type === 'string' || el.type === 'concatenated_string') {
    role = 'user';
    content = el;
  }
  if (!role || !content) return undefined;
  const normalized = role === 'human' ? 'user' : role === 'ai' ? 'assistant' : role;
  const part =
    content.type === 'list'
      ? partOf(content, ctx)
      : { pieces: foldPy(content, ctx), start: content.startIndex, end: content.endIndex };
  return { role: normalized, part: { ...part, ...(hasCacheControl(el, ctx) ? { breakpoint: true } : {}) } };
}

// ---------------------------------------------------------------------------------------------------------------
// Google GenAI: client.models.generate_content(model=…, contents=…, config=…), legacy GenerativeModel(…).generate_content

function googleCall(call: Node, id: Node, ctx: PyCtx, facts: FileFacts): CallSite | undefined {
  if (!facts.sdks.has('google-genai')) return undefined;
  const callee = calleeText(call.childForFieldName('function')!);
  let model = modelLiteral(keywordArg(call, 'model'), ctx);
  let systemNode: Node | undefined;
  let cache = !!keywordArg(call, 'cached_content');
  const config = keywordArg(call, 'config') ?? keywordArg(call, 'generation_config');
  const cfg = config?.type === 'identifier' ? assignedValue(config, ctx) : config;
  if (cfg?.type === 'call') {
    systemNode = keywordArg(cfg, 'system_instruction');
    cache ||= !!keywordArg(cfg, 'cached_content');
  } else if (cfg?.type === 'dictionary') {
    systemNode = dictGet(cfg, 'system_instruction');
    cache ||= !!dictGet(cfg, 'cached_content');
  }
  if (!/\.models\.generate_content(?:_stream)?$/.test(callee)) {
    // Legacy: model = genai.GenerativeModel("gemini-…", system_instruction=…); model.generate_content(…)
    const base = receiverBase(call);
    const made = base ? assignedValue(base, ctx) : undefined;
    if (made?.type !== 'call' || !/GenerativeModel$/.test(calleeText(made.childForFieldName('function')!)))
      return undefined;
    const mctx = ctxAt(made, ctx.mod, ctx.modules);
    model = modelLiteral(keywordArg(made, 'model_name') ?? positionalArgs(made)[0], mctx);
    systemNode = keywordArg(made, 'system_instruction');
    if (systemNode) return googleSite(call, id, model, partOf(systemNode, mctx), contentsPart(call, ctx), cache);
  }
  const contents = contentsPart(call, ctx);
  const sctx = cfg && cfg !== config ? ctxAt(cfg, ctx.mod, ctx.modules) : ctx;
  return googleSite(call, id, model, systemNode ? partOf(systemNode, sctx) : null, contents, cache);
}

function googleSite(
  call: Node,
  id: Node,
  model: string | null,
  system: PromptPart | null,
  first: PromptPart | null,
  cache: boolean,
): CallSite {
  return lineSite(call, id, 'google-genai', 'google', model, system ? [system] : null, first, cache);
}

function contentsPart(call: Node, ctx: PyCtx): PromptPart | null {
  const c = keywordArg(call, 'contents') ?? positionalArgs(call)[0];
  if (!c) return null;
  if (c.type === 'list') {
    const first = c.namedChildren.find((x) => x && x.type !== 'comment');
    if (!first) return null;
    const msg = messageOf(first, ctx);
    return msg?.part ?? { pieces: foldPy(first, ctx), start: first.startIndex, end: first.endIndex };
  }
  return { pieces: foldPy(c, ctx), start: c.startIndex, end: c.endIndex };
}

// ---------------------------------------------------------------------------------------------------------------
// LiteLLM: litellm.completion(model=…, messages=…)

function litellmCall(call: Node, id: Node, ctx: PyCtx, facts: FileFacts): CallSite | undefined {
  const fn = call.childForFieldName('function')!;
  const callee = calleeText(fn);
  const base = callee.split('.')[0];
  const viaModule = facts.names.get(base)?.sdk === 'litellm' && callee.includes('.');
  const imported = fn.type === 'identifier' && facts.names.get(callee)?.sdk === 'litellm';
  if (!viaModule && !imported) return undefined;
  const model = modelLiteral(keywordArg(call, 'model') ?? positionalArgs(call)[0], ctx);
  const split = model ? splitModelPrefix(model) : undefined;
  const provider = split ? (split.provider ?? providerOfModelName(split.model) ?? null) : null;
  if (/responses$/.test(callee)) {
    const instr = keywordArg(call, 'instructions');
    const input = keywordArg(call, 'input');
    return lineSite(
      call,
      id,
      'litellm',
      provider,
      model,
      instr ? [partOf(instr, ctx)] : null,
      input ? partOf(input, ctx) : null,
      false,
    );
  }
  const { system, first, cache } = messagesPrompt(keywordArg(call, 'messages') ?? positionalArgs(call)[1], ctx);
  return lineSite(call, id, 'litellm', provider, model, system, first, cache);
}

// ---------------------------------------------------------------------------------------------------------------
// pydantic-ai: agent = Agent(model, system_prompt=…, instructions=…) and @agent.system_prompt / @agent.instructions

function pydanticAgent(call: Node, id: Node, ctx: PyCtx, facts: FileFacts): CallSite | undefined {
  const fn = call.childForFieldName('function')!;
  const callee = calleeText(fn);
  const imported = facts.names.get(callee.split('.')[0]);
  if (imported?.sdk !== 'pydantic-ai' || !/(?:^|\.)Agent$/.test(callee)) return undefined;
  const modelNode = keywordArg(call, 'model') ?? positionalArgs(call)[0];
  const model = modelLiteral(modelNode, ctx);
  const split = model ? splitModelPrefix(model) : undefined;
  const provider = split ? (split.provider ?? providerOfModelName(split.model) ?? null) : null;
  const parts: PromptPart[] = [];
  for (const kw of ['system_prompt', 'instructions']) {
    const v = keywordArg(call, kw);
    if (!v) continue;
    if (v.type === 'list' || v.type === 'tuple') {
      for (const el of v.namedChildren)
        if (el && el.type !== 'comment')
          parts.push({ pieces: foldPy(el, ctx), start: el.startIndex, end: el.endIndex });
    } else parts.push({ pieces: foldPy(v, ctx), start: v.startIndex, end: v.endIndex });
  }
  // The decorated functions of this agent, in the order they are defined (each run calls them).
  const agentName = call.parent?.type === 'assignment' ? call.parent.childForFieldName('left')?.text : undefined;
  if (agentName) {
    for (const d of ctx.mod.tree.rootNode.descendantsOfType('decorated_definition')) {
      if (!d) continue;
      const decorators = d.namedChildren.filter((c): c is Node => c?.type === 'decorator');
      if (
        !decorators.some((dec) =>
          new RegExp(`^@\\s*${agentName}\\s*\\.\\s*(?:system_prompt|instructions)\\b`).test(dec.text),
        )
      )
        continue;
      const def = d.childForFieldName('definition');
      if (!def) continue;
      const dctx: PyCtx = { ...ctxAt(def, ctx.mod, ctx.modules), fn: def, once: false };
      const pieces = foldFunctionReturn(def, null, dctx, dctx);
      // Its parameters (the run context) are run-time values; a function of none returns what it folds to.
      parts.push({ pieces: pieces ?? [valueHole(def, dctx)], start: def.startIndex, end: def.endIndex });
    }
  }
  return lineSite(call, id, 'pydantic-ai', provider, model, parts.length ? parts : null, null, false);
}

// ---------------------------------------------------------------------------------------------------------------
// LangChain: llm.invoke([...messages]) on a chat model, chain.invoke({...}) on prompt | llm, and prompt templates

const CHAT_MODEL = (name: string) => name in LANGCHAIN_CHAT_MODELS || name === 'init_chat_model';

function langchainInvoke(call: Node, id: Node, ctx: PyCtx, facts: FileFacts, used: Set<number>): CallSite | undefined {
  if (!facts.sdks.has('langchain')) return undefined;
  const base = receiverBase(call);
  if (!base) return undefined;
  const made = assignedValue(base, ctx);
  if (!made) return undefined;
  const mctx = ctxAt(made, ctx.mod, ctx.modules);
  const parts = pipeParts(made, mctx);
  let chatModel: Node | undefined;
  let template: Node | undefined;
  for (const p of parts) {
    if (p.type !== 'call') continue;
    const cls = calleeText(p.childForFieldName('function')!).split('.').pop() ?? '';
    if (CHAT_MODEL(cls)) chatModel ??= p;
    else if (/PromptTemplate/.test(calleeText(p.childForFieldName('function')!))) template ??= p;
  }
  if (!chatModel && !template) return undefined;
  const { provider, model } = chatModel
    ? chatModelFacts(chatModel, ctxAt(chatModel, ctx.mod, ctx.modules))
    : { provider: null, model: null };
  const [arg] = positionalArgs(call);
  if (template) {
    used.add(template.startIndex);
    const values = arg?.type === 'dictionary' ? arg : undefined;
    const t = templatePrompt(template, ctxAt(template, ctx.mod, ctx.modules), values, ctx);
    return lineSite(call, id, 'langchain', provider, model, t.system, t.first, false);
  }
  if (!arg) return undefined;
  if (
    arg.type === 'string' ||
    arg.type === 'concatenated_string' ||
    (arg.type === 'identifier' && !isListy(arg, ctx))
  ) {
    return lineSite(
      call,
      id,
      'langchain',
      provider,
      model,
      null,
      { pieces: foldPy(arg, ctx), start: arg.startIndex, end: arg.endIndex },
      false,
    );
  }
  const { system, first, cache } = messagesPrompt(arg, ctx);
  return lineSite(call, id, 'langchain', provider, model, system, first, cache);
}

/** `prompt | llm | parser` → [prompt, llm, parser], each resolved through one name. */
function pipeParts(n: Node, ctx: PyCtx, depth = 0): Node[] {
  if (depth > 6) return [];
  if (n.type === 'binary_operator' && n.childForFieldName('operator')?.type === '|') {
    const l = n.childForFieldName('left'),
      r = n.childForFieldName('right');
    return [...(l ? pipeParts(l, ctx, depth + 1) : []), ...(r ? pipeParts(r, ctx, depth + 1) : [])];
  }
  if (n.type === 'identifier') {
    const v = assignedValue(n, ctx);
    return v ? pipeParts(v, ctxAt(v, ctx.mod, ctx.modules), depth + 1) : [];
  }
  // llm.with_structured_output(…), llm.bind_tools(…): the model they wrap.
  if (n.type === 'call') {
    const f = n.childForFieldName('function');
    if (
      f?.type === 'attribute' &&
      /^(?:with_structured_output|bind_tools|bind|with_retry|with_config)$/.test(
        f.childForFieldName('attribute')?.text ?? '',
      )
    ) {
      const o = f.childForFieldName('object');
      if (o) return pipeParts(o, ctx, depth + 1);
    }
  }
  return [n];
}

function chatModelFacts(made: Node, ctx: PyCtx): { provider: string | null; model: string | null } {
  const cls = calleeText(made.childForFieldName('function')!).split('.').pop() ?? '';
  let model = modelLiteral(keywordArg(made, 'model') ?? keywordArg(made, 'model_name') ?? positionalArgs(made)[0], ctx);
  let provider: string | null = LANGCHAIN_CHAT_MODELS[cls] ?? null;
  if (cls === 'init_chat_model') {
    const p = keywordArg(made, 'model_provider');
    const named = p ? stringLiteralValue(p) : undefined;
    const split = model ? splitModelPrefix(model) : undefined;
    provider =
      (named ? splitModelPrefix(`${named}:x`).provider : undefined) ??
      split?.provider ??
      (split ? providerOfModelName(split.model) : undefined) ??
      null;
    if (split && split.provider) model = model!;
  }
  return { provider, model };
}

/** A prompt template's system part and first message, its `{fields}` filled from the invoke() dict where given. */
function templatePrompt(
  t: Node,
  ctx: PyCtx,
  values: Node | undefined,
  valuesCtx: PyCtx,
): { system: PromptPart[] | null; first: PromptPart | null } {
  const fill = (pieces: Piece[]): Piece[] =>
    substituteFields(
      pieces,
      (name) => {
        const v = values ? dictGet(values, name) : undefined;
        return v ? foldPy(v, valuesCtx) : undefined;
      },
      (name, p, from, to) => ({
        kind: 'hole',
        what: `{${name}}`,
        ...(p.end - p.start === p.text.length
          ? { start: p.start + from, end: p.start + to }
          : { start: p.start, end: p.end }),
        ...(p.file ? { file: p.file } : {}),
        volatility: 'unknown',
        unknown: 'parameter',
        why: 'a template variable, filled when the chain is invoked',
      }),
    );
  const method = calleeText(t.childForFieldName('function')!).split('.').pop();
  const args = positionalArgs(t);
  if (method === 'from_template' || (method === 'PromptTemplate' && keywordArg(t, 'template'))) {
    const src = keywordArg(t, 'template') ?? args[0];
    return {
      system: null,
      first: src ? { pieces: fill(foldPy(src, ctx)), start: src.startIndex, end: src.endIndex } : null,
    };
  }
  const list = keywordArg(t, 'messages') ?? args[0];
  const items = list?.type === 'list' ? list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
  const system: PromptPart[] = [];
  let first: PromptPart | null = null;
  for (const el of items) {
    if (first) break;
    const cls = el.type === 'call' ? calleeText(el.childForFieldName('function')!) : '';
    if (/MessagesPlaceholder$/.test(cls)) {
      first = { pieces: [valueHole(el, ctx)], start: el.startIndex, end: el.endIndex, list: true };
      break;
    }
    let role: string | undefined;
    let content: Node | undefined;
    if (/(\w+)MessagePromptTemplate\.from_template$/.test(cls)) {
      role = /System/.test(cls) ? 'system' : 'user';
      content = keywordArg(el, 'template') ?? positionalArgs(el)[0];
    } else {
      const m = messageOf(el, ctx);
      if (m) {
        if (m.role === 'system')
          system.push({ ...m.part, pieces: el.type === 'tuple' ? fill([...m.part.pieces]) : m.part.pieces });
        else first = { ...m.part, pieces: el.type === 'tuple' ? fill([...m.part.pieces]) : m.part.pieces };
        continue;
      }
    }
    if (!role || !content) {
      first = { pieces: [valueHole(el, ctx)], start: el.startIndex, end: el.endIndex };
      break;
    }
    const part = { pieces: fill(foldPy(content, ctx)), start: content.startIndex, end: content.endIndex };
    if (role === 'system') system.push(part);
    else first = part;
  }
  return { system: system.length ? system : null, first };
}

function templateSite(t: Node, ctx: PyCtx): CallSite | undefined {
  const fn = t.childForFieldName('function')!;
  const callee = calleeText(fn);
  if (!/(?:Chat)?PromptTemplate\.(?:from_messages|from_template)$/.test(callee)) return undefined;
  const id = fn.type === 'attribute' ? fn.childForFieldName('attribute')! : fn;
  const p = templatePrompt(t, ctx, undefined, ctx);
  return lineSite(t, id, 'langchain', null, null, p.system, p.first, false);
}
