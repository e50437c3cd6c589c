import { parseArgs } from 'node:util';
import { fileModelCandidate } from '../../core/analysis/fileModel';
import { chooseModel } from '../../core/analysis/modelChoice';
import { findModel, loadCatalog, successorModel } from '../../core/pricing/catalog';
import { tokenizerForModel } from '../../core/pricing/modelTokenizer';
import { stringSetting, workspaceSettings } from '../workspaceSettings';
import { formatDiagnostic } from '../../core/prompt/diagnostics';
import { parsePrompt } from '../../core/prompt/parse';
import { renderPrompt } from '../../core/prompt/render';
import type { Prompt, PromptDocument } from '../../core/prompt/types';
import { LineIndex } from '../../core/text/lineIndex';
import { encodingNames, getTokenizer } from '../../core/tokenizer/registry';
import type { Tokenizer } from '../../core/tokenizer/types';
import { exactCounts, exactRequested } from '../exactCounts';
import { CliError, readTextFile, type Output } from '../io';

export const usage = 'kvlens tokens FILE [--model ID | --encoding E] [--sample-inputs] [--exact] [--json]';

const DEFAULT_ENCODING = 'o200k_base';

interface TokenizerChoice {
  readonly tokenizer: Tokenizer;
  /** The tokenizer is the model's own and the catalog says it is the provider's. */
  readonly exact: boolean;
  readonly model?: string;
  readonly note?: string;
}

/**
 * The tokenizer: --encoding as given; else that of the model chosen as the editor chooses it (--model, the model the
 * file names, `kvlens.model` of the nearest .vscode/settings.json, the default). A model the file names but the
 * catalog does not know is counted with o200k_base and said so (with where the file names it); a model whose
 * encoding is not available falls back to an estimate with a note.
 */
function chooseTokenizer(
  encoding: string | undefined,
  model: string | undefined,
  file: string,
  text: string,
  doc: PromptDocument,
): TokenizerChoice {
  if (encoding !== undefined) {
    const t = getTokenizer(encoding);
    if (!t) throw new CliError(`unknown encoding "${encoding}" (known: ${encodingNames().join(', ')})`);
    return { tokenizer: t, exact: t.exact };
  }
  const named = model ? { id: undefined, from: 'file' as const } : fileModelCandidate(doc, text, file);
  const settings = model || named.id ? undefined : workspaceSettings(file);
  const choice = chooseModel(loadCatalog(), [
    { id: model, from: 'flag' },
    named,
    {
      id: settings && stringSetting(settings, 'kvlens.model'),
      from: 'settings',
      where: `setting kvlens.model in ${settings?.file}`,
    },
  ]);
  if (!choice.ok) {
    if (choice.from === 'flag') throw new CliError(choice.message);
    // A retired model (claude-3-opus-latest, gemini-2.0-flash-001) is counted with its successor's tokenizer: the
    // nearest to its own, and never exact.
    const successor = named.id ? successorModel(named.id) : undefined;
    if (successor) {
      const { tokenizer } = tokenizerForModel(successor);
      return {
        tokenizer,
        exact: false,
        note: `${choice.message}; counted with ${successor.id}'s tokenizer (${tokenizer.encoding}), an estimate`,
      };
    }
    return {
      tokenizer: getTokenizer(DEFAULT_ENCODING)!,
      exact: false,
      note: `${choice.message}; counted with ${DEFAULT_ENCODING}`,
    };
  }
  const { tokenizer, own, exact } = tokenizerForModel(choice.model);
  return {
    tokenizer,
    model: choice.model.id,
    exact,
    ...(own
      ? {}
      : {
          note: `encoding ${choice.model.encoding} is not available; counted with ${tokenizer.encoding} as an estimate`,
        }),
  };
}

/** The provider's own counts (opt-in): needs a model, since the endpoint counts for one. */
async function providerCounts(file: string, text: string, prompts: readonly Prompt[], choice: TokenizerChoice) {
  if (!choice.model) throw new CliError(`${file}: --exact needs a model (--model, or one the file names)`);
  const model = findModel(choice.model);
  if (!model.ok) throw new CliError(model.message);
  return exactCounts(file, text, prompts, model.model.provider, model.model.id);
}

interface BlockRow {
  readonly index: number;
  readonly label: string;
  readonly kind: string;
  readonly role: string | null;
  readonly tokens: number;
  readonly cumulative: number;
  readonly line: number;
  readonly column: number;
  readonly breakpoint: '5m' | '1h' | null;
}

function rows(
  prompt: Prompt,
  tokenizer: Tokenizer,
  lines: LineIndex,
): { rows: BlockRow[]; tokens: number; exact: boolean } {
  const r = renderPrompt(prompt, tokenizer);
  const ttl = new Map(r.breakpoints.map((b) => [b.block, b.ttl] as const));
  const out = prompt.blocks.map((b, i): BlockRow => {
    const { line, column } = lines.position(b.range.start);
    return {
      index: i,
      label: b.label,
      kind: b.kind,
      role: b.role ?? null,
      tokens: r.blockStart[i + 1] - r.blockStart[i],
      cumulative: r.blockStart[i + 1],
      line,
      column,
      breakpoint: ttl.get(i) ?? null,
    };
  });
  return { rows: out, tokens: r.ids.length, exact: r.exact };
}

/** A table of a prompt file's blocks (tools, system, messages …) in cache order, with token counts and breakpoints. */
export async function tokensCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string', short: 'm' },
      encoding: { type: 'string', short: 'e' },
      'sample-inputs': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      exact: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new CliError(`tokens takes one FILE (usage: ${usage})`);
  if (values.model !== undefined && values.encoding !== undefined)
    throw new CliError('use --model or --encoding, not both');
  const file = positionals[0];
  const text = readTextFile(file);
  const doc = parsePrompt(text, { fileName: file, sampleInputs: values['sample-inputs'] });
  const usable = doc.prompts.filter((p) => p.blocks.length > 0);
  // Chosen before printing anything, so a bad --model is the only line on stderr.
  const choice = chooseTokenizer(values.encoding, values.model, file, text, doc);
  for (const d of doc.diagnostics) io.err(formatDiagnostic(file, d));
  if (!usable.length) {
    if (!doc.diagnostics.some((d) => d.severity === 'error')) io.err(`kvlens: ${file}: no prompt found`);
    return 1;
  }
  if (choice.note) io.err(`kvlens: ${file}: ${choice.note}`);
  const lines = new LineIndex(text);
  const prompts = usable.map((p) => ({ prompt: p, ...rows(p, choice.tokenizer, lines) }));
  const provided = exactRequested(values.exact) ? await providerCounts(file, text, usable, choice) : undefined;
  const failed = provided?.filter((c) => !c.ok) ?? [];
  for (const f of failed)
    if (!f.ok) io.err(`kvlens: ${file}: exact count failed: ${f.message}; the count shown is KV Lens's own`);
  const allProvided = !!provided && failed.length === 0;

  if (values.json) {
    io.out(
      JSON.stringify({
        file,
        encoding: choice.tokenizer.encoding,
        // Exact only for a known model whose tokenizer and request framing are the provider's (ARCHITECTURE.md); an unknown
        // model, an estimate or a measured rendering (tools, Claude, Gemini) says how it was counted instead.
        exact: allProvided || (choice.exact && prompts.every((p) => p.exact)),
        counted: allProvided
          ? `exact (${(provided![0] as { endpointName: string }).endpointName})`
          : choice.exact && prompts.every((p) => p.exact)
            ? 'exact'
            : 'estimate',
        estimate: choice.tokenizer.estimate ?? null,
        model: choice.model ?? null,
        prompts: prompts.map(({ prompt, rows, tokens }, i) => ({
          label: prompt.label ?? null,
          format: prompt.format,
          model: prompt.model ?? null,
          tokens,
          providerCount: provided?.[i]?.ok ? { endpoint: provided[i].endpointName, tokens: provided[i].tokens } : null,
          automaticCache: prompt.automaticCacheControl ? (prompt.automaticCacheControl.ttl ?? '5m') : null,
          promptCacheKey: prompt.promptCacheKey ?? null,
          blocks: rows,
        })),
        diagnostics: doc.diagnostics.map(({ severity, code, message, line, column }) => ({
          severity,
          code,
          message,
          line,
          column,
        })),
      }),
    );
    return failed.length ? 1 : 0;
  }
  const out: string[] = [];
  for (const [i, { prompt, rows, tokens }] of prompts.entries()) {
    const exactly = provided?.[i];
    const head = [
      prompt.label ? `${file} ${prompt.label}` : file,
      prompt.format,
      prompt.model ? `model ${prompt.model}` : '',
      `${choice.tokenizer.encoding}${choice.exact && prompts.every((p) => p.exact) ? '' : ' (estimate)'}`,
    ]
      .filter(Boolean)
      .join(' · ');
    const provider = exactly?.ok ? ` · exact (${exactly.endpointName}): ${exactly.tokens} tokens` : '';
    out.push(
      head,
      table(rows),
      `total ${tokens} tokens${provider}${prompt.automaticCacheControl ? ` · automatic caching (${prompt.automaticCacheControl.ttl ?? '5m'})` : ''}`,
      '',
    );
  }
  io.out(out.join('\n').trimEnd());
  return failed.length ? 1 : 0;
}

function table(rows: readonly BlockRow[]): string {
  const cells = [
    ['#', 'block', 'kind/role', 'tokens', 'cumulative', 'cache'],
    ...rows.map((r) => [
      String(r.index),
      r.label,
      r.role && r.role !== r.kind ? `${r.kind}/${r.role}` : r.kind,
      String(r.tokens),
      String(r.cumulative),
      r.breakpoint ? `breakpoint (${r.breakpoint})` : '',
    ]),
  ];
  const width = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const numeric = new Set([0, 3, 4]);
  return cells
    .map((row) =>
      row
        .map((v, c) => (numeric.has(c) ? v.padStart(width[c]) : v.padEnd(width[c])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
