import * as vscode from 'vscode';
import type { BaselineInput, DocumentReportResult } from '../../core/analysis/documentReport';
import { LiveReport } from '../../core/analysis/liveReport';
import { fileModelCandidate } from '../../core/analysis/fileModel';
import { volatileLines, type VolatileLine } from '../../core/analysis/volatileLines';
import { chooseModel, failedChoiceResult, type ModelChoice } from '../../core/analysis/modelChoice';
import { tokenizerForModel } from '../../core/pricing/modelTokenizer';
import { preloadEncoding } from '../../core/tokenizer/openAiEncodings';
import { parsePrompt } from '../../core/prompt/parse';
import { pretokenize } from '../../core/prompt/pretokenize';
import type { PromptDocument } from '../../core/prompt/types';
import type { ModelInfo } from '../../core/pricing/types';
import type { TextEdit } from '../../core/tokenizer/types';
import { STEADY_STATE } from '../../core/analysis/versions';
import type { Baselines } from '../baseline/baselines';
import type { Clock } from './clock';
import type { PickedModels } from '../settings/pickedModels';
import type { KvLensSettings } from '../settings/settings';
import type { UserCatalog } from '../pricing/userCatalog';
import { AnalysisMetrics } from './analysisMetrics';
import { DocumentScheduler } from './documentScheduler';

/** Documents larger than this are analyzed after a pause in typing rather than on every keystroke. */
const LIVE_CHARS = 256 * 1024;
const PAUSE_MS = 300;

export interface Analysis {
  readonly uri: string;
  readonly version: number;
  readonly parsed: PromptDocument;
  readonly model: ModelChoice;
  readonly baseline: BaselineInput;
  readonly result: DocumentReportResult;
  /** Lines that changed in most of the file's recent versions (git history, recorded sends). */
  readonly volatile: readonly VolatileLine[];
  /** How many earlier versions the history had. */
  readonly versions: number;
  /** When the analysis ran (the extension's clock), for the TTL countdown. */
  readonly at: number;
  readonly ms: number;
  /** 'live' when the report followed the edits (LiveReport), 'full' when the whole text was analyzed. */
  readonly path: 'live' | 'full';
}

/** A document's LiveReport, the version it is at, and what it was started with. */
interface Following {
  readonly live: LiveReport;
  version: number;
  readonly baseline: BaselineInput;
  readonly model: ModelChoice;
}

/** Change events kept for the live path: at most this many versions behind. */
const MAX_PENDING = 256;

const sameBaseline = (a: BaselineInput, b: BaselineInput): boolean =>
  a.kind === b.kind && a.label === b.label && a.sentAt === b.sentAt && a.fileName === b.fileName && a.text === b.text;

/**
 * The cache report of each prompt document, kept current: edits are followed (LiveReport) where they can be, else
 * the whole text is analyzed again (after a pause for big documents); also on a baseline, model, catalog or setting
 * change, and when the clock passes a recorded send's TTL. Core does the work (LiveReport gives documentReport's
 * answer, the same as `kvlens analyze`). This class decides what a run does — follow the edits or analyze the whole
 * text — and keeps the results and the change events it follows; DocumentScheduler times the runs per document and
 * answers the callers waiting for one, AnalysisMetrics records how they went.
 */
export class CacheAnalyses implements vscode.Disposable {
  private readonly results = new Map<string, Analysis>();
  private readonly scheduler = new DocumentScheduler<Analysis>((doc) => this.run(doc));
  private readonly analyzed = new vscode.EventEmitter<vscode.TextDocument>();
  readonly onDidAnalyze = this.analyzed.event;
  private readonly metrics = new AnalysisMetrics();
  /** Timing of the last analyses, for the debug command and the benchmark. */
  readonly timings = this.metrics.timings;
  /** How the last analyses ran: followed edits or whole text, and why the live path declined. */
  readonly paths = this.metrics.paths;
  /** Change event → report applied (decorations, status bar, diagnostics: the listeners of onDidAnalyze), in ms. */
  readonly keystrokes = this.metrics.keystrokes;
  private readonly following = new Map<string, Following>();
  private readonly pending = new Map<string, { version: number; changes: TextEdit[] }[]>();

  constructor(
    private readonly deps: {
      readonly catalog: UserCatalog;
      readonly settings: (uri?: vscode.Uri) => KvLensSettings;
      readonly baselines: Baselines;
      readonly clock: Clock;
      readonly models: PickedModels;
      /** The KV Lens output channel: what was analyzed and how long it took (info), why edits were not followed (debug). */
      readonly log?: Pick<vscode.LogOutputChannel, 'info' | 'debug' | 'trace' | 'warn'>;
    },
  ) {}

  get(doc: vscode.TextDocument): Analysis | undefined {
    const a = this.results.get(doc.uri.toString());
    return a && a.version === doc.version ? a : undefined;
  }

  /** The latest analysis even if the document changed since (for decorations while the next one runs). */
  last(doc: vscode.TextDocument): Analysis | undefined {
    return this.results.get(doc.uri.toString());
  }

  /** Notes a change event (for the live path) and schedules an analysis. */
  edited(ev: vscode.TextDocumentChangeEvent): void {
    const key = ev.document.uri.toString();
    // Kept even while nothing is followed: an analysis of the whole text in flight starts following its version.
    const list = this.pending.get(key) ?? [];
    list.push({
      version: ev.document.version,
      changes: ev.contentChanges.map((c) => ({
        start: c.rangeOffset,
        end: c.rangeOffset + c.rangeLength,
        text: c.text,
      })),
    });
    if (list.length > MAX_PENDING) list.splice(0, list.length - MAX_PENDING);
    this.pending.set(key, list);
    this.metrics.edited(key);
    this.schedule(ev.document);
  }

  /** Schedules an analysis of the document's current version. */
  schedule(doc: vscode.TextDocument): void {
    // A big document is analyzed live when its edits can be followed; from its whole text only after a pause.
    const delay = this.size(doc) > LIVE_CHARS && !this.following.has(doc.uri.toString()) ? PAUSE_MS : 0;
    this.scheduler.schedule(doc, delay);
  }

  /** Resolves with the analysis of the document's current version (scheduling one if needed). */
  current(doc: vscode.TextDocument): Promise<Analysis | undefined> {
    const have = this.get(doc);
    if (have) return Promise.resolve(have);
    return this.scheduler.wait(doc, () => this.schedule(doc));
  }

  /**
   * Re-analyzes these documents (their baseline or model changed); every other document keeps its result, so its
   * lenses and hints stay as they are.
   */
  invalidate(docs: readonly vscode.TextDocument[]): void {
    for (const d of docs) {
      const key = d.uri.toString();
      this.results.delete(key);
      this.unfollow(key);
      this.pending.delete(key);
      this.schedule(d);
    }
  }

  /** Forgets every result (catalog or a setting changed: any document may change) and re-analyzes the given ones. */
  invalidateAll(docs: readonly vscode.TextDocument[]): void {
    this.results.clear();
    this.following.clear();
    this.pending.clear();
    for (const d of docs) this.schedule(d);
  }

  forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.results.delete(key);
    this.unfollow(key);
    this.pending.delete(key);
    this.scheduler.forget(key);
  }

  private unfollow(key: string): void {
    this.following.delete(key);
  }

  private size(doc: vscode.TextDocument): number {
    // offsetAt of the end position is O(1) in the extension host's line model; getText() would copy the document.
    return doc.offsetAt(new vscode.Position(doc.lineCount, 0));
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const analysis = await this.scheduler.during(key, doc.version, () => this.analyze(doc));
    if (doc.isClosed) return;
    if (analysis) {
      this.results.set(key, analysis);
      this.logAnalysis(doc, analysis);
      this.metrics.analyzed(analysis.path, analysis.ms);
    }
    const waitingStill = this.scheduler.settle(doc, analysis, () => this.get(doc));
    if (analysis && analysis.version !== doc.version)
      this.schedule(doc); // edited while the baseline was read
    else if (waitingStill) this.schedule(doc);
    if (!analysis) return;
    this.analyzed.fire(doc);
    // The first change since the last report to this one being shown: what a keystroke waits for.
    if (analysis.version === doc.version) this.metrics.shown(key, analysis.path, this.size(doc));
  }

  private async analyze(doc: vscode.TextDocument): Promise<Analysis | undefined> {
    const settings = this.deps.settings(doc.uri);
    const version = doc.version;
    const size = this.size(doc);
    if (size > settings.maxFileSizeMB * 1024 * 1024) {
      // Declined before reading the text: the whole point is not to spend time on it.
      const mb = (n: number) => (n / 1048576).toFixed(n >= 10 * 1048576 ? 0 : 1);
      const message = `too large to analyze live (${mb(size)} MB > ${settings.maxFileSizeMB} MB, setting kvlens.maxFileSizeMB); \`kvlens analyze\` on the command line takes it`;
      return this.record(doc.uri.toString(), version, 'full', {
        parsed: { prompts: [], diagnostics: [] },
        model: { ok: false, message, from: 'default' },
        baseline: { kind: 'steady', label: STEADY_STATE },
        result: { ok: false, message },
        volatile: [],
        versions: 0,
        ms: 0,
      });
    }
    const followed = await this.follow(doc, size);
    if (followed !== 'declined' && followed !== undefined) return followed === 'typed on' ? undefined : followed;
    if (followed === 'declined' && size > LIVE_CHARS) {
      // The whole text of a big document is analyzed after a pause in typing, as before the live path.
      this.schedule(doc);
      return undefined;
    }
    const text = doc.getText();
    const baseline = await this.deps.baselines.resolve(doc, { length: text.length, text: () => text });
    const history = text.length <= LIVE_CHARS ? await this.deps.baselines.history(doc) : [];
    // Where the rank data is fetched (the web host), it must be there before the first tokenization.
    await preloadEncoding('o200k_base').catch(() => undefined);
    if (doc.version !== version) return undefined; // typed on while git answered: the next run picks it up
    const t0 = performance.now();
    const parsed = parsePrompt(text, { fileName: doc.uri.path, languageId: doc.languageId });
    const model = chooseModel(
      this.deps.catalog.current,
      this.deps.models.candidates(
        doc.uri,
        fileModelCandidate(parsed, text, vscode.workspace.asRelativePath(doc.uri, false)),
        settings.model,
      ),
    );
    let result: DocumentReportResult;
    if (model.ok) await preloadEncoding(model.model.encoding).catch(() => undefined);
    const key = doc.uri.toString();
    this.unfollow(key);
    const before = performance.now() - t0;
    if (model.ok && !(await this.tokenizeLongSegments(doc, version, parsed, baseline, model.model))) return undefined;
    const t1 = performance.now();
    if (!model.ok) result = failedChoiceResult(model, text);
    else {
      try {
        const start = LiveReport.start({
          text,
          fileName: doc.uri.path,
          languageId: doc.languageId,
          model: model.model,
          tokenizer: tokenizerForModel(model.model).tokenizer,
          baseline,
          now: this.deps.clock.now(),
          parsed,
        });
        result = start.result;
        // From here on, edits to this version are followed instead of analyzing the whole text again.
        if (start.live) this.following.set(key, { live: start.live, version, baseline, model });
      } catch (e) {
        // A bug of ours must not take the editor down with it; say so where the report would be.
        result = { ok: false, message: `internal error while analyzing: ${(e as Error).message}` };
      }
    }
    // Change events up to this version are done with (a pasted text in one is not kept alive).
    this.pending.set(
      key,
      (this.pending.get(key) ?? []).filter((e) => e.version > version),
    );
    const volatile = volatileLines(text, history);
    // ms: the parts that run without yielding (parse and model choice, then the analysis); the tokenization steps yield.
    return this.record(key, version, 'full', {
      parsed,
      model,
      baseline,
      result,
      volatile,
      versions: history.length,
      ms: before + (performance.now() - t1),
    });
  }

  /**
   * Tokenizes the long segments of the document and of its baseline in steps of ~8 ms, yielding to the host between
   * them, so the analysis that follows finds them done; false when the document changed meanwhile.
   */
  private async tokenizeLongSegments(
    doc: vscode.TextDocument,
    version: number,
    parsed: PromptDocument,
    baseline: BaselineInput,
    model: ModelInfo,
  ): Promise<boolean> {
    const tokenizer = tokenizerForModel(model).tokenizer;
    const wanted = () => !doc.isClosed && doc.version === version;
    const yieldNow = () => new Promise<void>((r) => setTimeout(r, 0));
    if (!(await pretokenize(parsed, tokenizer, yieldNow, wanted))) return false;
    if (baseline.kind === 'steady' || baseline.text === undefined) return true;
    return pretokenize(
      parsePrompt(baseline.text, { fileName: baseline.fileName ?? doc.uri.path }),
      tokenizer,
      yieldNow,
      wanted,
    );
  }

  /**
   * The report of the document's current version by following its edits since the last one (LiveReport), or why
   * not: undefined (nothing to follow), 'declined' (the whole text must be analyzed), 'typed on' (a newer version came).
   */
  private async follow(
    doc: vscode.TextDocument,
    size: number,
  ): Promise<Analysis | 'declined' | 'typed on' | undefined> {
    const key = doc.uri.toString();
    const f = this.following.get(key);
    if (!f) return undefined;
    const version = doc.version;
    const edits = (this.pending.get(key) ?? []).filter((e) => e.version > f.version);
    // Every version since the one followed must be there, in order (a missed event means the text is unknown).
    if (!edits.length || edits.at(-1)!.version !== version || edits.some((e, i) => e.version !== f.version + 1 + i))
      return this.declined(key, 'change events missing');
    const baseline = await this.deps.baselines.resolve(doc, { length: size, text: () => doc.getText() });
    const history = size <= LIVE_CHARS ? await this.deps.baselines.history(doc) : [];
    if (doc.version !== version) return 'typed on';
    if (!sameBaseline(baseline, f.baseline)) return this.declined(key, 'the baseline changed');
    const t0 = performance.now();
    let result: DocumentReportResult | undefined;
    try {
      result = f.live.update(
        edits.flatMap((e) => e.changes),
        this.deps.clock.now(),
      );
    } catch (e) {
      return this.declined(key, `internal error: ${(e as Error).message}`);
    }
    // The live text must be the document's: a length check is O(1) and catches a lost or misread event.
    if (!result || f.live.text.length !== size)
      return this.declined(
        key,
        result ? 'the followed text lost step with the document' : (f.live.declined ?? 'declined'),
      );
    f.version = version;
    this.pending.set(
      key,
      (this.pending.get(key) ?? []).filter((e) => e.version > version),
    );
    const volatile = history.length ? volatileLines(f.live.source, history) : [];
    return this.record(key, version, 'live', {
      parsed: f.live.parsed,
      model: f.model,
      baseline,
      result,
      volatile,
      versions: history.length,
      ms: performance.now() - t0,
    });
  }

  /** An analysis of a document's version (the one place the record is made), stamped with the extension's clock. */
  private record(
    uri: string,
    version: number,
    path: Analysis['path'],
    parts: Omit<Analysis, 'uri' | 'version' | 'path' | 'at'>,
  ): Analysis {
    return { uri, version, ...parts, at: this.deps.clock.now(), path };
  }

  /** One line per analysis: whole-text ones at info, followed keystrokes at trace (the channel's level decides). */
  private logAnalysis(doc: vscode.TextDocument, a: Analysis): void {
    const log = this.deps.log;
    if (!log) return;
    const file = vscode.workspace.asRelativePath(doc.uri, false);
    if (!a.model.ok) {
      log.warn(`${file}: ${a.model.message}`);
      return;
    }
    if (!a.result.ok) {
      log.warn(`${file}: ${a.result.message}`);
      return;
    }
    const r = a.result.value.report,
      n = (x: number) => x.toLocaleString('en-US');
    const line = `${file} v${a.version}: ${n(r.tokens)} tokens (${a.model.model.id}, ${r.tokenizer.encoding}${r.tokenizer.exact ? '' : ', estimated'}), ${n(r.cachedTokens)} cached against ${r.baseline.label}${r.firstDivergence ? `, breaks at line ${r.firstDivergence.line}` : ''} — ${a.ms.toFixed(1)} ms (${a.path === 'live' ? 'edit followed' : 'whole text'})`;
    if (a.path === 'live') log.trace(line);
    else log.info(line);
  }

  private declined(key: string, why: string): 'declined' {
    this.deps.log?.debug(
      `${vscode.workspace.asRelativePath(vscode.Uri.parse(key), false)}: the whole text is analyzed again (${why})`,
    );
    this.unfollow(key);
    this.metrics.declined(why);
    return 'declined';
  }

  dispose(): void {
    this.scheduler.dispose();
    this.analyzed.dispose();
  }
}
