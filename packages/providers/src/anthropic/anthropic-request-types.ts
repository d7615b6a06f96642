// Request-side wire shapes of the Anthropic Messages API (`POST /v1/messages`), limited to what
// Cricket sends. Response-side shapes are zod schemas in `anthropic-event-schema.ts`.

/** A text content block. */
export interface AnthropicTextBlock {
  type: 'text';
  text: string;
}

/** An image content block: inline base64 bytes or a URL the API fetches itself. */
export interface AnthropicImageBlock {
  type: 'image';
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
}

/** A tool call made by the assistant; `input` is always a JSON object. */
export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/** The result of one tool call, sent in the user message right after the call. */
export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  /** Omitted when the tool returned nothing. */
  content?: string;
  /** Set when the tool failed; `content` then holds the error message. */
  is_error?: true;
}

/** Extended thinking, replayed verbatim with its signature. */
export interface AnthropicThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

/** Thinking the API encrypted (safety-redacted), replayed verbatim. */
export interface AnthropicRedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

/**
 * A content block taken verbatim from a block's `claudeOriginalContentKey` metadata (an escape
 * hatch for content Cricket does not model: documents, citations, cache control, ...).
 */
export interface AnthropicRawBlock {
  type: string;
  [field: string]: unknown;
}

/** A content block Cricket builds itself. */
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

/** One request message. Content is always an array (the API also accepts a bare string). */
export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: (AnthropicContentBlock | AnthropicRawBlock)[];
}

/** A client tool as advertised to the model. */
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}

/**
 * How the model may use tools: `auto` (may call), `any` (must call one), `none` (must not call).
 * `disable_parallel_tool_use` limits the model to one call per message (not defined for `none`).
 */
export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

/** Extended thinking with a token budget (at least 1024 and below `max_tokens`). */
export interface AnthropicThinkingConfig {
  type: 'enabled';
  budget_tokens: number;
}

/** The top-level system prompt: one string, or one text block per Cricket system block. */
export type AnthropicSystem = string | AnthropicTextBlock[];

/** The JSON body of a streamed `POST /v1/messages`. */
export interface AnthropicRequestBody {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  stream: true;
  system?: AnthropicSystem;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  thinking?: AnthropicThinkingConfig;
}
