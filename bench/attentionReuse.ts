// One measurement of the attention panel's prompt cache, shared by the benchmark's Node half and its browser half:
// median time of a full run against a run on a cached prefix, and the largest logit difference between the two.
import type { KvSession } from '../src/core/attention/kvSession';

export interface ReuseTiming {
  readonly fullMs: number;
  readonly cachedMs: number;
  readonly reused: number;
  readonly maxAbsDiffLogits: number;
}

export async function measureReuse(
  s: KvSession,
  ids: readonly number[],
  prefix: number,
  reps: number,
): Promise<ReuseTiming> {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  await s.run(ids.slice(0, 8), 0); // warm-up
  const full: number[] = [],
    cached: number[] = [];
  let diff = 0,
    reused = 0;
  for (let i = 0; i < reps; i++) {
    s.clear();
    full.push((await s.run(ids, 0)).ms);
    s.clear();
    await s.run(ids.slice(0, prefix), 0);
    const r = await s.run(ids, 0);
    cached.push(r.ms);
    reused = r.reused;
    if (i === 0) diff = (await s.verify(ids, r)).maxAbsDiffLogits;
  }
  return { fullMs: med(full), cachedMs: med(cached), reused, maxAbsDiffLogits: diff };
}
