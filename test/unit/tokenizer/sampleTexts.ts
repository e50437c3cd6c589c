// Deterministic sample texts for the tokenizer tests and benchmarks (no downloads): a seeded generator and
// builders for prose, code, JSON, CJK, emoji and white-space-heavy text, plus the cases known to trip tokenizers.

/** mulberry32: small, fast, seeded. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);
export const pick = <T>(rnd: () => number, a: readonly T[]): T => a[int(rnd, a.length)];

/** Inputs where JavaScript tokenizers have differed from tiktoken. */
export const GAP_CASES: readonly string[] = [
  '\ufeff',
  ' \ufeffhello',
  '\ufeff\ufeff',
  'x\ufeffy',
  '\ufeff# title',
  'a \u0085b',
  '\u0085',
  '  \u0085\u0085 x',
  'a\u0085\nb',
  "it'\u017f",
  "I'\u017fve",
  "DON'T",
  "we'Re",
  "they'LL",
  "o'clock",
  "'s",
  "''s",
  'rock’n’roll',
  '<|endoftext|>',
  'hi <|endoftext|> there',
  '<|im_start|>system\nYou are<|im_end|>',
  '<|start|><|channel|><|message|><|end|>',
  '<|endofprompt|>',
  'a\ud800b',
  '\udc00',
  '\ud83d',
  'x\ude42y',
  '\ud83d\ud83d\ude42',
  '\u00a0\u00a0x',
  '\u3000全角',
  '\u2028\u2029',
  '\u200b\u200d',
  'e\u0301\u0301',
  '\u0301start',
  '   ',
  '\t\t\n',
  '\r\n\r\n',
  ' \n ',
  'a  \n  b',
  'x' + ' '.repeat(40) + 'y',
  '\n'.repeat(30),
  '123456789',
  '١٢٣٤',
  'Ⅻ²³',
  '',
  ' ',
  'ǅungla',
  'İstanbul',
  'ßtraße',
  'HELLOworld',
  'helloWORLD',
  'ABCdefGHI',
];

const WORDS =
  'the of and to in is you that it he was for on are as with his they at be this have from or one had by word but not what all were we when your can said there use an each which she do how their if will up other about out many then them these so some her would make like him into time has look two more write go see number no way could people my than first water been call who oil its now find long down day did get come made may part'.split(
    ' ',
  );

export function prose(rnd: () => number, chars: number): string {
  const out: string[] = [];
  let n = 0;
  while (n < chars) {
    const len = 5 + int(rnd, 20);
    const w: string[] = [];
    for (let i = 0; i < len; i++) {
      let x = pick(rnd, WORDS);
      const r = rnd();
      if (i === 0) x = x[0].toUpperCase() + x.slice(1);
      else if (r < 0.03) x = x.toUpperCase();
      else if (r < 0.06) x += "'s";
      else if (r < 0.08) x += ',';
      else if (r < 0.09) x = String(int(rnd, 100000));
      w.push(x);
    }
    const s = w.join(' ') + pick(rnd, ['.', '.', '.', '?', '!', ':']) + (rnd() < 0.15 ? '\n\n' : ' ');
    out.push(s);
    n += s.length;
  }
  return out.join('').slice(0, chars);
}

const IDENTS = [
  'value',
  'result',
  'index',
  'count',
  'buffer',
  'tokens',
  'offset',
  'config',
  'item',
  'node',
  'cache',
  'prefix',
];
export function code(rnd: () => number, chars: number): string {
  const out: string[] = [];
  let n = 0,
    depth = 0;
  while (n < chars) {
    const ind = '  '.repeat(depth);
    const a = pick(rnd, IDENTS),
      b = pick(rnd, IDENTS);
    let line: string;
    switch (int(rnd, 8)) {
      case 0:
        line = `${ind}function ${a}${int(rnd, 99)}(${b}: number[], opts = {}) {`;
        depth = Math.min(depth + 1, 6);
        break;
      case 1:
        line = depth > 0 ? `${'  '.repeat(--depth)}}` : '// end';
        break;
      case 2:
        line = `${ind}const ${a} = ${b}.map((x) => x * ${int(rnd, 1000)} + 0x${int(rnd, 65535).toString(16)});`;
        break;
      case 3:
        line = `${ind}if (${a} !== undefined && ${b}.length >= ${int(rnd, 64)}) return ${a}?.${b} ?? null;`;
        break;
      case 4:
        line = `${ind}// ${prose(rnd, 40 + int(rnd, 40)).replace(/\n/g, ' ')}`;
        break;
      case 5:
        line = `${ind}${a}[${int(rnd, 10)}] += "${b}\\t${int(rnd, 9)}"; /* ${b} */`;
        break;
      case 6:
        line = '';
        break;
      default:
        line = `${ind}for (let i = 0; i < ${a}.length; i++) { ${b} += ${a}[i] << ${int(rnd, 8)}; }`;
    }
    out.push(line);
    n += line.length + 1;
  }
  return out.join('\n').slice(0, chars);
}

export function json(rnd: () => number, chars: number): string {
  const items: unknown[] = [];
  let n = 0;
  while (n < chars) {
    const o = {
      id: int(rnd, 1e6),
      name: pick(rnd, IDENTS),
      tags: [pick(rnd, WORDS), pick(rnd, WORDS)],
      score: Math.round(rnd() * 1e4) / 100,
      ok: rnd() < 0.5,
      note: prose(rnd, 30),
    };
    items.push(o);
    n += 130;
  }
  return JSON.stringify({ messages: items }, null, 2).slice(0, chars);
}

const CJK =
  '的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从你好世界日本語の文章を書きますこれはテストです한국어문장입니다';
export function cjk(rnd: () => number, chars: number): string {
  let s = '';
  while (s.length < chars) {
    const len = 4 + int(rnd, 30);
    for (let i = 0; i < len; i++) s += CJK[int(rnd, CJK.length)];
    s += pick(rnd, ['。', '，', '、', '！', '？\n', ' ', '「', '」']);
  }
  return s.slice(0, chars);
}

const EMOJI = ['🙂', '👍🏽', '👨‍👩‍👧', '🇺🇸', '🏳️‍🌈', '👩🏿‍💻', '❤️', '🧑🏻‍🤝‍🧑🏾', '✋🏼', '🫠', '😀😃😄', '👋'];
export function emoji(rnd: () => number, chars: number): string {
  let s = '';
  while (s.length < chars) s += rnd() < 0.5 ? pick(rnd, EMOJI) : pick(rnd, [' ', 'ok ', '\n', 'hi', '!', '  ']);
  return s;
}

export function whitespaceRuns(rnd: () => number, chars: number): string {
  const ws = [' ', '\t', '\n', '\r\n', '\u00a0', '\u3000', '\u0085', '\ufeff', '\u2028', '\u000b', '\u000c'];
  let s = '';
  while (s.length < chars) {
    const r = rnd();
    if (r < 0.5) {
      const c = pick(rnd, ws);
      s += c.repeat(1 + int(rnd, 12));
    } else s += pick(rnd, ['a', 'word', 'X', '1', '.', "'s", '你', '🙂', '-']);
  }
  return s;
}

/** Code points from all planes (including unassigned ones and lone surrogates), weighted toward the BMP. */
export function randomUnicode(rnd: () => number, chars: number): string {
  let s = '';
  while (s.length < chars) {
    const r = rnd();
    let cp: number;
    if (r < 0.3) cp = 0x20 + int(rnd, 0x5f);
    else if (r < 0.4) cp = pick(rnd, [9, 10, 13, 32, 32, 0x85, 0xa0, 0xfeff, 0x2028, 0x3000, 0x27, 0x17f]);
    else if (r < 0.8) cp = int(rnd, 0x10000);
    else cp = 0x10000 + int(rnd, 0x100000);
    s += cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
  }
  return s;
}

/** A mixed text of about `chars` UTF-16 units: sections of every kind above. */
export function mixed(rnd: () => number, chars: number): string {
  const kinds = [prose, prose, code, json, cjk, emoji, whitespaceRuns];
  let s = '';
  while (s.length < chars) {
    s += pick(rnd, kinds)(rnd, 200 + int(rnd, 1500));
    if (rnd() < 0.3) s += pick(rnd, GAP_CASES);
  }
  return s;
}
