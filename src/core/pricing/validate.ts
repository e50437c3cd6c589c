import { isPriceString } from './money';

/** A problem in a catalog file: which file, which field (JSON path), what is wrong. */
export interface CatalogIssue {
  readonly file: string;
  /** JSON path of the field, e.g. "models[3].prices.input". */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const CONFIDENCE = ['official', 'third-party', 'assumed'];
const TTL_KEY = /^(\d+[smhd]|default)$/;

/**
 * Checks one merged model entry. Every problem is reported with its path; the entry is usable only when no error
 * was found (callers drop it otherwise, so one bad user entry never hides the rest of the catalog).
 */
export function validateModel(m: unknown, at: string, file: string): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const err = (path: string, message: string) =>
    issues.push({ file, path: `${at}${path}`, message, severity: 'error' });
  if (!isObj(m)) {
    err('', 'must be an object');
    return issues;
  }
  const str = (o: Obj, k: string, p: string, required = true) => {
    if (o[k] === undefined) {
      if (required) err(`${p}.${k}`, 'is missing');
      return;
    }
    if (typeof o[k] !== 'string' || o[k] === '')
      err(`${p}.${k}`, `must be a non-empty string (got ${JSON.stringify(o[k])})`);
  };
  const price = (o: Obj, k: string, p: string, required: boolean) => {
    if (o[k] === undefined) {
      if (required) err(`${p}.${k}`, 'is missing');
      return;
    }
    if (!isPriceString(o[k]))
      err(
        `${p}.${k}`,
        `must be a decimal string of USD per million tokens with at most 9 decimals, like "0.075" (got ${JSON.stringify(o[k])})`,
      );
  };
  const int = (o: Obj, k: string, p: string, required: boolean, min: number) => {
    if (o[k] === undefined) {
      if (required) err(`${p}.${k}`, 'is missing');
      return;
    }
    if (typeof o[k] !== 'number' || !Number.isInteger(o[k]) || (o[k] as number) < min)
      err(`${p}.${k}`, `must be an integer ≥ ${min} (got ${JSON.stringify(o[k])})`);
  };
  const sourced = (o: Obj, p: string) => {
    str(o, 'source', p);
    if (o.asOf === undefined) err(`${p}.asOf`, 'is missing');
    else if (typeof o.asOf !== 'string' || !DATE.test(o.asOf))
      err(
        `${p}.asOf`,
        `must be a date YYYY-MM-DD (or YYYY-MM, YYYY where only that is known; got ${JSON.stringify(o.asOf)})`,
      );
    if (o.confidence !== undefined && !CONFIDENCE.includes(o.confidence as string))
      err(`${p}.confidence`, `must be one of ${CONFIDENCE.join(', ')} (got ${JSON.stringify(o.confidence)})`);
  };
  const writes = (o: Obj, p: string) => {
    if (o.cacheWrite === undefined) return;
    if (!isObj(o.cacheWrite)) {
      err(`${p}.cacheWrite`, 'must be an object of TTL → price, like {"5m": "3.75"}');
      return;
    }
    for (const k of Object.keys(o.cacheWrite)) {
      if (!TTL_KEY.test(k)) err(`${p}.cacheWrite.${k}`, 'key must be a TTL like "5m", "1h" or "default"');
      price(o.cacheWrite, k, `${p}.cacheWrite`, true);
    }
  };

  str(m, 'id', '');
  str(m, 'provider', '');
  str(m, 'displayName', '');
  str(m, 'encoding', '');
  if (typeof m.exactTokenizer !== 'boolean')
    err('.exactTokenizer', `must be true or false (got ${JSON.stringify(m.exactTokenizer)})`);
  int(m, 'contextWindow', '', true, 1);
  if (m.aliases !== undefined && (!Array.isArray(m.aliases) || m.aliases.some((a) => typeof a !== 'string' || !a)))
    err('.aliases', 'must be a list of non-empty strings');

  if (!isObj(m.prices)) err('.prices', m.prices === undefined ? 'is missing' : 'must be an object');
  else {
    const p = m.prices;
    sourced(p, '.prices');
    price(p, 'input', '.prices', true);
    price(p, 'cachedInput', '.prices', false);
    price(p, 'output', '.prices', true);
    price(p, 'storagePerHour', '.prices', false);
    writes(p, '.prices');
    if (p.peakHours !== undefined) {
      const h = p.peakHours;
      const hhmm = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
      if (!isObj(h)) err('.prices.peakHours', 'must be an object {utc, days, offPeak}');
      else {
        if (
          !Array.isArray(h.utc) ||
          !h.utc.length ||
          !h.utc.every(
            (w) =>
              Array.isArray(w) &&
              w.length === 2 &&
              w.every((t) => typeof t === 'string' && hhmm.test(t)) &&
              w[0] < w[1],
          )
        )
          err(
            '.prices.peakHours.utc',
            'must be a list of ["HH:MM", "HH:MM"] windows in UTC, each ending after it starts',
          );
        if (h.days !== 'daily' && h.days !== 'weekdays') err('.prices.peakHours.days', 'must be "daily" or "weekdays"');
        if (!isObj(h.offPeak)) err('.prices.peakHours.offPeak', 'must be an object {input, cachedInput, output}');
        else {
          price(h.offPeak, 'input', '.prices.peakHours.offPeak', true);
          price(h.offPeak, 'cachedInput', '.prices.peakHours.offPeak', false);
          price(h.offPeak, 'output', '.prices.peakHours.offPeak', true);
        }
      }
    }
    if (p.schedule !== undefined) {
      if (!Array.isArray(p.schedule) || !p.schedule.length)
        err('.prices.schedule', 'must be a list of {from, input, cachedInput?, output, cacheWrite?}');
      else
        p.schedule.forEach((c, i) => {
          const at = `.prices.schedule[${i}]`;
          if (!isObj(c)) {
            err(at, 'must be an object {from, input, cachedInput?, output, cacheWrite?}');
            return;
          }
          if (typeof c.from !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(c.from) || Number.isNaN(Date.parse(c.from)))
            err(`${at}.from`, `must be a date YYYY-MM-DD (got ${JSON.stringify(c.from)})`);
          price(c, 'input', at, true);
          price(c, 'cachedInput', at, false);
          price(c, 'output', at, true);
          writes(c, at);
        });
    }
    if (
      p.disagreements !== undefined &&
      (!isObj(p.disagreements) || Object.values(p.disagreements).some((v) => typeof v !== 'string' || !v))
    )
      err('.prices.disagreements', "must be an object of field → the reason the catalog's figure stands");
    if (p.longContext !== undefined) {
      if (!isObj(p.longContext)) err('.prices.longContext', 'must be an object');
      else {
        const l = p.longContext;
        int(l, 'aboveTokens', '.prices.longContext', true, 1);
        price(l, 'input', '.prices.longContext', true);
        price(l, 'cachedInput', '.prices.longContext', false);
        price(l, 'output', '.prices.longContext', true);
        price(l, 'storagePerHour', '.prices.longContext', false);
        writes(l, '.prices.longContext');
        if (p.cacheWrite !== undefined && l.cacheWrite === undefined)
          err(
            '.prices.longContext.cacheWrite',
            'is needed because prices.cacheWrite is set (write prices differ above the threshold)',
          );
      }
    }
  }

  if (!isObj(m.cache)) err('.cache', m.cache === undefined ? 'is missing' : 'must be an object');
  else {
    const c = m.cache;
    sourced(c, '.cache');
    str(c, 'policy', '.cache');
    int(c, 'minTokens', '.cache', true, 0);
    int(c, 'granularity', '.cache', true, 1);
    int(c, 'ttlSeconds', '.cache', true, 1);
    int(c, 'maxTtlSeconds', '.cache', false, 1);
    int(c, 'maxBreakpoints', '.cache', false, 0);
    int(c, 'lookbackBlocks', '.cache', false, 1);
    if (c.minTokensReported !== undefined) {
      if (!isObj(c.minTokensReported)) err('.cache.minTokensReported', 'must be an object {tokens, source, asOf}');
      else {
        sourced(c.minTokensReported, '.cache.minTokensReported');
        int(c.minTokensReported, 'tokens', '.cache.minTokensReported', true, 1);
        if (
          typeof c.minTokensReported.tokens === 'number' &&
          typeof c.minTokens === 'number' &&
          c.minTokensReported.tokens <= c.minTokens
        )
          err(
            '.cache.minTokensReported.tokens',
            `must be above minTokens (${c.minTokens}): it is the higher minimum users report`,
          );
      }
    }
  }
  if (m.retired !== undefined) {
    if (!isObj(m.retired)) err('.retired', 'must be an object {on, successor?, source}');
    else {
      if (typeof m.retired.on !== 'string' || !DATE.test(m.retired.on))
        err('.retired.on', `must be a date YYYY-MM-DD (got ${JSON.stringify(m.retired.on)})`);
      str(m.retired, 'successor', '.retired', false);
      str(m.retired, 'source', '.retired');
    }
  }
  return issues;
}
