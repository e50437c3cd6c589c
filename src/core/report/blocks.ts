import type { DocumentReport } from '../analysis/documentReport';
import type { BlockInfo, BlockReport } from '../cache/types';

// Blocks of a prompt (tools, system, messages) as people name them.

/** The block a token belongs to, by the report's per-block starts. */
export function blockOfToken(r: DocumentReport, token: number): BlockReport | undefined {
  const blocks = r.report.blocks;
  for (let i = blocks.length - 1; i >= 0; i--) if (blocks[i].start <= token) return blocks[i];
  return undefined;
}

/**
 * A block as people say it, from its kind, role and place: "message 3 (user)" for messages[2], "tool get_weather",
 * "system block 2", "section 4" of a plain file cut by breakpoints, "the response schema", "the prompt".
 */
export function blockName(b: BlockInfo | undefined): string {
  if (!b) return 'the prompt';
  const p = b.place;
  switch (p?.list) {
    case 'messages':
    case 'input':
    case 'contents':
      return `message ${p.index + 1}${b.role ? ` (${b.role})` : ''}`;
    case 'tools':
      return b.name ? `tool ${b.name}` : `tool ${p.index + 1}`;
    case 'system':
      return `system block ${p.index + 1}`;
    case 'text':
      return `section ${p.index + 1}`;
    case undefined:
      break;
  }
  switch (b.kind) {
    case 'tools':
      return 'tools';
    case 'response_format':
      return 'the response schema';
    case 'system':
      return b.name ?? 'system';
    case 'text':
      return 'the prompt';
    default:
      return b.label;
  }
}
