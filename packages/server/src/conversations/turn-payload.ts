import { type Turn, turnFromPlain, turnFromYaml, turnToPlain, turnToYaml } from '@cricket/core';

/**
 * Turn snapshots are stored as JSON (serialising YAML on every phase of every inference cost
 * milliseconds on the event loop); the `/turns` API still serves the reference's YAML, converted on
 * read. Rows written by the reference (or older builds) hold YAML and are read as such.
 */
export function encodeTurnPayload(turn: Turn): string {
  return JSON.stringify(turnToPlain(turn));
}

/** Decodes a stored payload, JSON or YAML. Throws `TurnError` when it is neither. */
export function decodeTurnPayload(payload: string): Turn {
  return payload.trimStart().startsWith('{') ? turnFromPlain(JSON.parse(payload)) : turnFromYaml(payload);
}

/** The YAML form of a stored payload (YAML rows pass through unchanged; undecodable JSON too). */
export function turnPayloadAsYaml(payload: string): string {
  if (!payload.trimStart().startsWith('{')) return payload;
  try {
    return turnToYaml(turnFromPlain(JSON.parse(payload)));
  } catch {
    return payload;
  }
}
