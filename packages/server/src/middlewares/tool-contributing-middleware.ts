import type { Middleware, ToolDefinition } from '@cricket/core';

/**
 * A middleware that also brings tools (e.g. the `sql` middleware's `sql_query`). It is an ordinary
 * middleware function with a `tools` property, so a runtime that ignores the property still works; a
 * runtime that honours it adds the tools to the inference's registry (see the integration notes).
 */
export interface ToolContributingMiddleware extends Middleware {
  readonly tools: readonly ToolDefinition[];
}

/** The tools a middleware contributes (none for an ordinary middleware). */
export function contributedTools(middleware: Middleware): ToolDefinition[] {
  if (!('tools' in middleware)) return [];
  const tools: unknown = middleware.tools;
  return Array.isArray(tools) ? tools.filter(isToolDefinition) : [];
}

function isToolDefinition(value: unknown): value is ToolDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    'name' in value &&
    typeof value.name === 'string' &&
    'execute' in value &&
    typeof value.execute === 'function' &&
    'parse' in value &&
    typeof value.parse === 'function'
  );
}
