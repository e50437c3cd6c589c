import type { Node as YamlNode } from 'yaml';
import { yaml } from './yamlLib';
import type { DiagnosticSink } from '../diagnostics';
import type { Block, BlockKind, Prompt, Segment, SourceRange } from '../types';
import { openAiFooter, openAiHeader } from './chatFraming';

/*
 * GitHub Models prompt files (`*.prompt.yml`, https://docs.github.com/github-models/use-github-models/storing-prompts-in-github-repositories):
 * `model`, `modelParameters`, `messages` (role + content, `{{variables}}` filled at run time) and an optional
 * `jsonSchema` (with `responseFormat: json_schema`) are the request; `testData` and `evaluators` are for evaluation
 * runs and are not sent. The request goes to an OpenAI-compatible chat endpoint: schema first, then the messages.
 */
const ROLES = new Set(['system', 'developer', 'user', 'assistant']);
const KIND: Record<string, BlockKind> = { system: 'system', developer: 'system' };

function rangeOf(node: YamlNode | null | undefined, base: number): SourceRange {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? { start: base + r[0], end: base + r[1] } : { start: base, end: base };
}

/** A YAML string scalar as a segment: verbatim when the source holds exactly the value (plain one-line scalars). */
function scalarSegment(text: string, node: YamlNode, base: number): Segment {
  const value = String((node as { value: unknown }).value ?? '');
  const range = rangeOf(node, base);
  return { text: value, range, verbatim: text.slice(range.start, range.end) === value };
}

export function parseGithubModelsPrompt(text: string, start: number, sink: DiagnosticSink): Prompt {
  const { isMap, isScalar, isSeq, parseDocument } = yaml();
  const source = start ? text.slice(start) : text;
  const doc = parseDocument(source, { prettyErrors: false, uniqueKeys: false });
  for (const e of doc.errors.slice(0, 10)) {
    const at = start + (e.pos?.[0] ?? 0);
    sink.error('yaml-syntax', `YAML: ${e.message.split('\n')[0]}`, { start: at, end: start + (e.pos?.[1] ?? 0) });
  }
  const root = doc.contents;
  const blocks: Block[] = [];
  const out: Prompt = { format: 'github-models', blocks, diagnostics: sink.list, range: { start, end: text.length } };
  if (!isMap(root)) {
    if (!doc.errors.length)
      sink.error('wrong-type', 'a GitHub Models prompt file is a YAML mapping with "model" and "messages"', {
        start,
        end: start,
      });
    return out;
  }
  const get = (key: string) =>
    root.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as YamlNode | null | undefined;

  const schema = get('jsonSchema');
  if (schema) {
    // The schema is sent as JSON: a string holds it already; a mapping is serialized.
    const value = isScalar(schema)
      ? String(schema.value ?? '')
      : JSON.stringify((schema as { toJSON(): unknown }).toJSON());
    let compact = value;
    try {
      compact = JSON.stringify(JSON.parse(value));
    } catch {
      sink.warning('bad-schema', '"jsonSchema" is not valid JSON; counted as written', rangeOf(schema, start));
    }
    blocks.push({
      kind: 'response_format',
      label: 'jsonSchema',
      range: rangeOf(schema, start),
      segments: [{ text: compact, range: rangeOf(schema, start), verbatim: false }],
    });
  }

  const messages = get('messages');
  if (!messages) sink.error('missing-messages', 'prompt file has no "messages" list', { start, end: start });
  else if (!isSeq(messages))
    sink.error('wrong-type', '"messages" should be a list of {role, content}', rangeOf(messages, start));
  else
    messages.items.forEach((m, i) => {
      const where = `messages[${i}]`;
      if (!isMap(m)) {
        sink.error('wrong-type', `${where} should be a mapping with role and content`, rangeOf(m as YamlNode, start));
        return;
      }
      const field = (k: string) =>
        m.items.find((p) => isScalar(p.key) && p.key.value === k)?.value as YamlNode | null | undefined;
      const roleNode = field('role');
      const role = isScalar(roleNode) ? String(roleNode.value) : 'user';
      const range = rangeOf(m as YamlNode, start);
      if (!isScalar(roleNode)) sink.error('missing-role', `${where} has no "role"`, range);
      else if (!ROLES.has(role))
        sink.error(
          'unknown-role',
          `${where}: unknown role "${role}" (expected system, developer, user or assistant)`,
          rangeOf(roleNode, start),
        );
      const segments: Segment[] = [openAiHeader(role, range)];
      const content = field('content');
      if (isScalar(content)) segments.push(scalarSegment(text, content, start));
      else sink.warning('missing-content', `${where} has no "content" text`, range);
      segments.push(openAiFooter(range));
      blocks.push({
        kind: KIND[role] ?? 'message',
        role,
        label: `${where} ${role}`,
        place: { list: 'messages', index: i },
        range,
        segments,
      });
    });

  const template = text.indexOf('{{', start);
  if (template >= 0)
    sink.info(
      'template-variables',
      'template variables ({{…}}) are counted as written; the values filled in at run time (testData inputs) change the tokens from here on',
      {
        start: template,
        end: template + 2,
      },
    );
  const modelNode = get('model');
  const model =
    isScalar(modelNode) && typeof modelNode.value === 'string' && modelNode.value.trim()
      ? modelNode.value.trim()
      : undefined;
  return { ...out, ...(model ? { model, models: [model], modelRange: rangeOf(modelNode, start) } : {}) };
}
