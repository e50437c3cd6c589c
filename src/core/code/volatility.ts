import type { Hole, UnknownSource, Volatility } from './types';

/**
 * How often the values that code puts into prompts change, by the call that makes them. One table for both languages:
 * names as the call is written (`datetime.now`, `new Date`, `crypto.randomUUID`), matched on their last segments so
 * `datetime.datetime.now` and `dt.datetime.now` read alike. A call not listed is not guessed: it is "unknown".
 */

export interface CallVolatility {
  readonly volatility: Volatility;
  readonly why: string;
  /** A clock read: 'time' (changes every call) or 'day' (a date); a fix can reduce 'time' to day precision. */
  readonly clock?: 'time' | 'day';
  readonly unknown?: UnknownSource;
}

const RULES: readonly [RegExp, CallVolatility][] = [
  // Clocks at time precision: a new value on every call.
  [
    /(?:^|\.)(?:datetime\.)?(?:now|utcnow)$|(?:^|\.)datetime\.today$|^(?:timezone|arrow|pendulum|Timestamp|pd\.Timestamp)\.now$|(?:^|\.)(?:time\.)?(?:time|time_ns|ctime|localtime|gmtime|monotonic|perf_counter)$/,
    { volatility: 'request', why: 'reads the clock at each call', clock: 'time' },
  ],
  [
    /^new Date$|^Date\.now$|^performance\.now$|^(?:dayjs|moment)$/,
    { volatility: 'request', why: 'reads the clock at each call', clock: 'time' },
  ],
  // Dates: the same all day.
  [/(?:^|\.)date\.today$|^today$/, { volatility: 'day', why: "today's date", clock: 'day' }],
  // Identifiers that are new each time.
  [
    /(?:^|\.)(?:uuid[14]|uuid|uuidv4|v4|randomUUID|nanoid|ulid|cuid|token_hex|token_urlsafe|urandom|random|randint|choice|shuffle|sample)$|^Math\.random$/,
    { volatility: 'request', why: 'a new random value or id at each call' },
  ],
  // Configuration: fixed while the process runs.
  [
    /(?:^|\.)(?:getenv|environ\.get|env\.get)$|^os\.environ$|^process\.env$|^import\.meta\.env$|^Deno\.env\.get$/,
    { volatility: 'config', why: 'read from the environment' },
  ],
  // Files and remote prompt stores: the file does not say what they hold.
  [
    /(?:^|\.)(?:read_text|read_bytes|readFileSync|readFile|readTextFile)$|^open(?:\(\))?\.read$|^open$|^(?:json|yaml|toml|tomllib)\.(?:load|safe_load)$|^Bun\.file$/,
    { volatility: 'unknown', unknown: 'file', why: 'read from a file at run time' },
  ],
  [
    /(?:^|\.)(?:get_prompt|getPrompt|pull_prompt|pullPrompt)$|^(?:hub|langchain\.hub)\.pull$|^pull$|^fetch$|^(?:requests|httpx|axios|session|client)\.(?:get|post)$/,
    { volatility: 'unknown', unknown: 'remote', why: 'fetched at run time (a prompt store or the network)' },
  ],
];

/** The rule for a call by its callee as written (`datetime.now`, `new Date`); undefined when none applies. */
export function callVolatility(callee: string): CallVolatility | undefined {
  const c = callee.replace(/\s+/g, ' ').trim();
  for (const [re, v] of RULES) if (re.test(c)) return v;
  return undefined;
}

/** Names of strftime / date-fns / Intl fields: does a format show the time of day? */
export function formatShowsTime(format: string): boolean {
  return /%-?[HIMSfpXcTrRkls]|\bHH?\b|\bhh?\b|\bmm\b|\bss\b|hour|minute|second|timeStyle/.test(format);
}

/** Methods on a date/time value that keep only the date ('day') or the whole time ('time'). */
export function dateMethodPrecision(method: string): 'day' | 'time' | undefined {
  if (
    /^(?:date|toDateString|toLocaleDateString|getFullYear|getMonth|getDate|getDay|getUTCFullYear|getUTCMonth|getUTCDate|year|month|day|weekday|isoweekday)$/.test(
      method,
    )
  )
    return 'day';
  if (
    /^(?:isoformat|toISOString|toString|toLocaleString|toLocaleTimeString|toTimeString|toUTCString|toJSON|getTime|getHours|getMinutes|getSeconds|valueOf|timestamp|time|hour|minute|second|ctime|astimezone)$/.test(
      method,
    )
  )
    return 'time';
  return undefined;
}

/** Most to least often: the order a prompt's holes are compared in. */
const RANK: Record<Volatility, number> = { request: 5, session: 4, day: 3, unknown: 2, process: 1, config: 0 };

/** The more volatile of two (unknown sits between the known-changing and the fixed ones). */
export function moreVolatile(a: Volatility, b: Volatility): Volatility {
  return RANK[a] >= RANK[b] ? a : b;
}

/** True for a value that changes while the process runs: it breaks the cache between requests. */
export function changesWithinProcess(v: Volatility): boolean {
  return v === 'request' || v === 'session' || v === 'day';
}

/**
 * A value computed once when a module loads (a module-level f-string, template literal or constant): whatever it
 * reads, it is fixed for the process. Configuration stays configuration; what is unknown about its source stays said.
 */
export function evaluatedOnce(h: Hole): Hole {
  if (h.volatility === 'config' || h.volatility === 'process') return h;
  if (h.volatility === 'unknown' && h.unknown === 'import') return h;
  return {
    ...h,
    volatility: 'process',
    why: `evaluated once when the module loads${h.volatility === 'unknown' ? '' : ` (${h.why})`}`,
    clock: undefined,
  };
}

/** Route methods of web frameworks: a function passed to `app.post('/x', …)` handles one request per call. */
export const ROUTE_METHOD = /^(?:get|post|put|patch|delete|del|all|route|head|options|websocket|api_route|api_view)$/;

/** Type names of an HTTP request parameter (Next.js, Express, Fastify, Hono, FastAPI/Starlette, Django, Flask). */
export const REQUEST_TYPE =
  /^(?:[\w.]+\.)?(?:Request|NextRequest|NextApiRequest|IncomingMessage|FastifyRequest|HttpRequest|WebSocket)$/;

/** A parameter of an HTTP request handler: its value (and what is computed from it) changes at each request. */
export const REQUEST_PARAMETER = {
  volatility: 'request' as const,
  why: 'comes with the HTTP request: changes at each request',
};

/** What a hole says about its value, before it is placed (the fields of Hole that are not its position). */
export type HoleVolatility = Omit<Hole, 'kind' | 'what' | 'start' | 'end' | 'file'>;

/** Most to least often changing, for comparing two values. */
export const VOLATILITY_RANK: Readonly<Record<Volatility, number>> = {
  request: 5,
  session: 4,
  day: 3,
  unknown: 2,
  process: 1,
  config: 0,
};

/** A call rule applied at a source range (the clock's range is where a fix can reduce its precision). */
export function holeOfRule(r: CallVolatility, at: { startIndex: number; endIndex: number }): HoleVolatility {
  return {
    volatility: r.volatility,
    why: r.why,
    ...(r.unknown ? { unknown: r.unknown } : {}),
    ...(r.clock ? { clock: { start: at.startIndex, end: at.endIndex, precision: r.clock } } : {}),
  };
}

/** A clock value at day or time precision. */
export function clockAt(p: 'time' | 'day', at: { startIndex: number; endIndex: number }): HoleVolatility {
  return p === 'day'
    ? {
        volatility: 'day',
        why: 'a date: changes once a day',
        clock: { start: at.startIndex, end: at.endIndex, precision: 'day' },
      }
    : {
        volatility: 'request',
        why: 'the time: changes at each call',
        clock: { start: at.startIndex, end: at.endIndex, precision: 'time' },
      };
}
