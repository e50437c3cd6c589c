import * as vscode from 'vscode';
import { CountClient, type ExactCount } from '../../core/exactCount/countClient';
import {
  baseUrlFromEnv,
  countRequestFor,
  isCountProvider,
  type CountProvider,
} from '../../core/exactCount/countRequest';
import type { CacheAnalyses } from '../analysis/cacheAnalyses';

const PROVIDER_NAMES: Record<CountProvider, string> = {
  anthropic: 'Anthropic',
  google: 'Google Gemini',
  openai: 'OpenAI',
};
const secretName = (p: CountProvider) => `kvlens.apiKey.${p}`;

/** A provider's count of one document version. */
export interface ProvidedCount {
  readonly version: number;
  readonly result: ExactCount;
}

/**
 * The providers' own token counts of the active prompt, on request: with the key the user stored in VS Code's
 * SecretStorage (never in settings, never logged), only when asked — the command each time, or the user-level setting
 * `kvlens.exactCounts` (which a workspace cannot turn on) on open and save in a trusted workspace. Answers are kept per
 * content (core's CountClient), so re-counting an unchanged prompt sends nothing.
 */
export class ExactCounts implements vscode.Disposable {
  private readonly client = new CountClient({ fetch: globalThis.fetch.bind(globalThis), timeoutMs: 15_000 });
  private readonly byUri = new Map<string, ProvidedCount>();
  private readonly changedEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changedEmitter.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly analyses: CacheAnalyses,
    private readonly log: (line: string) => void,
  ) {}

  /** The count of this version of a document, if one was made. */
  of(uri: string, version: number): ExactCount | undefined {
    const c = this.byUri.get(uri);
    return c && c.version === version ? c.result : undefined;
  }

  automatic(): boolean {
    return vscode.workspace.getConfiguration('kvlens').get<boolean>('exactCounts', false) && vscode.workspace.isTrusted;
  }

  /** `key` given (scripts, tests): stored without asking. */
  async setKey(provider?: CountProvider, given?: string): Promise<boolean> {
    if (provider && isCountProvider(provider) && typeof given === 'string' && given.trim()) {
      await this.secrets.store(secretName(provider), given.trim());
      return true;
    }
    const p =
      provider ??
      (
        await vscode.window.showQuickPick(
          (Object.keys(PROVIDER_NAMES) as CountProvider[]).map((id) => ({ label: PROVIDER_NAMES[id], id })),
          { title: 'KV Lens: the provider whose key counts tokens exactly' },
        )
      )?.id;
    if (!p) return false;
    const key = await vscode.window.showInputBox({
      title: `KV Lens: ${PROVIDER_NAMES[p]} API key`,
      prompt: `Kept in VS Code's secret storage; sent only to ${PROVIDER_NAMES[p]}'s token-counting endpoint, when you ask for an exact count.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'the key is empty'),
    });
    if (!key) return false;
    await this.secrets.store(secretName(p), key.trim());
    return true;
  }

  async clearKeys(): Promise<void> {
    for (const p of Object.keys(PROVIDER_NAMES) as CountProvider[]) await this.secrets.delete(secretName(p));
    this.byUri.clear();
  }

  /**
   * Counts the document's prompt with its model's provider. `interactive`: the user ran the command, so a missing key
   * is asked for and the answer is shown; otherwise (automatic) a missing key just means no count.
   */
  async count(doc: vscode.TextDocument, interactive: boolean): Promise<ExactCount | undefined> {
    const a = await this.analyses.current(doc);
    const say = (message: string): ExactCount => {
      if (interactive) void vscode.window.showWarningMessage(`KV Lens: ${message}`);
      return { ok: false, message };
    };
    if (!a) return say('this file is not a prompt KV Lens analyzes');
    if (!a.model.ok) return say(a.model.message);
    const model = a.model.model;
    if (!isCountProvider(model.provider))
      return say(
        `${model.displayName}: ${model.provider} has no token-counting endpoint; the count shown is KV Lens's own`,
      );
    const prompt = a.parsed.prompts[0];
    if (!prompt) return say('no prompt found in this file; nothing was sent');
    // The Node host reads the SDKs' base-URL variables of the user's own environment; the web host has none.
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    const req = countRequestFor(prompt, doc.getText(), model.provider, model.id, baseUrlFromEnv(model.provider, env));
    if (typeof req === 'string') return say(req);
    let key = await this.secrets.get(secretName(model.provider));
    if (!key && interactive && (await this.setKey(model.provider)))
      key = await this.secrets.get(secretName(model.provider));
    if (!key)
      return interactive
        ? say(`no ${PROVIDER_NAMES[model.provider]} API key: run "KV Lens: Set API Key for Exact Counts"`)
        : undefined;
    const version = doc.version;
    const result = interactive
      ? await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Window,
            title: `KV Lens: counting with ${PROVIDER_NAMES[model.provider]}…`,
          },
          () => this.client.count(req, key!),
        )
      : await this.client.count(req, key);
    this.log(
      `exact count of ${vscode.workspace.asRelativePath(doc.uri)} (${model.id}): ${result.ok ? `${result.tokens} tokens from ${result.endpointName}${result.cached ? ' (remembered)' : ''}` : result.message}`,
    );
    this.byUri.set(doc.uri.toString(), { version, result });
    this.changedEmitter.fire(doc.uri);
    if (interactive) {
      if (result.ok) {
        const r = a.result.ok ? a.result.value.report : undefined;
        const ours = r
          ? ` · KV Lens counted ${r.tokens.toLocaleString('en-US')} (${r.tokenizer.exact ? 'exact' : 'estimate'}, ${signedPct(r.tokens, result.tokens)})`
          : '';
        void vscode.window.showInformationMessage(
          `KV Lens: ${result.tokens.toLocaleString('en-US')} input tokens — exact (${result.endpointName}, ${PROVIDER_NAMES[model.provider]})${ours}`,
        );
      } else void vscode.window.showErrorMessage(`KV Lens: exact count failed: ${result.message}`);
    }
    return result;
  }

  dispose(): void {
    this.changedEmitter.dispose();
  }
}

function signedPct(ours: number, theirs: number): string {
  const d = theirs ? ((ours - theirs) / theirs) * 100 : 0;
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} %`;
}

/** "KV Lens: Count Tokens Exactly", "Set API Key for Exact Counts", "Forget API Keys"; automatic counts on open/save. */
export function registerExactCounts(
  counts: ExactCounts,
  isPrompt: (doc: vscode.TextDocument) => boolean,
): vscode.Disposable[] {
  const auto = (doc: vscode.TextDocument | undefined) => {
    if (doc && counts.automatic() && isPrompt(doc)) void counts.count(doc, false);
  };
  return [
    counts,
    vscode.commands.registerCommand('kvlens.countExactly', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc) {
        void vscode.window.showWarningMessage('KV Lens: open a prompt file to count it exactly');
        return undefined;
      }
      return counts.count(doc, true);
    }),
    vscode.commands.registerCommand('kvlens.setApiKey', (provider?: CountProvider, key?: string) =>
      counts.setKey(provider, key),
    ),
    vscode.commands.registerCommand('kvlens.forgetApiKeys', async () => {
      await counts.clearKeys();
      void vscode.window.setStatusBarMessage('KV Lens: API keys forgotten', 4000);
    }),
    vscode.workspace.onDidSaveTextDocument(auto),
    vscode.window.onDidChangeActiveTextEditor((e) => auto(e?.document)),
  ];
}
