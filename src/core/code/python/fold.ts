import type { Node } from 'web-tree-sitter';
import { sameNode, type FoldContext, type ModuleLookup, type SourceModule } from '../modules';
import {
  dedentPieces,
  substituteFields,
  percentSpecs,
  shortExpression,
  slicePiece,
  stripPieces,
  text,
} from '../pieces';
import type { Hole, Piece, TextPiece, Volatility } from '../types';
import {
  callVolatility,
  dateMethodPrecision,
  evaluatedOnce,
  formatShowsTime,
  REQUEST_PARAMETER,
  REQUEST_TYPE,
  ROUTE_METHOD,
  clockAt,
  holeOfRule,
  VOLATILITY_RANK,
  type HoleVolatility,
} from '../volatility';

/**
 * Python prompt folding: an expression that builds prompt text (literals, f-strings, concatenation, `%`,
 * `.format()`, `textwrap.dedent`, same-file constants, functions and class attributes, imports of workspace modules)
 * becomes text pieces and holes. Names resolve the way Python does for the common cases: the enclosing function's
 * assignments before the use, then its parameters, then the module's bindings (evaluated once, at import).
 */

const MAX_DEPTH = 24;

/** A fold's context (modules.ts): the same for both languages. */
export type PyCtx = FoldContext;

export function moduleCtx(mod: SourceModule, modules: ModuleLookup): PyCtx {
  return { mod, fn: null, once: true, depth: 0, modules };
}

/** The context of an expression at `node`: its enclosing function (or the module). */
export function ctxAt(node: Node, mod: SourceModule, modules: ModuleLookup): PyCtx {
  const fn = enclosingFunction(node);
  return { mod, fn, once: fn === null, depth: 0, modules };
}

/**
 * An HTTP request handler: decorated as a route (`@app.post("/x")`, `@router.get`, `@app.route`), or taking a
 * parameter typed as a request (FastAPI/Starlette `Request`, Django `HttpRequest`) or named `request`.
 */
export function isRequestHandler(fn: Node): boolean {
  if (fn.type !== 'function_definition') return false;
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    const type = p.childForFieldName('type')?.text.trim();
    if (type && REQUEST_TYPE.test(type)) return true;
    const name =
      p.type === 'identifier'
        ? p.text
        : (p.childForFieldName('name')?.text ?? p.namedChildren.find((c) => c?.type === 'identifier')?.text);
    if (name === 'request' || name === 'req') return true;
  }
  const deco = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  for (const d of deco?.namedChildren ?? []) {
    if (d?.type !== 'decorator') continue;
    const m = /^@\s*[\w.]+\.(\w+)\s*\(/.exec(d.text);
    if (m && ROUTE_METHOD.test(m[1])) return true;
  }
  return false;
}

const paramVolatility = (fn: Node): V =>
  isRequestHandler(fn)
    ? REQUEST_PARAMETER
    : { volatility: 'unknown', unknown: 'parameter', why: 'a parameter of the function' };

export function enclosingFunction(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition' || n.type === 'lambda') return n;
  return null;
}

const deeper = (ctx: PyCtx, patch: Partial<PyCtx> = {}): PyCtx => ({ ...ctx, depth: ctx.depth + 1, ...patch });

function srcOf(ctx: PyCtx, n: Node): string {
  return ctx.mod.text.slice(n.startIndex, n.endIndex);
}

function hole(ctx: PyCtx, at: Node, v: Omit<Hole, 'kind' | 'what' | 'start' | 'end' | 'file'>, what?: string): Hole {
  const h: Hole = {
    kind: 'hole',
    what: shortExpression(what ?? srcOf(ctx, at)),
    start: at.startIndex,
    end: at.endIndex,
    ...(ctx.mod.file ? { file: ctx.mod.file } : {}),
    ...v,
  };
  return ctx.once ? evaluatedOnce(h) : h;
}

const unknownHole = (ctx: PyCtx, at: Node, why = 'a run-time value', what?: string): Hole =>
  hole(ctx, at, { volatility: 'unknown', why }, what);

/** Folds a Python expression into prompt pieces. Never throws on odd code: what it cannot read is one unknown hole. */
export function foldPy(node: Node, ctx: PyCtx): Piece[] {
  if (ctx.depth > MAX_DEPTH) return [unknownHole(ctx, node, 'folded too deep')];
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? foldPy(inner, ctx) : [];
    }
    case 'string':
      return stringPieces(node, ctx);
    case 'concatenated_string':
      return node.namedChildren.filter((c) => c?.type === 'string').flatMap((c) => stringPieces(c!, ctx));
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.type;
      const left = node.childForFieldName('left'),
        right = node.childForFieldName('right');
      if (!left || !right) break;
      if (op === '+') return [...foldPy(left, deeper(ctx)), ...foldPy(right, deeper(ctx))];
      if (op === '%' && isStringy(left)) {
        const t = foldPy(left, deeper(ctx));
        if (t.some((p) => p.kind === 'text')) return percentFormat(t, right, ctx);
      }
      break;
    }
    case 'identifier':
      return resolveName(node.text, node, ctx);
    case 'call':
      return foldCall(node, ctx);
    case 'attribute':
      return foldAttribute(node, ctx);
    case 'subscript':
      return foldSubscript(node, ctx);
    case 'conditional_expression': {
      // `a if c else b`: the branch a constant condition picks; text when both branches fold to the same text;
      // otherwise chosen at run time.
      const [a, c, b] = node.namedChildren;
      const cond = c ? constantBoolean(c, ctx) : undefined;
      if (cond !== undefined && a && b) return foldPy(cond ? a : b, deeper(ctx));
      if (a && b) {
        const pa = foldPy(a, deeper(ctx)),
          pb = foldPy(b, deeper(ctx));
        if (pa.every((p) => p.kind === 'text') && pb.every((p) => p.kind === 'text') && joined(pa) === joined(pb))
          return pa;
      }
      break;
    }
  }
  return [valueHole(node, ctx)];
}

function constantBoolean(n: Node, ctx: PyCtx, depth = 0): boolean | undefined {
  if (depth > 4) return undefined;
  if (n.type === 'true') return true;
  if (n.type === 'false') return false;
  if (n.type === 'not_operator') {
    const a = n.childForFieldName('argument');
    const v = a ? constantBoolean(a, ctx, depth + 1) : undefined;
    return v === undefined ? undefined : !v;
  }
  if (n.type === 'identifier') {
    const b = lookup(n.text, n, ctx);
    if (b?.kind === 'value' && b.nodes.length === 1) {
      const v = valueOfAssignment(b.nodes[0]);
      return v ? constantBoolean(v, b.ctx, depth + 1) : undefined;
    }
  }
  return undefined;
}

const joined = (ps: readonly Piece[]) => ps.map((p) => (p.kind === 'text' ? p.text : '\0')).join('');
const isStringy = (n: Node) =>
  /^(?:string|concatenated_string|identifier|parenthesized_expression|call|attribute|subscript|binary_operator)$/.test(
    n.type,
  );

// ---------------------------------------------------------------------------------------------------------------
// String literals

const PY_ESCAPE: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

function decodeEscape(e: string): string {
  if (e.startsWith('\\\n') || e.startsWith('\\\r')) return '';
  const c = e[1];
  if (c === 'x' || c === 'u' || c === 'U') {
    const cp = parseInt(e.slice(2), 16);
    return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : e;
  }
  if (c === 'N') return '\uFFFD'; // a named character: one character whose name we do not look up
  if (/[0-7]/.test(c) && e.length > 2) return String.fromCharCode(parseInt(e.slice(1), 8));
  return PY_ESCAPE[c] ?? e;
}

/** The pieces of one string literal: content as exact text pieces, each escape a piece, each `{…}` of an f-string a hole. */
function stringPieces(node: Node, ctx: PyCtx): Piece[] {
  const startTok = node.child(0);
  const prefix = (startTok?.text ?? '').replace(/['"]+$/, '').toLowerCase();
  const isF = prefix.includes('f');
  const raw = prefix.includes('r');
  if (prefix.includes('b')) return [unknownHole(ctx, node, 'a bytes literal')];
  const out: Piece[] = [];
  const file = ctx.mod.file;
  const src = ctx.mod.text;
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_content') {
      // Escapes are children of the content node; the text between them maps one to one.
      let at = c.startIndex;
      const pushPlain = (from: number, to: number) => {
        if (to <= from) return;
        const s = src.slice(from, to);
        if (!isF) {
          out.push(text(s, from, to, file));
          return;
        }
        // `{{` and `}}` in an f-string are one brace each.
        let k = 0;
        for (let i = 0; i < s.length; i++) {
          if ((s[i] === '{' || s[i] === '}') && s[i + 1] === s[i]) {
            if (i > k) out.push(text(s.slice(k, i), from + k, from + i, file));
            out.push(text(s[i], from + i, from + i + 2, file));
            k = i + 2;
            i++;
          }
        }
        if (k < s.length) out.push(text(s.slice(k), from + k, to, file));
      };
      for (const e of c.namedChildren) {
        if (!e || e.type !== 'escape_sequence') continue;
        pushPlain(at, e.startIndex);
        out.push(text(raw ? e.text : decodeEscape(e.text), e.startIndex, e.endIndex, file));
        at = e.endIndex;
      }
      pushPlain(at, c.endIndex);
    } else if (c.type === 'escape_sequence') {
      out.push(text(raw ? c.text : decodeEscape(c.text), c.startIndex, c.endIndex, file));
    } else if (c.type === 'interpolation') {
      const expr = c.childForFieldName('expression');
      const spec = c.childForFieldName('format_specifier');
      if (!expr) continue;
      const value = foldPy(expr, deeper(ctx));
      // A value that folds to text is text; a run-time value is a hole at the placeholder `{…}`.
      // Folded text (with its own holes, where they are written) goes in as it is.
      if (!spec && value.some((p) => p.kind === 'text')) out.push(...value);
      else if (!spec && value.length === 0) continue;
      else {
        let h = value.length === 1 && value[0].kind === 'hole' ? value[0] : valueHole(expr, ctx);
        // `{datetime.now():%Y-%m-%d}`: the format specifier decides the precision of a clock.
        if (spec && h.clock) {
          const fmt = src.slice(spec.startIndex + 1, spec.endIndex);
          h = withPrecision(h, formatShowsTime(fmt) ? 'time' : 'day');
        }
        out.push(atPlaceholder(h, c, ctx.mod.file, shortExpression(srcOf(ctx, expr))));
      }
    }
  }
  return out;
}

/** The hole placed where its value enters the text: the `{…}` placeholder of this module. */
export function atPlaceholder(h: Hole, at: Node, file: string | undefined, what: string): Hole {
  const { file: _from, ...rest } = h;
  void _from;
  return { ...rest, start: at.startIndex, end: at.endIndex, what, ...(file ? { file } : {}) };
}

function withPrecision(h: Hole, p: 'time' | 'day'): Hole {
  if (!h.clock || h.volatility === 'process') return h;
  return p === 'day'
    ? { ...h, volatility: 'day', why: 'a date: changes once a day', clock: { ...h.clock, precision: 'day' } }
    : { ...h, volatility: 'request', why: 'the time: changes at each call', clock: { ...h.clock, precision: 'time' } };
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting

function fieldHole(
  ctx: PyCtx,
  p: TextPiece,
  from: number,
  to: number,
  name: string,
  why: string,
  v: Volatility = 'unknown',
): Hole {
  const range =
    p.end - p.start === p.text.length ? { start: p.start + from, end: p.start + to } : { start: p.start, end: p.end };
  return {
    kind: 'hole',
    what: name,
    ...range,
    ...(p.file ? { file: p.file } : {}),
    volatility: v,
    why,
    ...(v === 'unknown' ? { unknown: 'parameter' as const } : {}),
  };
}

function formatCall(template: Piece[], args: Node | null, ctx: PyCtx): Piece[] {
  const positional: Node[] = [];
  const named = new Map<string, Node>();
  let splat: Node | undefined;
  for (const a of args?.namedChildren ?? []) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const n = a.childForFieldName('name')?.text,
        v = a.childForFieldName('value');
      if (n && v) named.set(n, v);
    } else if (a.type === 'dictionary_splat' || a.type === 'list_splat') splat = a;
    else positional.push(a);
  }
  return substituteFields(
    template,
    (name) => {
      const n = /^\d+$/.test(name) ? positional[Number(name)] : named.get(name);
      if (!n) return undefined;
      const v = foldPy(n, deeper(ctx));
      // The value enters where the argument is written (.format(x=…)).
      return v.map((p) => (p.kind === 'hole' && p.start === n.startIndex ? p : p));
    },
    (name, p, from, to) =>
      splat ? valueHole(splat, ctx) : fieldHole(ctx, p, from, to, name, `.format() has no argument "${name}"`),
  );
}

function percentFormat(template: Piece[], right: Node, ctx: PyCtx): Piece[] {
  const items =
    right.type === 'tuple' || right.type === 'parenthesized_expression'
      ? right.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment')
      : [right];
  const dict = right.type === 'dictionary' ? right : undefined;
  const out: Piece[] = [];
  let index = 0;
  for (const p of template) {
    if (p.kind === 'hole') {
      out.push(p);
      continue;
    }
    const { specs, escapes } = percentSpecs(p.text);
    const cuts = [
      ...specs.map((s) => ({ ...s, esc: false })),
      ...escapes.map((e) => ({ ...e, esc: true, key: undefined })),
    ].sort((a, b) => a.from - b.from);
    let k = 0;
    for (const c of cuts) {
      if (c.from > k) out.push(slicePiece(p, k, c.from));
      if (c.esc) out.push({ ...slicePiece(p, c.from, c.to), text: '%' });
      else {
        let arg: Node | undefined;
        if (c.key !== undefined && dict) arg = dictValue(dict, c.key);
        else if (c.key === undefined) arg = items[index++];
        out.push(...(arg ? foldPy(arg, deeper(ctx)) : [valueHole(right, ctx)]));
      }
      k = c.to;
    }
    if (k < p.text.length) out.push(slicePiece(p, k, p.text.length));
  }
  return out;
}

function dictValue(dict: Node, key: string): Node | undefined {
  for (const pair of dict.namedChildren) {
    if (pair?.type !== 'pair') continue;
    const k = pair.childForFieldName('key');
    if (k?.type === 'string' && stringLiteralValue(k) === key) return pair.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** The value of a plain string literal (no f-string holes), or undefined. */
export function stringLiteralValue(n: Node): string | undefined {
  if (n.type !== 'string' && n.type !== 'concatenated_string') return undefined;
  if (/^[A-Za-z]*f/i.test(n.type === 'string' ? (n.child(0)?.text ?? '') : '')) {
    if (n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  }
  const strings = n.type === 'string' ? [n] : n.namedChildren.filter((c): c is Node => c?.type === 'string');
  let s = '';
  for (const str of strings) {
    for (const c of str.namedChildren) {
      if (!c) continue;
      if (c.type === 'interpolation') return undefined;
      if (c.type === 'string_content') {
        let t = c.text;
        for (const e of c.namedChildren) if (e?.type === 'escape_sequence') t = t.replace(e.text, decodeEscape(e.text));
        s += t;
      }
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Calls

/** The callee as written with argument lists reduced to `()`: `datetime.now().strftime`, `client.messages.create`. */
export function calleeText(n: Node): string {
  switch (n.type) {
    case 'identifier':
      return n.text;
    case 'attribute': {
      const o = n.childForFieldName('object'),
        a = n.childForFieldName('attribute');
      return `${o ? calleeText(o) : '?'}.${a?.text ?? '?'}`;
    }
    case 'call': {
      const f = n.childForFieldName('function');
      return `${f ? calleeText(f) : '?'}()`;
    }
    case 'parenthesized_expression': {
      const i = n.namedChildren[0];
      return i ? calleeText(i) : '?';
    }
    case 'subscript': {
      // Agent[Deps, Output](…): the generic class itself.
      const v = n.childForFieldName('value');
      return v ? calleeText(v) : '?';
    }
    default:
      return n.type === 'string' ? '""' : '?';
  }
}

function argList(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  return (args?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');
}

export function keywordArg(call: Node, name: string): Node | undefined {
  for (const a of argList(call))
    if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)
      return a.childForFieldName('value') ?? undefined;
  return undefined;
}

export function positionalArgs(call: Node): Node[] {
  return argList(call).filter(
    (a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat',
  );
}

function foldCall(node: Node, ctx: PyCtx): Piece[] {
  const fn = node.childForFieldName('function');
  if (!fn) return [valueHole(node, ctx)];
  const args = node.childForFieldName('arguments');
  if (fn.type === 'attribute') {
    const obj = fn.childForFieldName('object');
    const method = fn.childForFieldName('attribute')?.text;
    if (obj && method === 'format' && isStringy(obj)) {
      const t = foldPy(obj, deeper(ctx));
      if (t.some((p) => p.kind === 'text')) return formatCall(t, args, ctx);
    }
    if (
      obj &&
      (method === 'strip' || method === 'lstrip' || method === 'rstrip') &&
      positionalArgs(node).length === 0
    ) {
      const t = foldPy(obj, deeper(ctx));
      if (t.some((p) => p.kind === 'text'))
        return stripPieces(t, method === 'strip' ? 'both' : method === 'lstrip' ? 'start' : 'end');
    }
    if (obj && method === 'join' && (obj.type === 'string' || obj.type === 'identifier')) {
      const [list] = positionalArgs(node);
      const sep = foldPy(obj, deeper(ctx));
      const items =
        list && (list.type === 'list' || list.type === 'tuple')
          ? list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment')
          : undefined;
      if (items && sep.every((p) => p.kind === 'text'))
        return items.flatMap((it, i) => [...(i ? sep : []), ...foldPy(it, deeper(ctx))]);
    }
  }
  const callee = calleeText(fn);
  if (/^(?:textwrap\.)?dedent$|^(?:inspect\.)?cleandoc$/.test(callee)) {
    const [a] = positionalArgs(node);
    if (a) return dedentPieces(foldPy(a, deeper(ctx)), callee.endsWith('cleandoc'));
  }
  if (callee === 'str') {
    const [a] = positionalArgs(node);
    if (a) return foldPy(a, deeper(ctx));
  }
  // A function of this file (or a method of the same class): its return value, with the parameters bound.
  const def = functionDefinitionFor(fn, ctx);
  if (def) {
    const folded = foldFunctionReturn(def.def, node, ctx, def.ctx);
    if (folded) return folded;
  }
  return [valueHole(node, ctx)];
}

/** The definition a callee names in this module (a function, or a method through `self.`). */
function functionDefinitionFor(fn: Node, ctx: PyCtx): { def: Node; ctx: PyCtx } | undefined {
  if (fn.type === 'identifier') {
    const b = lookup(fn.text, fn, ctx);
    if (b?.kind === 'def') return { def: b.node, ctx: b.ctx };
    // A function another module of the workspace defines.
    if (b?.kind === 'import' && b.name && b.node.type === 'import_from_statement') {
      const mod = ctx.modules.resolve(ctx.mod, b.module);
      if (mod) {
        const mctx: PyCtx = { mod, fn: null, once: true, depth: ctx.depth + 1, modules: ctx.modules };
        const defs = moduleBindings(mod).get(b.name);
        const last = defs?.[defs.length - 1];
        if (last?.type === 'function_definition') return { def: last, ctx: mctx };
      }
    }
  }
  if (fn.type === 'attribute' && fn.childForFieldName('object')?.text === 'self') {
    const cls = enclosingClass(fn);
    const name = fn.childForFieldName('attribute')?.text;
    const m = cls && name ? classMember(cls, name) : undefined;
    if (m?.type === 'function_definition') return { def: m, ctx: { ...ctx, fn: m } };
  }
  return undefined;
}

/** Folds what a function returns (its last return statement), its parameters bound to the call's arguments. */
export function foldFunctionReturn(def: Node, call: Node | null, callerCtx: PyCtx, defCtx: PyCtx): Piece[] | undefined {
  if (callerCtx.depth > MAX_DEPTH) return undefined;
  const body = def.childForFieldName('body');
  if (!body) return undefined;
  const ret = lastReturn(body);
  if (!ret) return undefined;
  const bound = new Map<string, { node: Node | null; ctx: PyCtx }>();
  if (call) {
    const params = parameterNames(def).filter((p) => p.name !== 'self' && p.name !== 'cls');
    const pos = positionalArgs(call);
    params.forEach((p, i) => {
      const kw = keywordArg(call, p.name);
      const a = kw ?? (p.kind === 'plain' ? pos[i] : undefined);
      if (a) bound.set(p.name, { node: a, ctx: callerCtx });
      else if (p.default) bound.set(p.name, { node: p.default, ctx: { ...defCtx, fn: def } });
    });
  }
  const inner: PyCtx = {
    ...defCtx,
    fn: def,
    bound,
    depth: callerCtx.depth + 1,
    // A function runs when it is called: at import time only if the call itself is at module level.
    once: callerCtx.once,
  };
  return foldPy(ret, inner);
}

function lastReturn(body: Node): Node | undefined {
  let found: Node | undefined;
  const visit = (n: Node) => {
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda') continue;
      if (c.type === 'return_statement') {
        const v = c.namedChildren.find((x) => x && x.type !== 'comment');
        if (v) found = v;
      } else if (c.namedChildCount) visit(c);
    }
  };
  visit(body);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Names

interface Param {
  readonly name: string;
  readonly kind: 'plain' | 'star' | 'kwstar' | 'kwonly';
  readonly default?: Node;
}

export function parameterNames(def: Node): Param[] {
  const out: Param[] = [];
  const ps = def.childForFieldName('parameters');
  let kwonly = false;
  for (const p of ps?.namedChildren ?? []) {
    if (!p) continue;
    switch (p.type) {
      case 'identifier':
        out.push({ name: p.text, kind: kwonly ? 'kwonly' : 'plain' });
        break;
      case 'typed_parameter': {
        const id = p.namedChildren.find((c) => c?.type === 'identifier');
        const splat = p.namedChildren.find(
          (c) => c?.type === 'list_splat_pattern' || c?.type === 'dictionary_splat_pattern',
        );
        if (id) out.push({ name: id.text, kind: kwonly ? 'kwonly' : 'plain' });
        else if (splat)
          out.push({
            name: splat.text.replace(/^\*+/, ''),
            kind: splat.type === 'list_splat_pattern' ? 'star' : 'kwstar',
          });
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const n = p.childForFieldName('name');
        if (n)
          out.push({
            name: n.text,
            kind: kwonly ? 'kwonly' : 'plain',
            default: p.childForFieldName('value') ?? undefined,
          });
        break;
      }
      case 'list_splat_pattern':
        out.push({ name: p.text.replace(/^\*/, ''), kind: 'star' });
        kwonly = true;
        break;
      case 'dictionary_splat_pattern':
        out.push({ name: p.text.replace(/^\*\*/, ''), kind: 'kwstar' });
        break;
      case 'keyword_separator':
        kwonly = true;
        break;
    }
  }
  return out;
}

type Binding =
  | { kind: 'value'; nodes: Node[]; ctx: PyCtx } // assignments: the last plain one, then augmented ones
  | { kind: 'param'; node: Node; fn: Node; ctx: PyCtx }
  | { kind: 'bound'; node: Node | null; ctx: PyCtx }
  | { kind: 'def'; node: Node; ctx: PyCtx }
  | { kind: 'class'; node: Node; ctx: PyCtx }
  | { kind: 'import'; node: Node; module: string; name: string | null; ctx: PyCtx }
  | { kind: 'other'; node: Node; ctx: PyCtx; why: string };

/** Statements of a block that bind names, not descending into nested functions or classes. */
function bindingStatements(block: Node, visit: (n: Node) => void): void {
  for (const c of block.namedChildren) {
    if (!c) continue;
    switch (c.type) {
      case 'function_definition':
      case 'class_definition':
        visit(c);
        continue;
      case 'decorated_definition': {
        const d = c.childForFieldName('definition');
        if (d) visit(d);
        continue;
      }
      case 'expression_statement':
      case 'import_statement':
      case 'import_from_statement':
      case 'for_statement':
      case 'with_statement':
        visit(c);
        break;
    }
    // Compound statements: their blocks bind in the same scope.
    if (
      /^(?:if|elif|else|for|while|try|except|finally|with|match|case)_?(?:statement|clause|block)?$/.test(c.type) ||
      c.type === 'block'
    )
      bindingStatements(c, visit);
    else
      for (const k of c.namedChildren)
        if (k && (k.type === 'block' || /_clause$/.test(k.type))) bindingStatements(k, visit);
  }
}

/**
 * Module-level bindings of one name (assignments, defs, classes, imports), found from the name's occurrences in the
 * text rather than by walking every statement: a 5,000-line module asks for a few dozen names.
 */
const moduleBindings = (mod: SourceModule) => ({ get: (name: string) => moduleBindingsOf(mod, name) });

function moduleBindingsOf(mod: SourceModule, name: string): Node[] {
  mod.bindings ??= new Map();
  const cached = mod.bindings.get(name);
  if (cached) return cached;
  const found = new Map<number, Node>();
  const root = mod.tree.rootNode;
  const re = new RegExp(`(?<![\\w.])${name.replace(/[$]/g, '\\$&')}(?!\\w)`, 'g');
  for (let m; (m = re.exec(mod.text));) {
    const id = root.descendantForIndex(m.index, m.index + name.length);
    if (id?.type !== 'identifier') continue;
    let stmt = bindingStatementOf(id);
    // Assignments are collected through their statement (a = b = "x" binds both).
    while (stmt && (stmt.type === 'assignment' || stmt.type === 'augmented_assignment') && stmt.parent)
      stmt = stmt.parent;
    if (!stmt || found.has(stmt.startIndex)) continue;
    collectNames(stmt, (n, node) => {
      if (n === name) found.set(node.startIndex, node);
    });
  }
  const list = [...found.values()].sort((a, b) => a.startIndex - b.startIndex);
  mod.bindings.set(name, list);
  return list;
}

/** The module-level statement an identifier occurrence binds in, or undefined (a use, or inside a function). */
function bindingStatementOf(id: Node): Node | undefined {
  let stmt: Node | undefined;
  for (let n: Node | null = id.parent, child: Node = id; n; child = n, n = n.parent) {
    switch (n.type) {
      case 'assignment':
      case 'augmented_assignment':
        if (
          n.childForFieldName('left')?.startIndex === child.startIndex ||
          sameNode(n.childForFieldName('left'), child)
        )
          stmt = n;
        break;
      case 'import_statement':
      case 'import_from_statement':
      case 'for_statement':
      case 'with_statement':
        stmt = n;
        break;
      case 'function_definition':
      case 'class_definition':
        if (n.childForFieldName('name')?.startIndex === id.startIndex) stmt = n;
        // A binding inside a def or class body is not the module's.
        else return undefined;
        break;
      case 'lambda':
        return undefined;
      case 'module':
        return stmt?.type === 'for_statement' ? (inLeft(stmt, id) ? stmt : undefined) : stmt;
    }
  }
  return undefined;
}

const inLeft = (forStmt: Node, id: Node) => {
  const left = forStmt.childForFieldName('left');
  return !!left && id.startIndex >= left.startIndex && id.endIndex <= left.endIndex;
};

/** The names a statement binds, each with the statement (assignment, def, class or import) that binds it. */
function collectNames(s: Node, add: (name: string, n: Node) => void): void {
  switch (s.type) {
    case 'function_definition':
    case 'class_definition': {
      const n = s.childForFieldName('name');
      if (n) add(n.text, s);
      return;
    }
    case 'import_statement':
      for (const n of s.namedChildren) {
        if (!n) continue;
        if (n.type === 'aliased_import') add(n.childForFieldName('alias')?.text ?? '', s);
        else if (n.type === 'dotted_name') add(n.text.split('.')[0], s);
      }
      return;
    case 'import_from_statement':
      for (const n of s.childrenForFieldName('name')) {
        if (!n) continue;
        if (n.type === 'aliased_import') add(n.childForFieldName('alias')?.text ?? '', s);
        else add(n.text, s);
      }
      return;
    case 'for_statement': {
      const left = s.childForFieldName('left');
      if (left) for (const id of identifiersIn(left)) add(id, s);
      return;
    }
    case 'with_statement':
      for (const item of s.descendantsOfType('as_pattern')) {
        const alias = item?.childForFieldName('alias');
        if (alias) for (const id of identifiersIn(alias)) add(id, s);
      }
      return;
    case 'expression_statement': {
      const e = s.namedChildren[0];
      if (!e) return;
      if (e.type === 'assignment' || e.type === 'augmented_assignment') {
        // a = b = "x": every target of the chain.
        for (
          let a: Node | null = e;
          a && (a.type === 'assignment' || a.type === 'augmented_assignment');
          a = a.childForFieldName('right')
        ) {
          const left = a.childForFieldName('left');
          if (left?.type === 'identifier') add(left.text, a);
          else if (left && a.type === 'assignment') for (const id of identifiersIn(left)) add(id, a);
        }
      }
      return;
    }
  }
}

function identifiersIn(n: Node): string[] {
  if (n.type === 'identifier') return [n.text];
  return n.namedChildren.flatMap((c) => (c ? identifiersIn(c) : []));
}

/** Bindings of a function body, built once per function node. */
const functionScopes = new WeakMap<object, Map<string, Node[]>>();
function functionBindings(mod: SourceModule, fn: Node): Map<string, Node[]> {
  const key = fnKey(mod, fn);
  let map = functionScopes.get(key);
  if (map) return map;
  map = new Map();
  const add = (name: string, n: Node) => {
    const l = map!.get(name);
    if (l) l.push(n);
    else map!.set(name, [n]);
  };
  const body = fn.childForFieldName('body');
  if (body) bindingStatements(body, (s) => collectNames(s, add));
  // Walrus assignments anywhere in the body.
  for (const w of body?.descendantsOfType('named_expression') ?? []) {
    const n = w?.childForFieldName('name');
    if (n && w) add(n.text, w);
  }
  functionScopes.set(key, map);
  return map;
}

// One key object per (module tree, function start) so the WeakMap lives as long as the tree's module does.
const fnKeys = new WeakMap<SourceModule, Map<number, object>>();
function fnKey(mod: SourceModule, fn: Node): object {
  let m = fnKeys.get(mod);
  if (!m) fnKeys.set(mod, (m = new Map()));
  let k = m.get(fn.startIndex);
  if (!k) m.set(fn.startIndex, (k = {}));
  return k;
}

/** What `name` means at `at`: the enclosing function's binding before it, its parameter, an outer scope's, the module's. */
function lookup(name: string, at: Node, ctx: PyCtx): Binding | undefined {
  const b = ctx.bound?.get(name);
  if (b) return { kind: 'bound', node: b.node, ctx: b.ctx };
  for (let fn = ctx.fn; fn; fn = enclosingFunction(fn)) {
    const fctx: PyCtx = { ...ctx, fn, bound: sameNode(fn, ctx.fn) ? ctx.bound : undefined };
    const nodes = (fn.type === 'function_definition' ? functionBindings(ctx.mod, fn).get(name) : undefined)?.filter(
      (n) => n.startIndex < at.startIndex || !within(at, fn),
    );
    if (nodes?.length) return toBinding(name, nodes, fctx);
    const p = parameterNames(fn).find((x) => x.name === name);
    if (p) {
      const pnode = fn.childForFieldName('parameters') ?? fn;
      return { kind: 'param', node: pnode, fn, ctx: fctx };
    }
  }
  const all = moduleBindings(ctx.mod).get(name);
  if (!all?.length) return undefined;
  // At module level, the bindings before the use; inside a function, the module's final value.
  const atModule = ctx.fn === null && !ctx.mod.file;
  const nodes = atModule && within(at, ctx.mod.tree.rootNode) ? all.filter((n) => n.startIndex < at.startIndex) : all;
  return nodes.length ? toBinding(name, nodes, { ...ctx, fn: null, bound: undefined, once: true }) : undefined;
}

function within(n: Node, scope: Node): boolean {
  return n.startIndex >= scope.startIndex && n.endIndex <= scope.endIndex;
}

function toBinding(name: string, nodes: Node[], ctx: PyCtx): Binding {
  const last = nodes[nodes.length - 1];
  switch (last.type) {
    case 'function_definition':
      return { kind: 'def', node: last, ctx };
    case 'class_definition':
      return { kind: 'class', node: last, ctx };
    case 'import_statement':
    case 'import_from_statement': {
      const module = last.childForFieldName('module_name')?.text ?? '';
      let imported: string | null = null;
      if (last.type === 'import_from_statement')
        for (const n of last.childrenForFieldName('name')) {
          if (!n) continue;
          const alias = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text;
          if (alias === name)
            imported = n.type === 'aliased_import' ? (n.childForFieldName('name')?.text ?? null) : n.text;
        }
      return { kind: 'import', node: last, module, name: imported, ctx };
    }
    case 'for_statement':
      return { kind: 'other', node: last, ctx, why: 'a loop variable' };
    case 'with_statement':
      return { kind: 'other', node: last, ctx, why: 'bound by a with statement' };
    case 'named_expression':
      return { kind: 'value', nodes: [last], ctx };
  }
  // Assignments: from the last plain `=` on, with the `+=` after it.
  let from = nodes.length - 1;
  while (from > 0 && nodes[from].type === 'augmented_assignment') from--;
  return { kind: 'value', nodes: nodes.slice(from), ctx };
}

function valueOfAssignment(a: Node): Node | null {
  if (a.type === 'named_expression') return a.childForFieldName('value');
  // a = b = value: the innermost right-hand side.
  let r = a.childForFieldName('right');
  while (r && r.type === 'assignment') r = r.childForFieldName('right');
  return r;
}

function resolveName(name: string, at: Node, ctx: PyCtx): Piece[] {
  const b = lookup(name, at, ctx);
  if (!b) return [unknownHole(ctx, at, 'not defined in this file')];
  switch (b.kind) {
    case 'bound':
      return b.node ? foldPy(b.node, deeper(b.ctx)) : [unknownHole(ctx, at)];
    case 'param':
      return [hole(ctx, at, paramVolatility(b.fn))];
    case 'value': {
      const out: Piece[] = [];
      for (const a of b.nodes) {
        const left = a.childForFieldName('left');
        if (a.type === 'assignment' && left?.type !== 'identifier') return [valueHole(at, ctx)];
        const v = valueOfAssignment(a);
        if (!v) return [unknownHole(ctx, at)];
        if (a.type === 'augmented_assignment' && a.childForFieldName('operator')?.type !== '+=')
          return [valueHole(at, ctx)];
        out.push(...foldPy(v, deeper(b.ctx)));
      }
      return out;
    }
    case 'import':
      return importedValue(b, at, ctx, name);
    case 'def':
    case 'class':
      return [unknownHole(ctx, at, `a ${b.kind === 'def' ? 'function' : 'class'}, not text`)];
    case 'other':
      return [unknownHole(ctx, at, b.why)];
  }
}

function importedValue(b: Extract<Binding, { kind: 'import' }>, at: Node, ctx: PyCtx, name: string): Piece[] {
  const spec = b.node.type === 'import_from_statement' ? b.module : name;
  const mod = ctx.modules.resolve(ctx.mod, spec);
  if (mod && b.name) {
    const mctx: PyCtx = { mod, fn: null, once: true, depth: ctx.depth + 1, modules: ctx.modules };
    const found = lookupModuleValue(b.name, mctx);
    if (found) return found;
  }
  return [
    hole(ctx, at, { volatility: 'unknown', unknown: 'import', why: `imported from ${spec || 'another module'}` }),
  ];
}

function lookupModuleValue(name: string, mctx: PyCtx): Piece[] | undefined {
  const nodes = moduleBindings(mctx.mod).get(name);
  if (!nodes?.length) return undefined;
  const b = toBinding(name, nodes, mctx);
  if (b.kind === 'value' || b.kind === 'import') return resolveName(name, mctx.mod.tree.rootNode, mctx);
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Attributes and subscripts

function enclosingClass(n: Node): Node | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'class_definition') return p;
  return null;
}

/** A class body's member: a method (function_definition) or an attribute's assignment value. */
function classMember(cls: Node, name: string): Node | undefined {
  const body = cls.childForFieldName('body');
  let found: Node | undefined;
  for (const s of body?.namedChildren ?? []) {
    if (!s) continue;
    const def = s.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === name) found = def;
    if (s.type === 'expression_statement') {
      const a = s.namedChildren[0];
      if (a?.type === 'assignment' && a.childForFieldName('left')?.text === name) found = a;
    }
  }
  return found;
}

function foldAttribute(node: Node, ctx: PyCtx): Piece[] {
  const obj = node.childForFieldName('object');
  const attr = node.childForFieldName('attribute')?.text;
  if (obj && attr) {
    // self.x: the value assigned to self.x in the class (its __init__ first), folded in that method.
    if (obj.text === 'self') {
      const cls = enclosingClass(node);
      if (cls) {
        const assigned = selfAssignment(cls, attr);
        if (assigned)
          return foldPy(assigned.value, {
            ...ctx,
            fn: assigned.method,
            bound: undefined,
            depth: ctx.depth + 1,
            once: false,
          });
        const member = classMember(cls, attr);
        if (member?.type === 'assignment') {
          const v = member.childForFieldName('right');
          if (v) return foldPy(v, { ...ctx, fn: null, bound: undefined, depth: ctx.depth + 1, once: true });
        }
      }
    }
    // Class.ATTR of a class in this module.
    if (obj.type === 'identifier') {
      const b = lookup(obj.text, obj, ctx);
      if (b?.kind === 'class') {
        const m = classMember(b.node, attr);
        const v = m?.type === 'assignment' ? m.childForFieldName('right') : null;
        if (v) return foldPy(v, { ...b.ctx, depth: ctx.depth + 1, once: true });
      }
      if (b?.kind === 'import' && b.node.type === 'import_statement') {
        // import prompts; prompts.SYSTEM
        const mod = ctx.modules.resolve(ctx.mod, b.module || obj.text);
        if (mod) {
          const found = lookupModuleValue(attr, {
            mod,
            fn: null,
            once: true,
            depth: ctx.depth + 1,
            modules: ctx.modules,
          });
          if (found) return found;
        }
      }
    }
  }
  return [valueHole(node, ctx)];
}

/** `self.<attr> = value` in a class's methods (__init__ preferred). */
function selfAssignment(cls: Node, attr: string): { value: Node; method: Node } | undefined {
  let found: { value: Node; method: Node } | undefined;
  for (const a of cls.descendantsOfType('assignment')) {
    if (!a) continue;
    const left = a.childForFieldName('left');
    if (
      left?.type !== 'attribute' ||
      left.childForFieldName('object')?.text !== 'self' ||
      left.childForFieldName('attribute')?.text !== attr
    )
      continue;
    const method = enclosingFunction(a);
    const value = a.childForFieldName('right');
    if (!method || !value) continue;
    const isInit = method.childForFieldName('name')?.text === '__init__';
    if (!found || isInit) found = { value, method };
    if (isInit) break;
  }
  return found;
}

function foldSubscript(node: Node, ctx: PyCtx): Piece[] {
  const value = node.childForFieldName('value');
  const key = node.childForFieldName('subscript');
  if (value?.type === 'identifier' && key?.type === 'string') {
    const k = stringLiteralValue(key);
    const b = lookup(value.text, value, ctx);
    if (k !== undefined && b?.kind === 'value' && b.nodes.length === 1) {
      const v = valueOfAssignment(b.nodes[0]);
      if (v?.type === 'dictionary') {
        const item = dictValue(v, k);
        if (item) return foldPy(item, deeper(b.ctx));
      }
    }
  }
  return [valueHole(node, ctx)];
}

// ---------------------------------------------------------------------------------------------------------------
// Volatility of a value that is not text

/** A run-time value as a hole: how often it changes, from what the expression reads. */
export function valueHole(node: Node, ctx: PyCtx): Hole {
  const v = volatilityOf(node, ctx, 0);
  return hole(ctx, node, v);
}

type V = HoleVolatility;

function volatilityOf(node: Node, ctx: PyCtx, depth: number): V {
  if (depth > 32) return { volatility: 'unknown', why: 'a run-time value' };
  switch (node.type) {
    case 'parenthesized_expression':
    case 'await': {
      const i = node.namedChildren[0];
      return i ? volatilityOf(i, ctx, depth + 1) : { volatility: 'unknown', why: 'a run-time value' };
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      if (!fn) break;
      // A method of a date/time value: strftime(format), date(), isoformat()…
      if (fn.type === 'attribute') {
        const obj = fn.childForFieldName('object');
        const m = fn.childForFieldName('attribute')?.text ?? '';
        if (obj) {
          const base = volatilityOf(obj, ctx, depth + 1);
          if (base.clock) {
            if (m === 'strftime') {
              const [f] = positionalArgs(node);
              const fmt = f ? stringLiteralValue(f) : undefined;
              if (fmt !== undefined) return clockAt(formatShowsTime(fmt) ? 'time' : 'day', node);
            }
            const p = dateMethodPrecision(m);
            if (p) return clockAt(p === 'day' || base.clock.precision === 'day' ? 'day' : 'time', node);
            return base;
          }
          if (base.volatility === 'config' || base.volatility === 'session') return base;
          // get_prompt("x").compile(), open(f).read(): a method of what a file or prompt store gave.
          if (base.unknown === 'file' || base.unknown === 'remote') return base;
        }
      }
      const rule = callVolatility(calleeText(fn));
      if (rule) return holeOfRule(rule, node);
      // A function of this file that returns a clock value.
      const def = functionDefinitionFor(fn, ctx);
      if (def) {
        const ret = lastReturn(def.def.childForFieldName('body') ?? def.def);
        if (ret) {
          const v = volatilityOf(ret, { ...def.ctx, fn: def.def, once: false }, depth + 1);
          if (v.volatility !== 'unknown') return v;
        }
      }
      // A function of constants only (format_as_xml(EXAMPLES), json.dumps(SCHEMA)): the same text at every call.
      const args = argList(node).map((a) => (a.type === 'keyword_argument' ? a.childForFieldName('value') : a));
      if (args.length && args.every((a) => isConstant(a, ctx, depth)))
        return { volatility: 'process', why: 'computed from constants: the same at each call' };
      // A function of a value that changes (retrieve(query) of a request's query) changes with it.
      const recv = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
      const changing = mostVolatileChanging([...args, recv], ctx, depth);
      if (changing)
        return { volatility: changing.volatility, why: `computed from ${changing.why.replace(/:.*$/, '')}` };
      break;
    }
    case 'attribute': {
      const text = calleeText(node);
      if (/^os\.environ$/.test(text)) return { volatility: 'config', why: 'read from the environment' };
      if (/(?:^|\.)session_state(?:\.|$)|^request\.session$/.test(text))
        return { volatility: 'session', why: 'kept per user session' };
      const obj = node.childForFieldName('object');
      if (obj?.type === 'identifier' && /^(?:settings|config|cfg|conf|CONFIG|SETTINGS)$/.test(obj.text)) {
        const b = lookup(obj.text, obj, ctx);
        if (b?.kind === 'import')
          return { volatility: 'config', why: `a setting (${obj.text} is imported configuration)` };
      }
      if (obj) {
        const base = volatilityOf(obj, ctx, depth + 1);
        const p = dateMethodPrecision(node.childForFieldName('attribute')?.text ?? '');
        if (base.clock && p) return clockAt(p === 'day' ? 'day' : base.clock.precision, node);
        // A field of a value is as volatile as the value (a request body's field).
        if (base.volatility !== 'unknown' || base.unknown) return { ...base, clock: undefined };
      }
      break;
    }
    case 'subscript': {
      const value = node.childForFieldName('value');
      if (value) {
        const t = calleeText(value);
        if (/^os\.environ$/.test(t)) return { volatility: 'config', why: 'read from the environment' };
        if (/(?:^|\.)session_state$|^(?:request\.)?session$/.test(t))
          return { volatility: 'session', why: 'kept per user session' };
        const base = volatilityOf(value, ctx, depth + 1);
        return base.volatility !== 'unknown' || base.unknown
          ? { ...base, clock: undefined }
          : { volatility: 'unknown', why: 'a run-time value' };
      }
      break;
    }
    case 'identifier': {
      const b = lookup(node.text, node, ctx);
      if (!b) return { volatility: 'unknown', why: 'not defined in this file' };
      switch (b.kind) {
        case 'param':
          return paramVolatility(b.fn);
        case 'other': {
          // for x in items / with … as x: as volatile as what it iterates or opens.
          const src = b.node.type === 'for_statement' ? b.node.childForFieldName('right') : null;
          return src ? volatilityOf(src, b.ctx, depth + 1) : { volatility: 'unknown', why: b.why };
        }
        case 'bound':
          return b.node ? volatilityOf(b.node, b.ctx, depth + 1) : { volatility: 'unknown', why: 'a run-time value' };
        case 'import':
          return { volatility: 'unknown', unknown: 'import', why: `imported from ${b.module || node.text}` };
        case 'value': {
          const last = b.nodes[b.nodes.length - 1];
          const v = valueOfAssignment(last);
          if (!v) break;
          const inner = volatilityOf(v, b.ctx, depth + 1);
          if (b.ctx.fn === null && inner.volatility !== 'config')
            return { volatility: 'process', why: `${node.text} is set once when the module loads` };
          return inner;
        }
        default:
          break;
      }
      break;
    }
    case 'binary_operator':
    case 'boolean_operator': {
      const l = node.childForFieldName('left'),
        r = node.childForFieldName('right');
      if (l && r) {
        const a = volatilityOf(l, ctx, depth + 1),
          b = volatilityOf(r, ctx, depth + 1);
        return rank(a.volatility) >= rank(b.volatility) ? a : b;
      }
      break;
    }
    case 'conditional_expression': {
      let best: V | undefined;
      for (const c of node.namedChildren) {
        if (!c || c.type === 'comment') continue;
        const v = volatilityOf(c, ctx, depth + 1);
        if (v.volatility === 'config' && !v.clock && /^(?:integer|float|true|false|none|string)$/.test(c.type))
          continue;
        if (!best || rank(v.volatility) > rank(best.volatility)) best = v;
      }
      if (best) return best;
      break;
    }
    case 'string':
    case 'concatenated_string':
      return { volatility: 'config', why: 'a constant' };
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return { volatility: 'config', why: 'a constant' };
  }
  return { volatility: 'unknown', why: 'a run-time value' };
}

/** The most volatile of some values when one of them changes within the process (request, session, day). */
function mostVolatileChanging(nodes: (Node | null)[], ctx: PyCtx, depth: number): V | undefined {
  let best: V | undefined;
  for (const a of nodes) {
    if (!a) continue;
    const v = volatilityOf(a, ctx, depth + 1);
    if (
      (v.volatility === 'request' || v.volatility === 'session' || v.volatility === 'day') &&
      (!best || rank(v.volatility) > rank(best.volatility))
    )
      best = v;
  }
  return best;
}

/** A literal, or a name whose value is fixed in the process (a module constant, a folded string). */
function isConstant(n: Node | null, ctx: PyCtx, depth: number): boolean {
  if (!n) return false;
  if (/^(?:string|concatenated_string|integer|float|true|false|none)$/.test(n.type)) return true;
  if (n.type === 'list' || n.type === 'tuple' || n.type === 'dictionary' || n.type === 'pair')
    return n.namedChildren.every((c) => !c || c.type === 'comment' || isConstant(c, ctx, depth + 1));
  if (n.type === 'identifier' || n.type === 'attribute') {
    const v = volatilityOf(n, ctx, depth + 1).volatility;
    return v === 'process' || v === 'config';
  }
  return false;
}

const RANKS = VOLATILITY_RANK;
const rank = (v: Volatility) => RANKS[v];
