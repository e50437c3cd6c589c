import { CountClient, type ExactCount } from '../core/exactCount/countClient';
import { baseUrlFromEnv, countRequestFor, isCountProvider, type CountProvider } from '../core/exactCount/countRequest';
import type { Prompt } from '../core/prompt/types';
import { CliError } from './io';

/*
 * `--exact` / KVLENS_EXACT=1: the provider's own count, with the user's key from the environment (the variables the
 * providers' SDKs read). Nothing is sent without that opt-in; the request goes to the provider's API (or the base URL
 * its SDK would use: ANTHROPIC_BASE_URL, OPENAI_BASE_URL, GOOGLE_GEMINI_BASE_URL) and nowhere else.
 */

const KEYS: Record<CountProvider, readonly string[]> = {
  anthropic: ['ANTHROPIC_API_KEY'],
  google: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  openai: ['OPENAI_API_KEY'],
};

export function exactRequested(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return !!flag || env.KVLENS_EXACT === '1';
}

/** The provider's count of each prompt (in order), or a CliError naming what is missing. */
export async function exactCounts(
  file: string,
  text: string,
  prompts: readonly Prompt[],
  provider: string,
  model: string,
  env: NodeJS.ProcessEnv = process.env,
  client = new CountClient({ fetch: globalThis.fetch, timeoutMs: Number(env.KVLENS_EXACT_TIMEOUT_MS) || 15_000 }),
): Promise<ExactCount[]> {
  if (!isCountProvider(provider))
    throw new CliError(
      `${file}: --exact: ${provider} has no token-counting endpoint; the count shown is KV Lens's own`,
    );
  const name = KEYS[provider].find((k) => env[k]);
  if (!name)
    throw new CliError(
      `${file}: --exact needs ${KEYS[provider].join(' or ')} (the key is sent to ${provider}'s counting endpoint only)`,
    );
  const base = baseUrlFromEnv(provider, env);
  const out: ExactCount[] = [];
  for (const p of prompts) {
    const req = countRequestFor(p, text, provider, model, base);
    out.push(typeof req === 'string' ? { ok: false, message: req } : await client.count(req, env[name]!));
  }
  return out;
}
