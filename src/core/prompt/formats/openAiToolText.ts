/*
 * How OpenAI's models read function definitions: not as the JSON of the request, but rendered as a TypeScript
 * namespace in a system message. The format is published in OpenAI's harmony guide for gpt-oss
 * (https://cookbook.openai.com/articles/openai-harmony, "Function calling"), and its reference renderer
 * (github.com/openai/harmony, src/encoding.rs `json_schema_to_typescript` / `template_tools_section`, read 2026-12) fixes
 * the details this file follows (but for multi-line function descriptions: see functionText): a property's
 * `title` is a comment followed by an empty `//` line, its description one comment (later lines not prefixed); a
 * string default is quoted unless the property is an enum; only string enums become literal unions; `type` lists
 * become unions; `anyOf`, `$ref` and other schemas without a `type` read as `any`; `oneOf` properties are one variant a
 * line; nested objects are indented by four spaces, their closing brace too. Recorded Chat Completions and Responses
 * calls of GPT-4o, GPT-4.1 and GPT-5 models agree with it (test/oracle; residuals in openAiAccounting.ts).
 * Keywords the renderer does not know are left out, as the model never sees them.
 */

type Schema = Record<string, unknown>;

const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One function definition as the model reads it: its description comment and its type line(s). */
export function functionText(name: string, description: string | undefined, parameters: unknown): string {
  const lines: string[] = [];
  // One comment, its later lines not prefixed, surrounding whitespace trimmed: what the recorded calls bill (harmony's
  // renderer prefixes every line — on 14 recorded calls with multi-line descriptions that over-counts by 1 a line).
  if (description?.trim()) lines.push(`// ${description.trim()}`);
  const params = isObj(parameters) ? parameters : {};
  const props = isObj(params.properties) ? params.properties : {};
  if (Object.keys(props).length) lines.push(`type ${name} = (_: ${schemaText(params, '')}) => any;`);
  else lines.push(`type ${name} = () => any;`);
  return lines.join('\n') + '\n\n';
}

/** The namespace around the functions: what opens and closes it. */
export const NAMESPACE_OPEN = '# Tools\n\n## functions\n\nnamespace functions {\n\n';
export const NAMESPACE_CLOSE = '} // namespace functions';

const isEnum = (s: Schema): boolean => Array.isArray(s.enum) && s.enum.length > 0;

/** A default as a comment: a string quoted unless its property is an enum; anything else as compact JSON. */
function defaultText(value: unknown, schema: Schema): string {
  return typeof value === 'string' ? (isEnum(schema) ? value : `"${value}"`) : JSON.stringify(value);
}

function schemaText(s: Schema, indent: string): string {
  if (Array.isArray(s.oneOf)) {
    let out = '';
    for (const v of s.oneOf) {
      const variant = isObj(v) ? v : {};
      out += `\n${indent} | ${nullable(variant, schemaText(variant, indent + '   '))}`;
      const notes: string[] = [];
      if (typeof variant.description === 'string') notes.push(variant.description);
      if (variant.default !== undefined) notes.push(`default: ${defaultText(variant.default, variant)}`);
      if (notes.length) out += ` // ${notes.join(' ')}`;
    }
    return out;
  }
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t): t is string => typeof t === 'string').map((t) => (t === 'integer' ? 'number' : t));
    if (types.length) return types.join(' | ');
  }
  switch (s.type) {
    case 'object':
      return objectText(s, indent);
    case 'string': {
      const values = Array.isArray(s.enum) ? s.enum.filter((v): v is string => typeof v === 'string') : [];
      return values.length ? values.map((v) => `"${v}"`).join(' | ') : 'string';
    }
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return isObj(s.items) ? `${schemaText(s.items, indent)}[]` : 'Array<any>';
    default:
      return 'any';
  }
}

const nullable = (s: Schema, type: string): string =>
  s.nullable === true && !type.includes('null') ? `${type} | null` : type;

function objectText(s: Schema, indent: string): string {
  let out = typeof s.description === 'string' ? `${indent}// ${s.description}\n` : '';
  out += '{\n';
  const props = isObj(s.properties) ? s.properties : {};
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r) => typeof r === 'string') : []);
  for (const [key, raw] of Object.entries(props)) {
    const p = isObj(raw) ? raw : {};
    const opt = required.has(key) ? '' : '?';
    if (typeof p.title === 'string') out += `${indent}// ${p.title}\n${indent}//\n`;
    const oneOf = Array.isArray(p.oneOf) ? p.oneOf : undefined;
    if (!oneOf && typeof p.description === 'string') out += `${indent}// ${p.description}\n`;
    if (Array.isArray(p.examples) && p.examples.length) {
      out += `${indent}// Examples:\n`;
      for (const ex of p.examples) if (typeof ex === 'string') out += `${indent}// - "${ex}"\n`;
    }
    if (oneOf) {
      out += oneOfProperty(key + opt, p, oneOf, indent);
      continue;
    }
    out += `${indent}${key}${opt}: ${nullable(p, schemaText(p, indent + '    '))},`;
    if (p.default !== undefined) out += ` // default: ${defaultText(p.default, p)}`;
    out += '\n';
  }
  return out + `${indent}}`;
}

/** A `oneOf` property: its comments above, then one `| variant` line each, with the variants' own notes. */
function oneOfProperty(name: string, p: Schema, variants: unknown[], indent: string): string {
  const desc = typeof p.description === 'string' ? p.description : undefined;
  const first = isObj(variants[0]) ? variants[0] : {};
  const above = desc !== undefined && first.description !== desc;
  let out = above ? `${indent}// ${desc}\n` : '';
  if (p.default !== undefined) out += `${indent}// default: ${defaultText(p.default, p)}\n`;
  out += `${indent}${name}:\n`;
  variants.forEach((v, i) => {
    const variant = isObj(v) ? v : {};
    out += `${indent} | ${nullable(variant, schemaText(variant, indent + '   '))}`;
    const notes: string[] = [];
    if (!(i === 0 && above) && typeof variant.description === 'string' && variant.description !== desc)
      notes.push(variant.description);
    if (variant.default !== undefined) notes.push(`default: ${defaultText(variant.default, variant)}`);
    if (notes.length) out += ` // ${notes.join(' ')}`;
    out += '\n';
  });
  return out + `${indent},\n`;
}
