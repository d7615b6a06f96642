import { z } from 'zod';
import { ToolError } from '../../errors/tool-error.js';
import { defineTool, type ToolDefinition } from '../tool-definition.js';

const currentTimeInput = z.object({
  timezone: z
    .string()
    .min(1)
    .optional()
    .describe('IANA time zone name for the "local" field, e.g. "Europe/Paris" or "America/New_York". Default: "UTC".'),
});

/** Arguments of the `current_time` tool. */
export type CurrentTimeArgs = z.output<typeof currentTimeInput>;

/** What the `current_time` tool returns. */
export interface CurrentTimeResult {
  /** The instant in UTC, ISO-8601 with milliseconds (`2026-11-24T12:05:09.000Z`). */
  iso: string;
  /** The canonical IANA name of the zone used for `local` (`europe/paris` becomes `Europe/Paris`). */
  timezone: string;
  /** Wall-clock time in `timezone`, as `YYYY-MM-DD HH:mm:ss` (24-hour clock). */
  local: string;
  /** Milliseconds since the Unix epoch. */
  unix_ms: number;
}

function formatterFor(timezone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch (error) {
    throw new ToolError(
      'tool-invalid-arguments',
      `unknown time zone ${JSON.stringify(timezone)}: use an IANA name such as "UTC", "Europe/Paris" or "America/New_York"`,
      { blame: 'user', cause: error },
    );
  }
}

function formatLocal(formatter: Intl.DateTimeFormat, date: Date): string {
  const parts = formatter.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year').padStart(4, '0')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/**
 * Makes a `current_time` tool reading the time from `now` (inject a fixed clock in tests). The tool
 * takes an optional IANA `timezone` (default `UTC`) and returns the instant as UTC ISO-8601, as
 * wall-clock time in that zone, and as Unix milliseconds. An unknown zone throws `ToolError`
 * (`tool-invalid-arguments`); a clock returning an invalid date throws `ToolError` (`tool-failed`).
 */
export function createCurrentTimeTool(
  now: () => Date = () => new Date(),
): ToolDefinition<CurrentTimeArgs, CurrentTimeResult> {
  return defineTool({
    name: 'current_time',
    description:
      'Returns the current date and time: UTC ISO-8601, the wall-clock time in an optional IANA time zone, ' +
      'and Unix milliseconds.',
    input: currentTimeInput,
    tags: ['builtin', 'time'],
    examples: [{ input: {} }, { input: { timezone: 'Europe/Paris' } }],
    execute: ({ timezone = 'UTC' }) => {
      const formatter = formatterFor(timezone);
      const date = now();
      const unixMs = date.getTime();
      if (!Number.isFinite(unixMs)) throw new ToolError('tool-failed', 'the clock returned an invalid date');
      return {
        iso: date.toISOString(),
        timezone: formatter.resolvedOptions().timeZone,
        local: formatLocal(formatter, date),
        unix_ms: unixMs,
      };
    },
  });
}

/** The `current_time` tool on the system clock. */
export const currentTimeTool: ToolDefinition<CurrentTimeArgs, CurrentTimeResult> = createCurrentTimeTool();
