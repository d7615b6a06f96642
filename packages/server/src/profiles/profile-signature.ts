import type { EngineSettings } from '@cricket/providers';
import type { Profile } from './profile.js';

// Engine settings that never enter a signature: secrets, and headers that may carry them.
const secretSettings: ReadonlySet<string> = new Set<keyof EngineSettings>(['apiKey', 'headers']);

/**
 * A deterministic JSON signature of what an engine is built from — `{slug, system_prompt,
 * middlewares, tools, engine}` with object keys sorted at every depth — used to decide whether a
 * conversation's engine must be rebuilt (reference §9.3). The engine settings are included without
 * `apiKey` and `headers`, so the signature never contains a secret and may be logged. Not hashed.
 */
export function profileSignature(profile: Profile): string {
  const engine = Object.fromEntries(Object.entries(profile.engine).filter(([key]) => !secretSettings.has(key)));
  return JSON.stringify(
    canonicalize({
      slug: profile.slug,
      system_prompt: profile.systemPrompt,
      middlewares: profile.middlewares.map((middleware) => ({
        name: middleware.name,
        config: middleware.config ?? {},
      })),
      tools: profile.tools,
      engine,
    }),
  );
}

// Sorts object keys recursively and drops `undefined` members, so equal values give equal text.
function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonicalize(item)));
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member: unknown = Reflect.get(value, key);
    if (member !== undefined) sorted[key] = canonicalize(member);
  }
  return sorted;
}
