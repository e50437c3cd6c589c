// Where a model file on the Hugging Face hub is fetched from and stored. The repository, file and revision come from
// settings, which a repository's .vscode/settings.json could set: joined as they are, `..` in them wrote a file
// outside the extension's storage. Each is checked to be what the hub itself accepts, and the storage path is made of
// those checked segments only, so it cannot leave the downloads folder.

export interface HubFileSettings {
  readonly hubUrl: string;
  readonly repo: string;
  readonly file: string;
  readonly revision: string;
  readonly sha256: string;
}

export type HubFile =
  | {
      readonly ok: true;
      readonly url: string;
      /** Path segments under the downloads folder. */ readonly storage: readonly string[];
      readonly sha256?: string;
    }
  | { readonly ok: false; readonly message: string };

// The hub's own rule for namespaces and repository names: letters, digits, '-', '_', '.', not starting or ending with
// '-' or '.', no '--' or '..'.
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$/;
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.+=@-]{0,254}$/;
const HEX64 = /^[0-9a-f]{64}$/i;

function badName(name: string): boolean {
  return !NAME.test(name) || name.includes('..') || name.includes('--');
}

/** A path inside a repository, or a revision: '/'-separated segments, none empty, '.', '..' or hidden by a leading dot. */
function badPath(p: string): boolean {
  return !p || p.split('/').some((s) => s === '.' || s === '..' || !SEGMENT.test(s));
}

export function hubFile(s: HubFileSettings): HubFile {
  let base: URL;
  try {
    base = new URL(s.hubUrl);
  } catch {
    return { ok: false, message: `kvlens.attention.hubUrl "${s.hubUrl}" is not a URL` };
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    return { ok: false, message: `kvlens.attention.hubUrl must be an http(s) URL (got ${base.protocol})` };
  if (base.username || base.password)
    return { ok: false, message: 'kvlens.attention.hubUrl must not carry a user name or password' };
  const parts = s.repo.split('/');
  if (parts.length > 2 || parts.some(badName))
    return {
      ok: false,
      message: `kvlens.attention.huggingFaceRepo "${s.repo}" is not a repository name (owner/name: letters, digits, '-', '_', '.')`,
    };
  if (badPath(s.file) || !s.file.endsWith('.onnx'))
    return {
      ok: false,
      message: `kvlens.attention.huggingFaceFile "${s.file}" is not a path to an .onnx file inside the repository`,
    };
  if (badPath(s.revision))
    return { ok: false, message: `kvlens.attention.revision "${s.revision}" is not a branch, tag or commit name` };
  if (s.sha256 && !HEX64.test(s.sha256))
    return { ok: false, message: 'kvlens.attention.sha256 must be 64 hexadecimal digits' };
  const enc = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  const url = `${base.origin}${base.pathname.replace(/\/+$/, '')}/${enc(s.repo)}/resolve/${encodeURIComponent(s.revision)}/${enc(s.file)}`;
  // The revision is one storage folder whatever its slashes ("refs/pr/1" → "refs%2Fpr%2F1"): a branch and a file
  // path can never meet in the same folder.
  return {
    ok: true,
    url,
    storage: [...parts, encodeURIComponent(s.revision), ...s.file.split('/')],
    ...(s.sha256 ? { sha256: s.sha256.toLowerCase() } : {}),
  };
}
