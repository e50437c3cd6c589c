import * as vscode from 'vscode';
import { HARNESS_NAMES } from '../../core/agents';
import type { AgentPlacements } from '../analysis/agentPlacements';
import { effectShort, ordered, placementLine } from './agentText';
import { count } from '../../core/report/numbers';

/**
 * The lens over an open instruction file: where it lands in the request of the agent whose file it is (tokens, when
 * loaded, cost per session), when an edit takes effect, and which other agents load it — a click lists them all.
 */
export class AgentLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly placements: AgentPlacements,
    private readonly enabled: () => boolean,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.enabled() || !this.placements.isInstructionFile(doc)) return [];
    const a = this.placements.last(doc);
    if (!a) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const all = ordered(a);
    const open = { command: 'kvlens.agentPlacements', arguments: [doc.uri] };
    const first = all[0];
    if (!first || first.loaded === 'never')
      return [
        new vscode.CodeLens(top, {
          title: `$(hubot) ${first ? `Not loaded by the agents in ${a.ctx.dir.split('/').pop()}: ${placementLine(first, a)}` : 'No coding agent recognises this file here'}`,
          ...open,
        }),
      ];
    const lenses = [
      new vscode.CodeLens(top, { title: `$(hubot) ${placementLine(first, a)}`, ...open }),
      new vscode.CodeLens(top, {
        title:
          first.invalidates.when === 'next-session'
            ? `${effectShort(first)}; running sessions keep their cache`
            : `${effectShort(first)}: re-writes ≈${count(first.invalidates.instructionTokensAfter)} tokens + the conversation`,
        ...open,
      }),
    ];
    const others = all.slice(1).filter((p) => p.loaded !== 'never');
    if (others.length)
      lenses.push(
        new vscode.CodeLens(top, {
          title: `also ${others.map((p) => `${p.displayName} ${count(p.tokens)}`).join(' · ')}`,
          ...open,
        }),
      );
    // Where an agent stops sending the file, say so on that line.
    for (const c of a.ranges.cut) {
      const line = doc.positionAt(c.start).line;
      const name = HARNESS_NAMES[c.harness];
      lenses.push(
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: `$(circle-slash) ${name} never sends ${c.why === 'budget' ? 'from here on: its byte budget is spent' : 'the rest of this description: its listing keeps no more'}`,
          ...open,
        }),
      );
    }
    return lenses;
  }
}
