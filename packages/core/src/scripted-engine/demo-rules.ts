import type { ScriptStep } from './script.js';

/** What the demo rules see of the conversation. */
export interface DemoInput {
  prompt: string;
  /** Tool rounds already completed in this inference. */
  round: number;
  /** Names of the tools the engine may call. */
  tools: readonly string[];
  /** Results of the previous round, in call order. */
  results: readonly { name: string; result?: string; error: string }[];
}

const arithmeticPattern = /[-+(]*\s*\d[\d.\s]*(?:\s*(?:[-+*/%^]|\*\*)\s*[-+(]*\s*\d[\d.\s]*\)*)+\)*/;
const wordOperators: [RegExp, string][] = [
  [/\bplus\b/gi, '+'],
  [/\bminus\b/gi, '-'],
  [/\b(?:times|multiplied by)\b/gi, '*'],
  [/\bdivided by\b/gi, '/'],
  [/\bto the power of\b/gi, '^'],
  [/\bmod(?:ulo)?\b/gi, '%'],
];

/** Extracts an arithmetic expression from a question ("what is 12 * (3 + 4)?"), if there is one. */
export function findArithmetic(prompt: string): string | undefined {
  let text = prompt;
  for (const [pattern, symbol] of wordOperators) text = text.replace(pattern, symbol);
  const match = arithmeticPattern.exec(text);
  if (!match) return undefined;
  const expression = balanceParentheses(match[0].trim());
  return /\d/.test(expression) ? expression : undefined;
}

function balanceParentheses(expression: string): string {
  let text = expression;
  while (text.startsWith('(') && count(text, '(') > count(text, ')')) text = text.slice(1).trim();
  while (text.endsWith(')') && count(text, ')') > count(text, '(')) text = text.slice(0, -1).trim();
  return text;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

const longAnswerParagraph =
  'Streaming matters because people read while the model writes. Each delta is persisted to the event log, ' +
  'fanned out to every open tab and folded into the timeline, so a reload in the middle of an answer ' +
  'shows exactly what was already there.';

/**
 * Built-in behaviour of the offline engine, used when no script is configured:
 * - an arithmetic question calls `calculator` (when advertised), then answers with its result;
 * - "what time is it" calls `current_time`;
 * - `/think ...` streams reasoning first; `/fail ...` fails the engine call; `/long` writes a long
 *   markdown answer (for streaming and rendering tests);
 * - anything else gets a short, deterministic markdown reply that quotes the prompt.
 */
export function demoStep(input: DemoInput): ScriptStep {
  const prompt = input.prompt.trim();
  const hasTool = (name: string) => input.tools.includes(name);

  if (input.round > 0) return answerFromResults(input);
  if (prompt.startsWith('/fail')) {
    return {
      text: 'Starting an answer that will fail',
      error: `scripted failure requested: ${prompt.slice(5).trim() || 'no reason given'}`,
    };
  }
  if (prompt.startsWith('/long')) return { text: longAnswer() };

  const thinking = prompt.startsWith('/think');
  const question = thinking ? prompt.slice(6).trim() : prompt;
  const reasoning = thinking ? `The user asked: "${question}". I will answer step by step.` : undefined;

  const expression = findArithmetic(question);
  if (expression && hasTool('calculator')) {
    return { ...(reasoning ? { reasoning } : {}), tool_calls: [{ name: 'calculator', args: { expression } }] };
  }
  if (/\bwhat time\b|\bcurrent time\b|\btime is it\b/i.test(question) && hasTool('current_time')) {
    return { ...(reasoning ? { reasoning } : {}), tool_calls: [{ name: 'current_time', args: {} }] };
  }
  const text = [
    `You said: *${question || '(nothing)'}*`,
    '',
    "I'm Cricket's **offline scripted engine**: no model is connected, so I answer with built-in demo rules.",
    'Try an arithmetic question such as `what is 12 * (3 + 4)?` to see a tool call, or start a message',
    'with `/think`, `/long` or `/fail`.',
  ].join('\n');
  return { ...(reasoning ? { reasoning } : {}), text };
}

function answerFromResults(input: DemoInput): ScriptStep {
  const lines = input.results.map((entry) => {
    if (entry.error) return `The \`${entry.name}\` tool failed: ${entry.error}`;
    const value = parseJson(entry.result);
    if (entry.name === 'calculator' && isRecord(value) && 'result' in value) {
      return `The result of \`${String(value.expression ?? '')}\` is **${String(value.result)}**.`;
    }
    if (entry.name === 'current_time' && isRecord(value) && 'iso' in value) {
      return `The current time is **${String(value.local ?? value.iso)}** (${String(value.timezone ?? 'UTC')}).`;
    }
    return `The \`${entry.name}\` tool returned \`${entry.result ?? 'null'}\`.`;
  });
  return { text: lines.join('\n\n') || 'The tools returned nothing.' };
}

function longAnswer(): string {
  const sections: string[] = ['# A long answer', ''];
  for (let section = 1; section <= 12; section++) {
    sections.push(
      `## Section ${section}`,
      '',
      longAnswerParagraph,
      '',
      `- point ${section}.a`,
      `- point ${section}.b`,
      '',
    );
    if (section % 4 === 0) sections.push('```ts', `export const section${section} = ${section} * 2;`, '```', '');
  }
  return sections.join('\n');
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
