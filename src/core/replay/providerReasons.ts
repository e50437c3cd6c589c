import type { MissReason } from './replay';

// The providers' own explanations of a cache miss (Anthropic's `diagnostics.cache_miss_reason.type`, OpenAI's
// Responses `prompt_cache_diagnostics`), and which of KV Lens's reasons each one agrees with. A reason the provider
// gives for "could not compare" (unavailable, pending) is not counted either way.
const AGREES: Readonly<Record<string, readonly MissReason[]>> = {
  model_changed: ['model-switch', 'cold'],
  model_mismatch: ['model-switch', 'cold'],
  system_changed: ['instructions-changed', 'prefix-changed'],
  instructions_changed: ['instructions-changed', 'prefix-changed'],
  tools_changed: ['tools-changed', 'prefix-changed'],
  tools_mismatch: ['tools-changed', 'prefix-changed'],
  messages_changed: ['prefix-changed', 'compaction', 'clear'],
  input_changed: ['prefix-changed', 'compaction', 'clear'],
  prefix_changed: ['prefix-changed', 'compaction', 'clear'],
  previous_message_not_found: ['ttl-expired', 'cold'],
  expired: ['ttl-expired'],
  ttl_expired: ['ttl-expired'],
  evicted: ['evicted', 'rerouted', 'unexplained'],
  cache_evicted: ['evicted', 'rerouted', 'unexplained'],
};

/** Whether the provider's reason agrees with ours; undefined when it is one that says nothing (or is unknown). */
export function providerAgrees(providerReason: string, ours: MissReason): boolean | undefined {
  const agrees = AGREES[providerReason.toLowerCase()];
  return agrees ? agrees.includes(ours) : undefined;
}

/** Running count of the comparisons, for a summary. */
export class ReasonAgreement {
  compared = 0;
  agreed = 0;

  /** Records one miss; returns whether the provider agreed (undefined when not comparable). */
  add(providerReason: string | undefined, ours: MissReason): boolean | undefined {
    if (!providerReason || ours === 'cached') return undefined;
    const a = providerAgrees(providerReason, ours);
    if (a === undefined) return undefined;
    this.compared++;
    if (a) this.agreed++;
    return a;
  }

  summary(): { compared: number; agreed: number; agreement: number | null } {
    return {
      compared: this.compared,
      agreed: this.agreed,
      agreement: this.compared ? Math.round((1000 * this.agreed) / this.compared) / 1000 : null,
    };
  }
}
