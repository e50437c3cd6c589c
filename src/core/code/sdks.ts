import type { SdkId } from './types';

/**
 * What identifies each SDK's calls, for both languages: where the call's packages come from and which provider a
 * client class or a model prefix names. Rules only; the finders (python/calls.ts, typescript/calls.ts) apply them.
 */

/** Import sources (Python modules, npm packages) by SDK, matched on the module path's start. */
export const SDK_IMPORTS: readonly [RegExp, SdkId][] = [
  [/^(?:openai|@azure\/openai)\b/, 'openai'],
  [/^(?:anthropic|@anthropic-ai\/sdk|@anthropic-ai\/bedrock-sdk|@anthropic-ai\/vertex-sdk)\b/, 'anthropic'],
  [/^(?:google\.genai|google\.generativeai|google\b|@google\/genai|@google\/generative-ai)/, 'google-genai'],
  [/^(?:langchain|langchain_\w+|langgraph|@langchain\/[\w-]+|langchain\/)/, 'langchain'],
  [/^(?:ai|@ai-sdk\/[\w-]+)$/, 'ai-sdk'],
  [/^litellm\b/, 'litellm'],
  [/^pydantic_ai\b/, 'pydantic-ai'],
  [/^instructor\b|^@instructor-ai\/instructor/, 'instructor'],
];

export function sdkOfImport(source: string): SdkId | undefined {
  for (const [re, id] of SDK_IMPORTS) if (re.test(source)) return id;
  return undefined;
}

/** LangChain chat-model classes and the provider each calls. */
export const LANGCHAIN_CHAT_MODELS: Readonly<Record<string, string | null>> = {
  ChatOpenAI: 'openai',
  AzureChatOpenAI: 'openai',
  ChatAnthropic: 'anthropic',
  ChatAnthropicVertex: 'anthropic',
  ChatBedrock: null,
  ChatBedrockConverse: null,
  ChatGoogleGenerativeAI: 'google',
  ChatVertexAI: 'google',
  ChatMistralAI: 'mistral',
  ChatDeepSeek: 'deepseek',
  ChatXAI: 'xai',
  ChatGroq: null,
  ChatOllama: null,
  ChatLiteLLM: null,
  ChatFireworks: null,
  ChatTogether: null,
  ChatCohere: null,
};

/** SDK client classes and their provider (a client given another base URL goes elsewhere: provider unknown then). */
export const CLIENT_CLASSES: Readonly<Record<string, string>> = {
  OpenAI: 'openai',
  AsyncOpenAI: 'openai',
  AzureOpenAI: 'openai',
  AsyncAzureOpenAI: 'openai',
  Anthropic: 'anthropic',
  AsyncAnthropic: 'anthropic',
  AnthropicBedrock: 'anthropic',
  AsyncAnthropicBedrock: 'anthropic',
  AnthropicVertex: 'anthropic',
  AsyncAnthropicVertex: 'anthropic',
  Client: 'google',
  GoogleGenAI: 'google',
  GoogleGenerativeAI: 'google',
};

/** Providers named by a model string's prefix ("anthropic/claude-…", "openai:gpt-…", "google-gla:gemini-…"). */
const PREFIX_PROVIDERS: readonly [RegExp, string][] = [
  [/^(?:openai|azure|openai-responses)$/, 'openai'],
  [/^(?:anthropic|claude|bedrock_anthropic)$/, 'anthropic'],
  [/^(?:google|google-gla|google-vertex|gemini|vertex_ai|vertex|vertexai|google_genai|google_vertexai)$/, 'google'],
  [/^deepseek$/, 'deepseek'],
  [/^(?:xai|grok)$/, 'xai'],
  [/^mistral$/, 'mistral'],
];

/** The provider a model string names by prefix, and the model without it. */
export function splitModelPrefix(model: string): { provider?: string; model: string } {
  const m = /^([\w-]+)[:/](.+)$/.exec(model.trim());
  if (!m) return { model: model.trim() };
  for (const [re, p] of PREFIX_PROVIDERS) if (re.test(m[1].toLowerCase())) return { provider: p, model: m[2] };
  return { model: model.trim() };
}

/** The provider a bare model name belongs to, by its family name. */
export function providerOfModelName(model: string): string | undefined {
  const m = model.toLowerCase();
  if (/^(?:gpt-|o\d|chatgpt|text-|davinci|ft:gpt)/.test(m)) return 'openai';
  if (/^claude/.test(m)) return 'anthropic';
  if (/^(?:gemini|gemma)/.test(m)) return 'google';
  if (/^deepseek/.test(m)) return 'deepseek';
  if (/^grok/.test(m)) return 'xai';
  if (/^(?:mistral|codestral|magistral|devstral|ministral|pixtral|open-mistral)/.test(m)) return 'mistral';
  return undefined;
}
