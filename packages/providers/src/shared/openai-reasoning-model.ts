/**
 * True for OpenAI reasoning models — the `o1`, `o3`, `o4`, `gpt-5` (including `gpt-5.1`, `-mini`,
 * `-nano`, `-codex`) and `codex` families, also behind a router prefix such as `openai/o3-mini` —
 * which take `max_completion_tokens` (Chat Completions) or `reasoning` (Responses) and
 * `reasoning_effort`, and reject `temperature` / `top_p`.
 *
 * The `gpt-5…-chat` models (`gpt-5-chat-latest`, `gpt-5.1-chat-latest`) are not reasoning models
 * despite the name: they take sampling settings, and asking them for encrypted reasoning is an
 * error. Both OpenAI engines use this one predicate, so a model is treated the same by both.
 */
export function isOpenAIReasoningModel(model: string): boolean {
  const name = (model.split('/').pop() ?? model).toLowerCase();
  if (/^gpt-5(\.\d+)?-chat/.test(name)) return false;
  return /^(o1|o3|o4|gpt-5|codex)/.test(name);
}
