// Generated usage logs with known truth, for the replay tests and benchmark.

export const SYSTEM = Array.from(
  { length: 120 },
  (_, i) => `Rule ${i + 1}: answer from the handbook and cite the section.`,
).join('\n');
export const T0 = Date.UTC(2026, 11, 1, 10);
export const MIN = 60_000;

export function openAiLine(
  at: number,
  system: string,
  user: string,
  usage?: { prompt: number; cached: number; output?: number },
): string {
  const request = {
    model: 'gpt-4.1',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
  };
  const response = usage
    ? {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-4.1-2025-04-14',
        usage: {
          prompt_tokens: usage.prompt,
          completion_tokens: usage.output ?? 20,
          total_tokens: usage.prompt + 20,
          prompt_tokens_details: { cached_tokens: usage.cached },
        },
      }
    : undefined;
  return JSON.stringify({ timestamp: new Date(at).toISOString(), request, ...(response ? { response } : {}) });
}

export function anthropicLine(
  at: number,
  system: string,
  user: string,
  usage: { input: number; read: number; write: number; w1h?: number },
): string {
  const request = {
    model: 'claude-sonnet-4-5',
    max_tokens: 300,
    system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: user }],
  };
  const response = {
    id: 'msg_1',
    type: 'message',
    usage: {
      input_tokens: usage.input,
      cache_read_input_tokens: usage.read,
      cache_creation_input_tokens: usage.write,
      output_tokens: 30,
      cache_creation: {
        ephemeral_5m_input_tokens: usage.write - (usage.w1h ?? 0),
        ephemeral_1h_input_tokens: usage.w1h ?? 0,
      },
    },
  };
  return JSON.stringify({ timestamp: new Date(at).toISOString(), request, response });
}
