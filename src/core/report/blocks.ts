import type { DocumentReport } from '../analysis/documentReport';
import type { BlockReport } from '../cache/types';

// Blocks of a prompt (tools, system, messages) as people name them.

/** The block a token belongs to, by the report's per-block starts. */
export function blockOfToken(r: DocumentReport, token: number): BlockReport | undefined {
  const blocks = r.report.blocks;
  for (let i = blocks.length - 1; i >= 0; i--) if (blocks[i].start <= token) return blocks[i];
  return undefined;
}

/** "message 2 (user)" for "messages[2] user", "tools" for "tools (3)", "system" … — a block as people say it. */
export function blockName(b: BlockReport | undefined): string {
  if (!b) return 'the prompt';
  const m = /^(?:messages|input)\[(\d+)\](?:\.content\[\d+\])? (\w+)/.exec(b.label);
  if (m) return `message ${Number(m[1]) + 1} (${m[2]})`;
  if (b.kind === 'tools')
    return b.label.startsWith('tools[') ? `tool ${b.label.replace(/^tools\[\d+\]\s*/, '') || b.label}` : 'tools';
  if (b.kind === 'response_format') return 'the response schema';
  if (b.kind === 'system')
    return b.label.startsWith('system[')
      ? `system block ${Number(/\d+/.exec(b.label)![0]) + 1}`
      : b.label === 'instructions'
        ? 'instructions'
        : 'system';
  if (b.kind === 'text')
    return b.label === 'text' ? 'the prompt' : `section ${Number(/\d+/.exec(b.label)?.[0] ?? 0) + 1}`;
  return b.label;
}
