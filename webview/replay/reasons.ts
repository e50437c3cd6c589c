import { MISS_CLASS, type MissClass } from '../../src/core/replay/missClass';
import type { MissReason } from '../../src/core/replay/replay';
import { themeColor } from '../shared/vscodeApi';

// How the replay report shows a miss reason: its colour (a theme chart colour, with a fallback) and what it means in
// a few words. Both maps are keyed by the union, so a new reason does not compile until it has both.

const REASON_COLOR: Record<MissReason, [string, string]> = {
  cached: ['charts.green', '#89d185'],
  cold: ['charts.blue', '#3794ff'],
  'warm-before-log': ['charts.green', '#89d185'],
  'ttl-expired': ['charts.yellow', '#cca700'],
  'prefix-changed': ['charts.red', '#f14c4c'],
  'below-minimum': ['charts.purple', '#b180d7'],
  'breakpoint-limits': ['charts.orange', '#d18616'],
  'model-switch': ['charts.orange', '#d18616'],
  'instructions-changed': ['charts.red', '#f14c4c'],
  'tools-changed': ['charts.red', '#f14c4c'],
  compaction: ['charts.blue', '#3794ff'],
  clear: ['charts.blue', '#3794ff'],
  'not-predicted': ['descriptionForeground', '#9d9d9d'],
  // The provider's misses: the theme's chart foreground (light on dark, dark on light), apart from the user's colours.
  evicted: ['charts.foreground', '#cccccc'],
  rerouted: ['charts.foreground', '#cccccc'],
  unexplained: ['charts.foreground', '#cccccc'],
};

const REASON_TEXT: Record<MissReason, string> = {
  cached: 'read from cache',
  'warm-before-log': 'read from a cache written before the log began',
  cold: 'nothing cached yet: the first request writes it',
  'ttl-expired': 'sent after the cache entry expired',
  'prefix-changed': 'the prompt changed ahead of the cached part',
  'below-minimum': 'shorter than the shortest prefix the provider caches',
  'breakpoint-limits': 'cache_control breakpoints missing, too many, or too far apart',
  'model-switch': 'another model: caches are per model',
  'instructions-changed': 'an instruction file changed',
  'tools-changed': 'the tools changed',
  compaction: 'the conversation was compacted: a new prefix starts',
  clear: '/clear: the conversation starts over',
  'not-predicted': 'a billed record without its request: nothing to predict',
  evicted: 'the provider dropped the unchanged prefix before its TTL',
  rerouted: 'the provider sent the request to a server without the unchanged prefix',
  unexplained: 'not read, with no cause in the log',
};

/** The classes in the order the report lists them, with their heading. */
export const CLASS_HEADING: readonly (readonly [MissClass, string])[] = [
  ['avoidable', 'Avoidable: a cause you control'],
  ['provider', "The provider's side: not yours to avoid"],
  ['start', 'A cache starts'],
  ['unjudged', 'Not judged'],
  ['hit', 'Read from cache'],
];

export const reasonColor = (reason: MissReason): string => themeColor(...REASON_COLOR[reason]);
export const reasonText = (reason: MissReason): string => REASON_TEXT[reason];
export const classOf = (reason: MissReason): MissClass => MISS_CLASS[reason];
