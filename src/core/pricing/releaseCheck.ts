import { familyRuleFor, findModel, listModels, nameCandidates } from './catalog';
import { compareVersions, versionOf } from './modelVersion';

/*
 * "What changed at the providers", as a check the code can run: a model id that an independent price table (or a
 * dated page) names, that belongs to a family the catalog knows (families.json), is newer than every model the
 * catalog lists in that family, and is not itself listed. Such an id is priced and counted only by the family rule
 * (assumed figures): a release the catalog missed.
 */

export interface SeenModel {
  readonly id: string;
  /** Where the id was seen: the table and its version, or a page and its date. */
  readonly source: string;
}

export interface MissingRelease {
  readonly id: string;
  readonly family: string;
  /** The newest model the catalog lists in that family. */
  readonly newestListed: string;
  readonly source: string;
}

const newer = (a: readonly number[], b: readonly number[]): boolean => compareVersions(a, b) > 0;

/** The ids of `seen` that are missing releases of a family the catalog knows (first sighting of each id kept). */
export function missingReleases(seen: readonly SeenModel[]): MissingRelease[] {
  const newest = new Map<string, { id: string; version: number[] }>();
  for (const m of listModels()) {
    const rule = familyRuleFor(m.id);
    if (!rule) continue;
    const v = versionOf(m.id),
      best = newest.get(rule.label);
    if (!best || newer(v, best.version)) newest.set(rule.label, { id: m.id, version: v });
  }
  const out = new Map<string, MissingRelease>();
  for (const s of seen) {
    const rule = familyRuleFor(s.id);
    const best = rule && newest.get(rule.label);
    if (!rule || !best) continue;
    const found = findModel(s.id);
    if (found.ok && found.model.origin !== 'family') continue;
    const key = nameCandidates(s.id).at(-1) ?? s.id;
    if (newer(versionOf(s.id), best.version) && !out.has(key))
      out.set(key, { id: s.id, family: rule.label, newestListed: best.id, source: s.source });
  }
  return [...out.values()];
}
