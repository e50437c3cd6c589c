import type { Node } from 'web-tree-sitter';
import type { CallSite, PromptPart, SdkId } from './types';

/**
 * A call site as both languages report it: the call's and its name's extent, the enclosing function's (the scope a
 * request-handler parameter belongs to; the whole module at top level), and what the finder read from the call.
 */
export function callSite(
  call: Node,
  id: Node,
  scope: Node | null,
  found: {
    readonly sdk: SdkId;
    readonly provider: string | null;
    readonly model: string | null;
    readonly system: PromptPart[] | null;
    readonly first: PromptPart | null;
    readonly cacheControl: boolean;
  },
  extra: Partial<CallSite> = {},
): CallSite {
  return {
    sdk: found.sdk,
    provider: found.provider,
    model: found.model,
    start: id.startIndex,
    end: id.endIndex,
    callStart: call.startIndex,
    scopeStart: scope?.startIndex ?? 0,
    scopeEnd: scope?.endIndex ?? Number.MAX_SAFE_INTEGER,
    callEnd: call.endIndex,
    system: found.system,
    firstMessage: found.first,
    cacheControl: found.cacheControl,
    ...extra,
  };
}
