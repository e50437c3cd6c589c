import * as vscode from 'vscode';
import type { ModelShape } from '../../../core/attention/graphAdapt';
import { hubFile } from '../../../core/attention/hubFile';

// Where the attention panel's model comes from: the demo model shipped in the extension (works everywhere, offline),
// GPT-2 downloaded once from the Hugging Face hub into global storage (Node extension host only), or an ONNX file or
// folder on disk. Every model is read by the host and adapted (attention outputs exposed) before the panel gets it.

export type AttentionModelChoice =
  { readonly kind: 'demo' } | { readonly kind: 'hub' } | { readonly kind: 'local'; readonly path: string };

export interface LoadedModel {
  readonly id: string;
  readonly label: string;
  readonly demo: boolean;
  readonly shape: ModelShape;
  readonly heads: readonly (readonly string[])[];
  /**
   * The ONNX file the panel loads (the adapted copy where the export needed adapting); none for the demo, which the
   * panel builds from its seed. The version (and size) of the graph either way: the panel's cache keys on it.
   */
  readonly file: vscode.Uri | undefined;
  readonly version: string;
  readonly bytes: number;
}

/** Where adapted copies of models are kept; the attention panel may load files from here. */
export const adaptedFolder = (storage: vscode.Uri): vscode.Uri => vscode.Uri.joinPath(storage, 'adapted');
/** Where downloads go; the panel may load files from here too. */
export const downloadFolder = (storage: vscode.Uri): vscode.Uri => vscode.Uri.joinPath(storage, 'models');

const hashName = (id: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
};

/** The file's size and time: the version the panel's caches key on, and what says a source changed. */
export async function fileVersion(uri: vscode.Uri): Promise<{ version: string; bytes: number }> {
  const st = await vscode.workspace.fs.stat(uri);
  return { version: `${st.size}-${st.mtime}`, bytes: st.size };
}

/** What is kept beside an adapted copy: the source it was made from, and the shape read from it. */
interface Prepared {
  readonly source: string;
  readonly shape: ModelShape;
  /** The adapted bytes differ from the source (else the panel loads the source itself). */
  readonly copied: boolean;
}

/**
 * The model file the panel can load, prepared once: the original when nothing was added, else the adapted bytes
 * written beside the other adapted copies (models are sent to the webview as files it fetches, not as messages:
 * hundreds of MB). What was prepared is kept in global storage with the source's version, so a reload (or the next
 * window) reads neither the source nor its graph again while the source is unchanged.
 */
async function prepared(
  id: string,
  source: vscode.Uri,
  storage: vscode.Uri,
  reachable: boolean,
): Promise<{ file: vscode.Uri; shape: ModelShape }> {
  const dir = adaptedFolder(storage),
    name = hashName(id);
  const file = vscode.Uri.joinPath(dir, `${name}.onnx`),
    note = vscode.Uri.joinPath(dir, `${name}.json`);
  const { version } = await fileVersion(source);
  const kept = await vscode.workspace.fs.readFile(note).then(
    (b) => JSON.parse(new TextDecoder().decode(b)) as Prepared,
    () => undefined,
  );
  const copy = kept?.copied || !reachable;
  if (
    kept?.source === version &&
    (!copy ||
      (await fileVersion(file).then(
        () => true,
        () => false,
      )))
  )
    return { file: copy ? file : source, shape: kept.shape };
  const raw = await vscode.workspace.fs.readFile(source);
  const { bytes, shape } = await adapt(raw, source.fsPath);
  const copied = bytes !== raw;
  await vscode.workspace.fs.createDirectory(dir);
  if (copied || !reachable) await vscode.workspace.fs.writeFile(file, bytes);
  const keep: Prepared = { source: version, shape, copied };
  await vscode.workspace.fs.writeFile(note, new TextEncoder().encode(JSON.stringify(keep)));
  return { file: copied || !reachable ? file : source, shape };
}

/** Downloads a URL into a file (Node host: src/node/modelDownload.ts), with progress and cancel. */
export type Downloader = (req: {
  url: string;
  dest: string;
  sha256?: string;
  signal: AbortSignal;
  onProgress: (received: number, total: number | undefined) => void;
}) => Promise<{ file: string; bytes: number; reused: boolean }>;

export interface AttentionModelSettings {
  readonly hubUrl: string;
  readonly repo: string;
  readonly file: string;
  readonly revision: string;
  readonly sha256: string;
  readonly modelPath: string;
}

export function readAttentionSettings(): AttentionModelSettings {
  const c = vscode.workspace.getConfiguration('kvlens.attention');
  return {
    hubUrl: c.get<string>('hubUrl', 'https://huggingface.co').replace(/\/+$/, ''),
    repo: c.get<string>('huggingFaceRepo', 'openai-community/gpt2'),
    file: c.get<string>('huggingFaceFile', 'onnx/decoder_with_past_model.onnx'),
    revision: c.get<string>('revision', 'main'),
    sha256: c.get<string>('sha256', ''),
    modelPath: c.get<string>('modelPath', ''),
  };
}

export class ModelLoadError extends Error {}

/** Adapts an export for the panel. The ONNX schema (protobufjs) loads on first use: it would cost every activation. */
async function adapt(bytes: Uint8Array, where: string): Promise<{ bytes: Uint8Array; shape: ModelShape }> {
  const { adaptGpt2Graph, ModelShapeError } = await import('../../../core/attention/graphAdapt');
  try {
    return adaptGpt2Graph(bytes);
  } catch (e) {
    if (e instanceof ModelShapeError) throw new ModelLoadError(`${where}: ${e.message}`);
    throw e;
  }
}

const ONNX_NAMES = ['decoder_with_past_model.onnx', 'model_with_past.onnx', 'decoder_model.onnx', 'model.onnx'];

/** An .onnx file, or the first GPT-2 export with a KV cache in a folder (or its onnx/ subfolder). */
async function findOnnx(uri: vscode.Uri): Promise<vscode.Uri> {
  const stat = await vscode.workspace.fs.stat(uri).then(
    (s) => s,
    () => undefined,
  );
  if (!stat) throw new ModelLoadError(`${uri.fsPath}: no such file or folder (setting kvlens.attention.modelPath)`);
  if (stat.type & vscode.FileType.File) return uri;
  for (const dir of [uri, vscode.Uri.joinPath(uri, 'onnx')]) {
    const entries = await vscode.workspace.fs.readDirectory(dir).then(
      (e) => e.map(([n]) => n),
      () => [] as string[],
    );
    const name = ONNX_NAMES.find((n) => entries.includes(n)) ?? entries.find((n) => n.endsWith('.onnx'));
    if (name) return vscode.Uri.joinPath(dir, name);
  }
  throw new ModelLoadError(`${uri.fsPath}: no .onnx file in this folder or its onnx/ folder`);
}

export async function loadModel(
  choice: AttentionModelChoice,
  extensionUri: vscode.Uri,
  storage: vscode.Uri,
  downloader: Downloader | undefined,
): Promise<LoadedModel> {
  if (choice.kind === 'demo') {
    const dir = vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'models');
    // Described by the build (shape, heads, the graph's version): nothing to adapt; the panel builds the graph.
    const meta = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'demo-gpt2.json'));
    const info = JSON.parse(new TextDecoder().decode(meta)) as {
      label: string;
      heads: string[][];
      shape: ModelShape;
      version: string;
      bytes: number;
    };
    return {
      id: 'demo',
      label: info.label,
      demo: true,
      shape: info.shape,
      heads: info.heads,
      file: undefined,
      version: info.version,
      bytes: info.bytes,
    };
  }
  if (choice.kind === 'local') {
    const file = await findOnnx(vscode.Uri.file(choice.path));
    const id = `local:${file.fsPath}`;
    const ready = await prepared(id, file, storage, false);
    return {
      id,
      label: `${file.fsPath.split(/[\\/]/).slice(-2).join('/')} (local)`,
      demo: false,
      shape: ready.shape,
      heads: [],
      file: ready.file,
      ...(await fileVersion(ready.file)),
    };
  }
  const s = readAttentionSettings();
  if (!downloader)
    throw new ModelLoadError(
      'downloading a model needs the desktop (Node) extension host; in the browser, use the demo model',
    );
  // A download writes hundreds of MB fetched from a URL: not in a workspace the user has not trusted.
  if (!vscode.workspace.isTrusted)
    throw new ModelLoadError(
      'Restricted Mode: models are downloaded only in a trusted workspace (Manage Workspace Trust)',
    );
  const hub = hubFile(s);
  if (!hub.ok) throw new ModelLoadError(hub.message);
  const url = hub.url;
  const dest = vscode.Uri.joinPath(downloadFolder(storage), ...hub.storage);
  const folder = downloadFolder(storage).path.replace(/\/+$/, '');
  if (!dest.path.startsWith(`${folder}/`))
    throw new ModelLoadError(`the model's storage path leaves ${folder}; not downloaded`);
  const got = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `KV Lens: downloading ${s.repo}/${s.file}`,
      cancellable: true,
    },
    (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      let shownPct = 0;
      return downloader({
        url,
        dest: dest.fsPath,
        ...(hub.sha256 ? { sha256: hub.sha256 } : {}),
        signal: ac.signal,
        onProgress: (received, total) => {
          const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
          const pct = total ? Math.floor((100 * received) / total) : 0;
          progress.report({
            message: total ? `${mb(received)} of ${mb(total)}` : mb(received),
            ...(pct > shownPct ? { increment: pct - shownPct } : {}),
          });
          shownPct = Math.max(shownPct, pct);
        },
      });
    },
  );
  const id = `hub:${s.repo}/${s.file}@${s.revision}`;
  const ready = await prepared(id, vscode.Uri.file(got.file), storage, true);
  return {
    id,
    label: `${s.repo} (${s.file.split('/').pop()})`,
    demo: false,
    shape: ready.shape,
    heads: [],
    file: ready.file,
    ...(await fileVersion(ready.file)),
  };
}
