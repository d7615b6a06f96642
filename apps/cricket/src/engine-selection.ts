import { readFile } from 'node:fs/promises';
import { type Engine, parseScriptYaml, ScriptedEngine } from '@cricket/core';

/** Options that choose the engine of a CLI command. */
export interface EngineSelection {
  /** YAML script for the scripted engine. */
  script?: string;
  /** Milliseconds between streamed chunks of the scripted engine. */
  paceMs?: number;
}

/**
 * Creates the engine for a command: the scripted engine (offline) driven by the built-in demo rules or
 * a script file.
 */
export async function selectEngine(selection: EngineSelection): Promise<Engine> {
  const script = selection.script
    ? parseScriptYaml(await readFile(selection.script, 'utf8'), selection.script)
    : undefined;
  return new ScriptedEngine({
    ...(script ? { script } : {}),
    paceMs: selection.paceMs ?? script?.pace_ms ?? 12,
  });
}

/** One line describing the engine, e.g. for banners. Offline engines are labelled as such. */
export function describeEngine(engine: Engine): string {
  const { provider, model, offline } = engine.info;
  return offline ? `${model} (offline scripted engine — no model connected)` : `${provider} · ${model}`;
}
