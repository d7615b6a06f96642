/**
 * One-line summary of an entity's JSON (reference §5.8): message, tool call, tool result, status, else
 * the kind (or `entity`). Throws when `json` does not parse.
 */
export function summarizeEntity(json: string): string {
  const entity = JSON.parse(json) as Record<string, Record<string, unknown> | string | undefined>;
  const member = (name: string) => {
    const value = entity[name];
    return typeof value === 'object' && value !== null ? value : undefined;
  };
  const runes = (text: string, max: number) => {
    const chars = [...text];
    return chars.length > max ? `${chars.slice(0, max).join('')}...` : text;
  };
  const message = member('message');
  if (message) return `${String(message.role ?? '') || 'message'}: ${runes(String(message.content ?? ''), 160)}`;
  const toolCall = member('toolCall');
  if (toolCall) return `tool_call ${String(toolCall.name ?? '')} (${String(toolCall.status ?? '')})`;
  const toolResult = member('toolResult');
  if (toolResult) {
    const error = toolResult.error ? ` error=${runes(String(toolResult.error), 120)}` : '';
    return `tool_result ${String(toolResult.toolCallId ?? '')}${error}`;
  }
  const status = member('status');
  if (status) return `status ${String(status.type ?? '')}: ${String(status.text ?? '')}`;
  return typeof entity.kind === 'string' && entity.kind !== '' ? entity.kind : 'entity';
}
