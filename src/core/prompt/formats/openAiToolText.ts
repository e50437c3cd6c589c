/*
 * How OpenAI's models read function definitions: not as the JSON of the request, but rendered as a TypeScript
 * namespace in a system message. The format is published in OpenAI's harmony guide for gpt-oss
 * (https://cookbook.openai.com/articles/openai-harmony, "Function calling": `namespace functions { // description
 * type name = (_: { // param description  param: string, ... }) => any; } // namespace functions`), and the
 * token counts of recorded Chat Completions and Responses calls agree with it (test/oracle: every text-only request
 * with tools within 1 %). Keywords the renderer does not know are left out, as the model never sees them.
 */

type Schema = Record<string, unknown>;

const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One function definition as the model reads it: its description comment and its type line(s). */
export function functionText(name: string, description: string | undefined, parameters: unknown): string {
  const lines: string[] = [];
  if (description) lines.push(...comment(description, ''));
  const params = isObj(parameters) ? parameters : {};
  const props = isObj(params.properties) ? params.properties : {};
  if (Object.keys(props).length) {
    lines.push(`type ${name} = (_: {`);
    lines.push(...objectLines(params, ''));
    lines.push('}) => any;');
  } else lines.push(`type ${name} = () => any;`);
  return lines.join('\n') + '\n\n';
}

/** The namespace around the functions: what opens and closes it. */
export const NAMESPACE_OPEN = '# Tools\n\n## functions\n\nnamespace functions {\n\n';
export const NAMESPACE_CLOSE = '} // namespace functions';

// A multi-line description stays one comment: its later lines are not prefixed (measured: each "// " more is a token more).
function comment(text: string, indent: string): string[] {
  return [`${indent}// ${text}`];
}

function objectLines(schema: Schema, indent: string): string[] {
  const props = isObj(schema.properties) ? schema.properties : {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [],
  );
  const out: string[] = [];
  for (const [key, raw] of Object.entries(props)) {
    const p = isObj(raw) ? raw : {};
    if (typeof p.description === 'string' && p.description) out.push(...comment(p.description, indent));
    const opt = required.has(key) ? '' : '?';
    out.push(`${indent}${key}${opt}: ${typeText(p, indent)},${defaultComment(p)}`);
  }
  return out;
}

function defaultComment(p: Schema): string {
  return p.default === undefined ? '' : ` // default: ${JSON.stringify(p.default)}`;
}

function typeText(p: Schema, indent: string): string {
  if (Array.isArray(p.enum)) return p.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (p.const !== undefined) return JSON.stringify(p.const);
  const union = (Array.isArray(p.anyOf) && p.anyOf) || (Array.isArray(p.oneOf) && p.oneOf);
  if (union) return union.map((u) => typeText(isObj(u) ? u : {}, indent)).join(' | ');
  const type = Array.isArray(p.type) ? p.type : [p.type];
  return type.map((t) => oneType(t, p, indent)).join(' | ');
}

function oneType(t: unknown, p: Schema, indent: string): string {
  switch (t) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return isObj(p.items) ? `${wrap(typeText(p.items, indent))}[]` : 'any[]';
    case 'object':
      return isObj(p.properties) && Object.keys(p.properties).length
        ? ['{', ...objectLines(p, indent + '  '), `${indent}}`].join('\n')
        : 'object';
    default:
      return 'any';
  }
}

const wrap = (t: string): string => (t.includes(' | ') ? `(${t})` : t);
