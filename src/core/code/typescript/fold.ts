import type { Node } from 'web-tree-sitter';
import { sameNode, type FoldContext, type ModuleLookup, type SourceModule } from '../modules';
import { dedentPieces, shortExpression, slicePiece, stripPieces, text } from '../pieces';
import { atPlaceholder } from '../python/fold';
import type { Hole, Piece } from '../types';
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
 * TypeScript / JavaScript prompt folding: string literals, template literals, `+`, `.join()`, `.trim()`, `dedent`
 * tags, same-file constants, object-literal properties, functions (their return with parameters bound) and imports of
 * workspace modules become text pieces and holes. Module-level constants are evaluated once, when the module loads.
 */

const MAX_DEPTH = 24;

/** A fold's context (modules.ts): the same for both languages. */
export type TsCtx = FoldContext;

const FUNCTION_TYPES = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'generator_function',
]);

export function enclosingFunction(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return null;
}

/**
 * An HTTP request handler: a Next.js route export (GET, POST…), a function given to `app.post('/x', …)`, or one
 * whose parameter is typed as a request or named req/request. Its parameters change at each request.
 */
export function isRequestHandler(fn: Node): boolean {
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  for (const p of params?.type === 'identifier' ? [params] : (params?.namedChildren ?? [])) {
    if (!p) continue;
    const type = p.childForFieldName('type')?.text.replace(/^:\s*/, '').trim();
    if (type && REQUEST_TYPE.test(type)) return true;
    const name = p.type === 'identifier' ? p.text : p.childForFieldName('pattern')?.text;
    if (name === 'req' || name === 'request') return true;
  }
  const name =
    fn.childForFieldName('name')?.text ??
    (fn.parent?.type === 'variable_declarator' ? fn.parent.childForFieldName('name')?.text : undefined);
  if (name && /^(?:GET|POST|PUT|PATCH|DELETE)$/.test(name)) return true;
  const args = fn.parent?.type === 'arguments' ? fn.parent : undefined;
  const call = args?.parent;
  if (call?.type === 'call_expression') {
    const f = call.childForFieldName('function');
    const m = f?.type === 'member_expression' ? f.childForFieldName('property')?.text : undefined;
    const first = args!.namedChildren[0];
    if (m && ROUTE_METHOD.test(m) && first && (first.type === 'string' || first.type === 'template_string'))
      return true;
  }
  return false;
}

export function ctxAt(node: Node, mod: SourceModule, modules: ModuleLookup): TsCtx {
  const fn = enclosingFunction(node);
  return { mod, fn, once: fn === null, depth: 0, modules };
}

const deeper = (ctx: TsCtx, patch: Partial<TsCtx> = {}): TsCtx => ({ ...ctx, depth: ctx.depth + 1, ...patch });
const srcOf = (ctx: TsCtx, n: Node) => ctx.mod.text.slice(n.startIndex, n.endIndex);

type V = HoleVolatility;

function hole(ctx: TsCtx, at: Node, v: V, what?: string): Hole {
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

export function valueHole(node: Node, ctx: TsCtx): Hole {
  return hole(ctx, node, volatilityOf(node, ctx, 0));
}

const unwrap = (n: Node): Node => {
  let x = n;
  while (
    [
      'parenthesized_expression',
      'as_expression',
      'satisfies_expression',
      'non_null_expression',
      'type_assertion',
    ].includes(x.type)
  ) {
    const inner = x.type === 'type_assertion' ? x.namedChildren[x.namedChildCount - 1] : x.namedChildren[0];
    if (!inner) break;
    x = inner;
  }
  return x;
};

export function foldTs(node: Node, ctx: TsCtx): Piece[] {
  if (ctx.depth > MAX_DEPTH) return [hole(ctx, node, { volatility: 'unknown', why: 'folded too deep' })];
  const n = unwrap(node);
  switch (n.type) {
    case 'string':
      return stringPieces(n, ctx);
    case 'template_string':
      return templatePieces(n, ctx, false);
    case 'binary_expression': {
      const op = n.childForFieldName('operator')?.type;
      const l = n.childForFieldName('left'),
        r = n.childForFieldName('right');
      if (op === '+' && l && r) return [...foldTs(l, deeper(ctx)), ...foldTs(r, deeper(ctx))];
      break;
    }
    case 'identifier':
    case 'shorthand_property_identifier':
      return resolveName(n.text, n, ctx);
    case 'member_expression':
    case 'subscript_expression': {
      const v = memberValue(n, ctx);
      if (v) return foldTs(v.node, deeper(v.ctx));
      break;
    }
    case 'call_expression':
      return foldCall(n, ctx);
    case 'ternary_expression': {
      const a = n.childForFieldName('consequence'),
        b = n.childForFieldName('alternative');
      // A condition fixed in the code (const USE_X = true) picks its branch.
      const cond = constantBoolean(n.childForFieldName('condition'), ctx);
      if (cond !== undefined && a && b) return foldTs(cond ? a : b, deeper(ctx));
      if (a && b) {
        const pa = foldTs(a, deeper(ctx)),
          pb = foldTs(b, deeper(ctx));
        const same = (x: Piece[]) => x.map((p) => (p.kind === 'text' ? p.text : '\0')).join('');
        if (pa.every((p) => p.kind === 'text') && pb.every((p) => p.kind === 'text') && same(pa) === same(pb))
          return pa;
      }
      break;
    }
  }
  return [valueHole(n, ctx)];
}

function constantBoolean(n: Node | null, ctx: TsCtx, depth = 0): boolean | undefined {
  if (!n || depth > 4) return undefined;
  const x = unwrap(n);
  if (x.type === 'true') return true;
  if (x.type === 'false') return false;
  if (x.type === 'unary_expression' && x.childForFieldName('operator')?.text === '!') {
    const v = constantBoolean(x.childForFieldName('argument'), ctx, depth + 1);
    return v === undefined ? undefined : !v;
  }
  if (x.type === 'identifier') {
    const b = lookup(x.text, x, ctx);
    if (b?.kind === 'value' && b.node && !b.reassigned && !b.updates.length)
      return constantBoolean(b.node, b.ctx, depth + 1);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Literals

const JS_ESCAPE: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

function decodeEscape(e: string): string {
  const c = e[1];
  if (e.startsWith('\\\n') || e.startsWith('\\\r') || c === '\u2028' || c === '\u2029') return '';
  if (c === 'x') return String.fromCharCode(parseInt(e.slice(2), 16));
  if (c === 'u') {
    const hex = e[2] === '{' ? e.slice(3, -1) : e.slice(2);
    const cp = parseInt(hex, 16);
    return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : e;
  }
  return JS_ESCAPE[c] ?? e.slice(1);
}

function stringPieces(n: Node, ctx: TsCtx): Piece[] {
  const out: Piece[] = [];
  const file = ctx.mod.file;
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_fragment') out.push(text(srcOf(ctx, c), c.startIndex, c.endIndex, file));
    else if (c.type === 'escape_sequence') out.push(text(decodeEscape(c.text), c.startIndex, c.endIndex, file));
  }
  return out;
}

function templatePieces(n: Node, ctx: TsCtx, raw: boolean): Piece[] {
  const out: Piece[] = [];
  const file = ctx.mod.file;
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_fragment') out.push(text(srcOf(ctx, c), c.startIndex, c.endIndex, file));
    else if (c.type === 'escape_sequence')
      out.push(text(raw ? c.text : decodeEscape(c.text), c.startIndex, c.endIndex, file));
    else if (c.type === 'template_substitution') {
      const expr = c.namedChildren.find((x) => x && x.type !== 'comment');
      if (!expr) continue;
      const v = foldTs(expr, deeper(ctx));
      if (v.some((p) => p.kind === 'text')) out.push(...v);
      else if (v.length === 0) continue;
      else {
        const h = v.length === 1 && v[0].kind === 'hole' ? v[0] : valueHole(expr, ctx);
        out.push(atPlaceholder(h, c, ctx.mod.file, shortExpression(srcOf(ctx, expr))));
      }
    }
  }
  return out;
}

/** The value of a string literal or a template literal without substitutions, or undefined. */
export function stringValue(n: Node | null | undefined): string | undefined {
  if (!n) return undefined;
  const x = unwrap(n);
  if (x.type !== 'string' && x.type !== 'template_string') return undefined;
  let s = '';
  for (const c of x.namedChildren) {
    if (!c) continue;
    if (c.type === 'template_substitution') return undefined;
    if (c.type === 'string_fragment') s += c.text;
    else if (c.type === 'escape_sequence') s += decodeEscape(c.text);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Calls

/** The callee as written with argument lists reduced to `()` and `new X` kept: `new Date().toISOString`. */
export function calleeText(n: Node): string {
  const x = unwrap(n);
  switch (x.type) {
    case 'identifier':
    case 'property_identifier':
    case 'this':
      return x.text;
    case 'member_expression': {
      const o = x.childForFieldName('object'),
        p = x.childForFieldName('property');
      return `${o ? calleeText(o) : '?'}.${p?.text ?? '?'}`;
    }
    case 'call_expression': {
      const f = x.childForFieldName('function');
      return `${f ? calleeText(f) : '?'}()`;
    }
    case 'new_expression': {
      const c = x.childForFieldName('constructor');
      return `new ${c ? calleeText(c) : '?'}`;
    }
    case 'await_expression': {
      const i = x.namedChildren[0];
      return i ? calleeText(i) : '?';
    }
    default:
      return '?';
  }
}

export function callArgs(call: Node): Node[] {
  const a = call.childForFieldName('arguments');
  if (!a || a.type !== 'arguments') return [];
  return a.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

function foldCall(n: Node, ctx: TsCtx): Piece[] {
  const fn = n.childForFieldName('function');
  const args = n.childForFieldName('arguments');
  if (!fn) return [valueHole(n, ctx)];
  // Tagged templates: dedent`…`, String.raw`…`
  if (args?.type === 'template_string') {
    const tag = calleeText(fn);
    if (
      /^(?:dedent|outdent|stripIndent|stripIndents|oneLine|endent|ts\.dedent|String\.raw|html|md|sql|markdown|prompt)$/.test(
        tag,
      )
    ) {
      const pieces = templatePieces(args, ctx, tag === 'String.raw');
      return /dedent|outdent|stripIndent|endent/.test(tag) ? stripPieces(dedentPieces(pieces), 'both') : pieces;
    }
    return [valueHole(n, ctx)];
  }
  const list = callArgs(n);
  if (fn.type === 'member_expression') {
    const obj = fn.childForFieldName('object');
    const method = fn.childForFieldName('property')?.text;
    if (obj && (method === 'trim' || method === 'trimStart' || method === 'trimEnd') && list.length === 0) {
      const t = foldTs(obj, deeper(ctx));
      if (t.some((p) => p.kind === 'text'))
        return stripPieces(t, method === 'trim' ? 'both' : method === 'trimStart' ? 'start' : 'end');
    }
    if (obj && method === 'join') {
      const arr = arrayOf(obj, ctx);
      const sep = list[0] ? foldTs(list[0], deeper(ctx)) : [text(',', -1, -1)];
      if (arr && sep.every((p) => p.kind === 'text'))
        return arr.items.flatMap((it, i) => [...(i ? sep : []), ...foldTs(it, deeper(arr.ctx))]);
    }
    if (obj && method === 'concat') {
      const base = foldTs(obj, deeper(ctx));
      if (base.some((p) => p.kind === 'text')) return [...base, ...list.flatMap((a) => foldTs(a, deeper(ctx)))];
    }
  }
  const callee = calleeText(fn);
  if (/^(?:dedent|outdent|stripIndent)$/.test(callee) && list[0])
    return stripPieces(dedentPieces(foldTs(list[0], deeper(ctx))), 'both');
  if (callee === 'String' && list[0]) return foldTs(list[0], deeper(ctx));
  const def = functionFor(fn, ctx);
  if (def) {
    const r = foldFunctionReturn(def.fn, n, ctx, def.ctx);
    if (r) return r;
  }
  return [valueHole(n, ctx)];
}

function arrayOf(n: Node, ctx: TsCtx): { items: Node[]; ctx: TsCtx } | undefined {
  const x = unwrap(n);
  if (x.type === 'array') return { items: x.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment'), ctx };
  if (x.type === 'identifier') {
    const b = lookup(x.text, x, ctx);
    if (b?.kind === 'value' && b.node) return arrayOf(b.node, b.ctx);
  }
  return undefined;
}

function functionFor(fn: Node, ctx: TsCtx): { fn: Node; ctx: TsCtx } | undefined {
  const f = unwrap(fn);
  if (f.type === 'identifier') {
    const b = lookup(f.text, f, ctx);
    if (b?.kind === 'function') return { fn: b.node, ctx: b.ctx };
    if (b?.kind === 'value' && b.node && FUNCTION_TYPES.has(unwrap(b.node).type))
      return { fn: unwrap(b.node), ctx: b.ctx };
    // A function another module of the workspace exports.
    if (b?.kind === 'import' && b.name !== '*' && b.name !== 'default') {
      const mod = ctx.modules.resolve(ctx.mod, b.source);
      if (mod) {
        const mctx: TsCtx = { mod, fn: null, once: true, depth: ctx.depth + 1, modules: ctx.modules };
        const eb = lookup(b.name, mod.tree.rootNode, mctx);
        if (eb?.kind === 'function') return { fn: eb.node, ctx: eb.ctx };
        if (eb?.kind === 'value' && eb.node && FUNCTION_TYPES.has(unwrap(eb.node).type))
          return { fn: unwrap(eb.node), ctx: eb.ctx };
      }
    }
  }
  if (f.type === 'member_expression' && f.childForFieldName('object')?.type === 'this') {
    const name = f.childForFieldName('property')?.text;
    const cls = enclosingClassBody(f);
    for (const m of cls?.namedChildren ?? [])
      if (m?.type === 'method_definition' && m.childForFieldName('name')?.text === name)
        return { fn: m, ctx: { ...ctx, fn: m } };
  }
  return undefined;
}

function enclosingClassBody(n: Node): Node | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'class_body') return p;
  return null;
}

/** What a function returns: its expression body, or its last `return`; parameters bound to the call's arguments. */
export function foldFunctionReturn(def: Node, call: Node | null, callerCtx: TsCtx, defCtx: TsCtx): Piece[] | undefined {
  if (callerCtx.depth > MAX_DEPTH) return undefined;
  const body = def.childForFieldName('body');
  if (!body) return undefined;
  const ret = body.type === 'statement_block' ? lastReturn(body) : body;
  if (!ret) return undefined;
  const bound = new Map<string, { node: Node | null; ctx: TsCtx }>();
  if (call) {
    const params = parameterList(def);
    const args = callArgs(call);
    params.forEach((p, i) => {
      if (p.kind === 'object' && args[i]) {
        // ({ a, b }) => …: each property of the object argument.
        for (const name of p.names) {
          const v = objectProperty(args[i], name, callerCtx);
          bound.set(name, v ? { node: v.node, ctx: v.ctx } : { node: null, ctx: callerCtx });
        }
      } else if (p.kind === 'plain') {
        if (args[i]) bound.set(p.names[0], { node: args[i], ctx: callerCtx });
        else if (p.default) bound.set(p.names[0], { node: p.default, ctx: { ...defCtx, fn: def } });
      }
    });
  }
  return foldTs(ret, { ...defCtx, fn: def, bound, depth: callerCtx.depth + 1, once: callerCtx.once });
}

function lastReturn(block: Node): Node | undefined {
  let found: Node | undefined;
  const visit = (n: Node) => {
    for (const c of n.namedChildren) {
      if (!c || FUNCTION_TYPES.has(c.type) || c.type === 'class_declaration') continue;
      if (c.type === 'return_statement') {
        const v = c.namedChildren.find((x) => x && x.type !== 'comment');
        if (v) found = v;
      } else if (c.namedChildCount) visit(c);
    }
  };
  visit(block);
  return found;
}

interface Param {
  readonly kind: 'plain' | 'object' | 'rest';
  readonly names: string[];
  readonly default?: Node;
}

export function parameterList(fn: Node): Param[] {
  const ps = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!ps) return [];
  if (ps.type === 'identifier') return [{ kind: 'plain', names: [ps.text] }];
  const out: Param[] = [];
  for (const p of ps.namedChildren) {
    if (!p) continue;
    const pattern = p.childForFieldName('pattern') ?? (p.type === 'identifier' ? p : null);
    const def = p.childForFieldName('value') ?? undefined;
    if (!pattern) continue;
    if (pattern.type === 'identifier') out.push({ kind: 'plain', names: [pattern.text], default: def });
    else if (pattern.type === 'object_pattern')
      out.push({
        kind: 'object',
        names: pattern.namedChildren.flatMap((c) => {
          if (!c) return [];
          if (c.type === 'shorthand_property_identifier_pattern') return [c.text];
          if (c.type === 'object_assignment_pattern') return [c.childForFieldName('left')?.text ?? ''];
          if (c.type === 'pair_pattern') return [c.childForFieldName('value')?.text ?? ''];
          return [];
        }),
      });
    else if (pattern.type === 'rest_pattern') out.push({ kind: 'rest', names: [pattern.text.replace(/^\.\.\./, '')] });
    else out.push({ kind: 'rest', names: identifiersIn(pattern) });
  }
  return out;
}

function identifiersIn(n: Node): string[] {
  if (n.type === 'identifier' || n.type === 'shorthand_property_identifier_pattern') return [n.text];
  return n.namedChildren.flatMap((c) => (c ? identifiersIn(c) : []));
}

// ---------------------------------------------------------------------------------------------------------------
// Names

type Binding =
  | { kind: 'value'; node: Node | null; ctx: TsCtx; updates: Node[]; reassigned?: Node[] }
  | { kind: 'param'; node: Node; ctx: TsCtx }
  | { kind: 'bound'; node: Node | null; ctx: TsCtx }
  | { kind: 'function'; node: Node; ctx: TsCtx }
  | { kind: 'import'; node: Node; source: string; name: string; ctx: TsCtx }
  | { kind: 'other'; node: Node; ctx: TsCtx; why: string; value?: Node };

const SCOPE_TYPES = new Set(['program', 'statement_block', 'switch_case', 'class_body']);

/**
 * The declarations of one name among a block's own statements (and exports): found from the name's occurrences in
 * the block's text and confirmed on the statement that holds each, so a long module is never walked statement by
 * statement. Cached per module, block and name.
 */
const blockIndex = new WeakMap<SourceModule, Map<string, Node[]>>();
const declarationsOf = (mod: SourceModule, block: Node) => ({
  get: (name: string) => declarationsNamed(mod, block, name),
});

function declarationsNamed(mod: SourceModule, block: Node, wanted: string): Node[] {
  let perMod = blockIndex.get(mod);
  if (!perMod) blockIndex.set(mod, (perMod = new Map()));
  const key = `${block.type}:${block.startIndex}:${wanted}`;
  const have = perMod.get(key);
  if (have) return have;
  const map = new Map<string, Node[]>();
  const add = (name: string, n: Node) => {
    const l = map!.get(name);
    if (l) l.push(n);
    else map!.set(name, [n]);
  };
  const visit = (s: Node) => {
    switch (s.type) {
      case 'export_statement': {
        const d = s.childForFieldName('declaration');
        if (d) visit(d);
        break;
      }
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const d of s.namedChildren)
          if (d?.type === 'variable_declarator') {
            const name = d.childForFieldName('name');
            if (name?.type === 'identifier') add(name.text, d);
            else if (name) for (const id of identifiersIn(name)) add(id, d);
          }
        break;
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'class_declaration': {
        const name = s.childForFieldName('name');
        if (name) add(name.text, s);
        break;
      }
      case 'import_statement':
        for (const id of s.descendantsOfType(['identifier'])) {
          if (!id) continue;
          const parent = id.parent;
          // the local name: `x` of import x, import { a as x }, import * as x
          if (
            parent?.type === 'import_specifier' &&
            parent.childForFieldName('alias') &&
            parent.childForFieldName('name')?.startIndex === id.startIndex
          )
            continue;
          add(id.text, s);
        }
        break;
      case 'expression_statement': {
        const e = s.namedChildren[0];
        if (
          (e?.type === 'assignment_expression' || e?.type === 'augmented_assignment_expression') &&
          e.childForFieldName('left')?.type === 'identifier'
        )
          add(e.childForFieldName('left')!.text, e);
        break;
      }
    }
  };
  // The block's statements that mention the name.
  const root = mod.tree.rootNode;
  const seen = new Set<number>();
  const re = new RegExp(`(?<![\\w.$])${wanted.replace(/[$]/g, '\\$&')}(?![\\w$])`, 'g');
  const text = mod.text.slice(block.startIndex, block.endIndex);
  for (let m; (m = re.exec(text));) {
    const at = block.startIndex + m.index;
    let n: Node | null = root.descendantForIndex(at, at + wanted.length);
    while (
      n &&
      n.parent &&
      !(
        n.parent.startIndex === block.startIndex &&
        n.parent.endIndex === block.endIndex &&
        n.parent.type === block.type
      )
    )
      n = n.parent;
    if (!n || !n.parent || seen.has(n.startIndex)) continue;
    seen.add(n.startIndex);
    visit(n);
  }
  const list = (map.get(wanted) ?? []).sort((a, b) => a.startIndex - b.startIndex);
  perMod.set(key, list);
  return list;
}

function lookup(name: string, at: Node, ctx: TsCtx): Binding | undefined {
  const b = ctx.bound?.get(name);
  if (b) return { kind: 'bound', node: b.node, ctx: b.ctx };
  for (let n: Node | null = at; n; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type)) {
      const p = parameterList(n).find((x) => x.names.includes(name));
      if (p) return { kind: 'param', node: n, ctx: { ...ctx, fn: n } };
    }
    if (!SCOPE_TYPES.has(n.type) || n.type === 'class_body') continue;
    const decls = declarationsOf(ctx.mod, n).get(name);
    if (!decls?.length) continue;
    const fnOfScope = n.type === 'program' ? null : enclosingFunction(n);
    const sctx: TsCtx = {
      ...ctx,
      fn: fnOfScope,
      bound: sameNode(fnOfScope, ctx.fn) ? ctx.bound : undefined,
      once: fnOfScope === null,
    };
    return toBinding(
      name,
      decls.filter((d) => d.startIndex < at.startIndex || n!.type === 'program' || !within(at, n!)),
      decls,
      sctx,
    );
  }
  return undefined;
}

const within = (n: Node, scope: Node) => n.startIndex >= scope.startIndex && n.endIndex <= scope.endIndex;

function toBinding(name: string, before: Node[], all: Node[], ctx: TsCtx): Binding | undefined {
  const decl = all.find((d) => d.type !== 'assignment_expression' && d.type !== 'augmented_assignment_expression');
  if (!decl) return undefined;
  switch (decl.type) {
    case 'function_declaration':
    case 'generator_function_declaration':
      return { kind: 'function', node: decl, ctx };
    case 'class_declaration':
      return { kind: 'other', node: decl, ctx, why: 'a class, not text' };
    case 'import_statement': {
      const source = stringValue(decl.childForFieldName('source')) ?? '';
      let imported = name;
      for (const s of decl.descendantsOfType('import_specifier'))
        if (s && (s.childForFieldName('alias')?.text ?? s.childForFieldName('name')?.text) === name)
          imported = s.childForFieldName('name')?.text ?? name;
      if (decl.descendantsOfType('namespace_import').some((x) => x?.text.endsWith(name))) imported = '*';
      else if (
        decl.childForFieldName('source') &&
        decl.namedChildren[0]?.namedChildren[0]?.type === 'identifier' &&
        decl.namedChildren[0]?.namedChildren[0]?.text === name
      )
        imported = 'default';
      return { kind: 'import', node: decl, source, name: imported, ctx };
    }
    case 'variable_declarator': {
      const value = decl.childForFieldName('value');
      if (decl.childForFieldName('name')?.type !== 'identifier')
        return { kind: 'other', node: decl, ctx, why: 'destructured from a run-time value', value: value ?? undefined };
      const updates = before.filter(
        (d) => d.type === 'assignment_expression' || d.type === 'augmented_assignment_expression',
      );
      // A `let` given another value inside a nested block (an if, a try) is a run-time value.
      const scope = decl.parent?.parent;
      const reassigned: Node[] = [];
      if (decl.parent?.text.startsWith('let') || decl.parent?.text.startsWith('var'))
        for (const a of scope?.descendantsOfType(['assignment_expression', 'augmented_assignment_expression']) ?? [])
          if (a && a.childForFieldName('left')?.text === name && !updates.some((u) => u.startIndex === a.startIndex)) {
            const r = a.childForFieldName('right');
            if (r) reassigned.push(r);
          }
      return { kind: 'value', node: value, ctx, updates, ...(reassigned.length ? { reassigned } : {}) };
    }
  }
  return undefined;
}

function resolveName(name: string, at: Node, ctx: TsCtx): Piece[] {
  const b = lookup(name, at, ctx);
  if (!b) return [hole(ctx, at, { volatility: 'unknown', why: 'not defined in this file' })];
  switch (b.kind) {
    case 'bound':
      return b.node
        ? foldTs(b.node, deeper(b.ctx))
        : [hole(ctx, at, { volatility: 'unknown', unknown: 'parameter', why: 'a parameter of the function' })];
    case 'param':
      return [hole(ctx, at, paramVolatility(b.node))];
    case 'other':
      if (b.value) return [hole(ctx, at, volatilityOf(b.value, b.ctx, 1))];
      return [hole(ctx, at, { volatility: 'unknown', why: b.why })];
    case 'value': {
      if (!b.node) return [hole(ctx, at, { volatility: 'unknown', why: 'declared without a value' })];
      if (b.reassigned) return [hole(ctx, at, reassignedVolatility(b, ctx))];
      let out = foldTs(b.node, deeper(b.ctx));
      for (const u of b.updates) {
        const r = u.childForFieldName('right');
        if (!r) continue;
        if (u.type === 'assignment_expression') out = foldTs(r, deeper(b.ctx));
        else if (u.childForFieldName('operator')?.text === '+=') out = [...out, ...foldTs(r, deeper(b.ctx))];
        else return [valueHole(at, ctx)];
      }
      return out;
    }
    case 'import':
      return importedValue(b, at, ctx);
    case 'function':
      return [hole(ctx, at, { volatility: 'unknown', why: 'a function, not text' })];
  }
}

function paramVolatility(fn: Node): V {
  return isRequestHandler(fn)
    ? REQUEST_PARAMETER
    : { volatility: 'unknown', unknown: 'parameter', why: 'a parameter of the function' };
}

/** A `let` assigned again somewhere in its scope: the most volatile of the values it is given. */
function reassignedVolatility(b: Extract<Binding, { kind: 'value' }>, ctx: TsCtx): V {
  let best: V = b.node ? volatilityOf(b.node, b.ctx, 1) : { volatility: 'unknown', why: 'a run-time value' };
  for (const r of b.reassigned ?? []) {
    const v = volatilityOf(r, b.ctx, 1);
    if (RANKS[v.volatility] > RANKS[best.volatility]) best = v;
  }
  void ctx;
  return best.volatility === 'config' ? { volatility: 'unknown', why: 'assigned again at run time' } : best;
}

function importedValue(b: Extract<Binding, { kind: 'import' }>, at: Node, ctx: TsCtx): Piece[] {
  const mod = ctx.modules.resolve(ctx.mod, b.source);
  if (mod && b.name !== '*') {
    const v = exportedValue(mod, b.name, ctx);
    if (v) return v;
  }
  return [hole(ctx, at, { volatility: 'unknown', unknown: 'import', why: `imported from ${b.source}` })];
}

function exportedValue(mod: SourceModule, name: string, ctx: TsCtx): Piece[] | undefined {
  const mctx: TsCtx = { mod, fn: null, once: true, depth: ctx.depth + 1, modules: ctx.modules };
  const root = mod.tree.rootNode;
  if (name === 'default') {
    for (const s of root.namedChildren) {
      if (s?.type !== 'export_statement' || !/^export\s+default\b/.test(s.text)) continue;
      const v = s.childForFieldName('value') ?? s.namedChildren.find((c) => c && c.type !== 'comment');
      if (v) return foldTs(v, mctx);
    }
    return undefined;
  }
  const decls = declarationsOf(mod, root).get(name);
  if (!decls?.length) return undefined;
  return resolveName(name, root, mctx);
}

/** `obj.prop` / `obj["prop"]` of an object literal (through names), or undefined. */
function memberValue(n: Node, ctx: TsCtx): { node: Node; ctx: TsCtx } | undefined {
  const obj = n.childForFieldName('object');
  const key =
    n.type === 'member_expression' ? n.childForFieldName('property')?.text : stringValue(n.childForFieldName('index'));
  if (!obj || key === undefined) return undefined;
  return objectProperty(obj, key, ctx);
}

function objectProperty(objExpr: Node, key: string, ctx: TsCtx): { node: Node; ctx: TsCtx } | undefined {
  let o = unwrap(objExpr);
  let octx = ctx;
  for (let i = 0; i < 4 && o.type === 'identifier'; i++) {
    const b = lookup(o.text, o, octx);
    if (b?.kind === 'value' && b.node) {
      o = unwrap(b.node);
      octx = b.ctx;
    } else if (b?.kind === 'bound' && b.node) {
      o = unwrap(b.node);
      octx = b.ctx;
    } else return undefined;
  }
  if (o.type === 'member_expression') {
    const inner = memberValue(o, octx);
    if (!inner) return undefined;
    o = unwrap(inner.node);
    octx = inner.ctx;
  }
  if (o.type !== 'object') return undefined;
  let found: { node: Node; ctx: TsCtx } | undefined;
  for (const p of o.namedChildren) {
    if (!p) continue;
    if (p.type === 'pair') {
      const k = p.childForFieldName('key');
      const kname = k?.type === 'property_identifier' ? k.text : stringValue(k);
      const v = p.childForFieldName('value');
      if (kname === key && v) found = { node: v, ctx: octx };
    } else if (p.type === 'shorthand_property_identifier' && p.text === key) {
      found = { node: p, ctx: octx };
    }
  }
  return found;
}

export { objectProperty, unwrap };

// ---------------------------------------------------------------------------------------------------------------
// Volatility

const RANKS = VOLATILITY_RANK;

/** The most volatile of some values when one of them changes within the process (request, session, day). */
function mostVolatileChanging(nodes: Node[], ctx: TsCtx, depth: number): V | undefined {
  let best: V | undefined;
  for (const a of nodes) {
    const v = volatilityOf(a, ctx, depth + 1);
    if (
      (v.volatility === 'request' || v.volatility === 'session' || v.volatility === 'day') &&
      (!best || RANKS[v.volatility] > RANKS[best.volatility])
    )
      best = v;
  }
  return best;
}

/** A literal, or a name whose value is fixed in the process (a module constant). */
function isConstant(node: Node, ctx: TsCtx, depth: number): boolean {
  const n = unwrap(node);
  if (/^(?:string|number|true|false|null|undefined|regex)$/.test(n.type)) return true;
  if (n.type === 'template_string') return !n.namedChildren.some((c) => c?.type === 'template_substitution');
  if (n.type === 'array' || n.type === 'object' || n.type === 'pair')
    return n.namedChildren.every(
      (c) => !c || c.type === 'comment' || c.type === 'property_identifier' || isConstant(c, ctx, depth + 1),
    );
  if (n.type === 'identifier' || n.type === 'member_expression' || n.type === 'shorthand_property_identifier') {
    const v = volatilityOf(n, ctx, depth + 1).volatility;
    return v === 'process' || v === 'config';
  }
  return false;
}

function volatilityOf(node: Node, ctx: TsCtx, depth: number): V {
  const n = unwrap(node);
  if (depth > 32) return { volatility: 'unknown', why: 'a run-time value' };
  switch (n.type) {
    case 'await_expression': {
      const i = n.namedChildren[0];
      return i ? volatilityOf(i, ctx, depth + 1) : { volatility: 'unknown', why: 'a run-time value' };
    }
    case 'new_expression': {
      const rule = callVolatility(calleeText(n));
      if (rule) return holeOfRule(rule, n);
      break;
    }
    case 'call_expression': {
      const fn = n.childForFieldName('function');
      if (!fn) break;
      const args = callArgs(n);
      if (fn.type === 'member_expression') {
        const obj = fn.childForFieldName('object');
        const m = fn.childForFieldName('property')?.text ?? '';
        if (obj) {
          const base = volatilityOf(obj, ctx, depth + 1);
          if (base.clock) {
            // toISOString().slice(0, 10) / .split('T')[0] / substring(0, 10): the date part.
            if (/^(?:slice|substring|substr)$/.test(m) && args[1]?.text === '10') return clockAt('day', n);
            if (
              /^(?:toLocaleString|toLocaleDateString|toLocaleTimeString)$/.test(m) &&
              args[1] &&
              /time(?:Style)?|hour|minute/.test(args[1].text)
            )
              return clockAt('time', n);
            if (
              m === 'toLocaleString' &&
              args[1] &&
              !/hour|minute|second|timeStyle/.test(args[1].text) &&
              /year|month|day|dateStyle|weekday/.test(args[1].text)
            )
              return clockAt('day', n);
            const p = dateMethodPrecision(m);
            if (p) return clockAt(p === 'day' || base.clock.precision === 'day' ? 'day' : 'time', n);
            return base;
          }
          if (base.volatility === 'config') return base;
          if (base.unknown === 'file' || base.unknown === 'remote') return base;
        }
      }
      const callee = calleeText(fn);
      // date-fns / dayjs format(date, 'yyyy-MM-dd')
      if (/(?:^|\.)format$/.test(callee) && args.length >= 2) {
        const d = volatilityOf(args[0], ctx, depth + 1);
        const f = stringValue(args[1]);
        if (d.clock && f !== undefined) return clockAt(formatShowsTime(f) ? 'time' : 'day', n);
      }
      const rule = callVolatility(callee);
      if (rule) return holeOfRule(rule, n);
      const def = functionFor(fn, ctx);
      if (def) {
        const body = def.fn.childForFieldName('body');
        const ret = body ? (body.type === 'statement_block' ? lastReturn(body) : body) : undefined;
        if (ret) {
          const v = volatilityOf(ret, { ...def.ctx, fn: def.fn, once: false }, depth + 1);
          if (v.volatility !== 'unknown') return v;
        }
      }
      // A function of constants only (JSON.stringify(SCHEMA)): the same text at every call.
      if (args.length && args.every((a) => isConstant(a, ctx, depth)))
        return { volatility: 'process', why: 'computed from constants: the same at each call' };
      // A function of a value that changes (retrieve(query) of a request's query) changes with it.
      const changing = mostVolatileChanging(
        [
          ...args,
          ...(fn.type === 'member_expression' && fn.childForFieldName('object')
            ? [fn.childForFieldName('object')!]
            : []),
        ],
        ctx,
        depth,
      );
      if (changing)
        return { volatility: changing.volatility, why: `computed from ${changing.why.replace(/:.*$/, '')}` };
      break;
    }
    case 'subscript_expression': {
      // new Date().toISOString().split('T')[0]
      const obj = n.childForFieldName('object');
      if (obj?.type === 'call_expression') {
        const f = obj.childForFieldName('function');
        if (f?.type === 'member_expression' && f.childForFieldName('property')?.text === 'split') {
          const base = f.childForFieldName('object');
          const v = base ? volatilityOf(base, ctx, depth + 1) : undefined;
          if (
            v?.clock &&
            /^['"]T['"]$/.test(callArgs(obj)[0]?.text ?? '') &&
            n.childForFieldName('index')?.text === '0'
          )
            return clockAt('day', n);
        }
      }
      if (obj) {
        const v = volatilityOf(obj, ctx, depth + 1);
        if (v.volatility !== 'unknown' || v.unknown) return { ...v, clock: undefined };
      }
      break;
    }
    case 'member_expression': {
      const t = calleeText(n);
      if (/^(?:process\.env|import\.meta\.env)\.\w+$/.test(t))
        return { volatility: 'config', why: 'read from the environment' };
      const obj = n.childForFieldName('object');
      if (obj) {
        // A property of a value is as volatile as the value (a request body's field); of a date, see its precision.
        const v = volatilityOf(obj, ctx, depth + 1);
        if (v.clock) {
          const p = dateMethodPrecision(n.childForFieldName('property')?.text ?? '');
          if (p) return clockAt(p === 'day' || v.clock.precision === 'day' ? 'day' : 'time', n);
        }
        if (v.volatility !== 'unknown' || v.unknown) return { ...v, clock: undefined };
      }
      break;
    }
    case 'identifier':
    case 'shorthand_property_identifier': {
      const b = lookup(n.text, n, ctx);
      if (!b) return { volatility: 'unknown', why: 'not defined in this file' };
      switch (b.kind) {
        case 'param':
          return paramVolatility(b.node);
        case 'bound':
          return b.node
            ? volatilityOf(b.node, b.ctx, depth + 1)
            : { volatility: 'unknown', unknown: 'parameter', why: 'a parameter of the function' };
        case 'import':
          return { volatility: 'unknown', unknown: 'import', why: `imported from ${b.source}` };
        case 'other':
          return b.value ? volatilityOf(b.value, b.ctx, depth + 1) : { volatility: 'unknown', why: b.why };
        case 'value': {
          if (!b.node) break;
          if (b.reassigned) return reassignedVolatility(b, ctx);
          const inner = volatilityOf(b.node, b.ctx, depth + 1);
          if (b.ctx.fn === null && inner.volatility !== 'config')
            return { volatility: 'process', why: `${n.text} is set once when the module loads` };
          return inner;
        }
        default:
          break;
      }
      break;
    }
    case 'binary_expression': {
      const l = n.childForFieldName('left'),
        r = n.childForFieldName('right');
      if (l && r) {
        const a = volatilityOf(l, ctx, depth + 1),
          b = volatilityOf(r, ctx, depth + 1);
        return RANKS[a.volatility] >= RANKS[b.volatility] ? a : b;
      }
      break;
    }
    case 'ternary_expression': {
      let best: V | undefined;
      for (const c of n.namedChildren) {
        if (!c || c.type === 'comment') continue;
        const v = volatilityOf(c, ctx, depth + 1);
        if (v.volatility === 'config' && /^(?:number|true|false|null|string|template_string)$/.test(c.type)) continue;
        if (!best || RANKS[v.volatility] > RANKS[best.volatility]) best = v;
      }
      if (best) return best;
      break;
    }
    case 'object':
    case 'array': {
      // An object or array is as volatile as its most volatile value.
      let best: V | undefined;
      for (const c of n.namedChildren) {
        if (!c || c.type === 'comment') continue;
        const v = volatilityOf(
          c.type === 'pair'
            ? (c.childForFieldName('value') ?? c)
            : c.type === 'spread_element'
              ? (c.namedChildren[0] ?? c)
              : c,
          ctx,
          depth + 1,
        );
        if (!best || RANKS[v.volatility] > RANKS[best.volatility]) best = v;
      }
      return best ? { ...best, clock: undefined } : { volatility: 'config', why: 'a constant' };
    }
    case 'string':
      return { volatility: 'config', why: 'a constant' };
    case 'number':
    case 'true':
    case 'false':
    case 'null':
    case 'undefined':
      return { volatility: 'config', why: 'a constant' };
  }
  return { volatility: 'unknown', why: 'a run-time value' };
}

export { slicePiece };
