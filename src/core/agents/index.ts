// The agent-context API (issue 24): what each coding agent loads from a folder's instruction files, where, and at
// what cost. Pure and host-free: the file system comes in through AgentFs.
export { discoverAgentContext, HARNESS_DATA, type DiscoverOptions } from './discover';
export { placementsOf, harnessRuleSources, type FilePlacement } from './placement';
export { warningMessage, loadedText, HARNESS_NAMES } from './messages';
export { sessionCost, medianOf, DEFAULT_REQUESTS_PER_SESSION } from './sessionCost';
export { renderCodexInstructions } from './harnesses/codex';
export { modelDiffers, modelFamily } from './harnesses/listings';
export { isInstructionFilePath } from './workspace';
export {
  fileRanges,
  utf16OffsetOfByte,
  utf8LengthOf,
  type FileRanges,
  type FileView,
  type CutSpan,
  type Span,
} from './fileRanges';
export type { AgentFs, DirEntry, FileStat } from './agentFs';
export type { GlobalDirs } from './harnessEnv';
export * from './types';
