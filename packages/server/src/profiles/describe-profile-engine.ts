import type { Profile } from './profile.js';

/**
 * A one-line label of who answers for a profile, for banners, headers and listings:
 * `openai-chat · gpt-4o-mini`, or for the scripted engine
 * `scripted-demo (offline scripted engine — no model connected)`.
 */
export function describeProfileEngine(profile: Pick<Profile, 'engine'>): string {
  const { provider, model } = profile.engine;
  if (provider === 'scripted') return `${model} (offline scripted engine — no model connected)`;
  return `${provider} · ${model}`;
}
