import type { Profile, ProfileRegistry } from '@cricket/server/profiles';
import type { Command } from 'commander';
import { action, CliFailure, exitCodesHelp, printJson, printTable, usageExitCodes } from './cli-support.js';

interface ProfilesOptions {
  profiles?: string;
  provider?: string;
  model?: string;
  json: boolean;
}

/** The profiles module: loaded when a profiles command runs, not for every `cricket` start (it pulls in the framework). */
const profilesModule = () => import('@cricket/server/profiles');

async function registry(options: ProfilesOptions): Promise<ProfileRegistry> {
  const { createDefaultProfiles, loadProfilesFile } = await profilesModule();
  if (options.profiles) return loadProfilesFile(options.profiles);
  return createDefaultProfiles(process.env, {
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.model ? { model: options.model } : {}),
  });
}

const secretKey = /key|token|secret|password/i;

/** A copy of `value` with secret-looking fields (API keys, tokens) replaced by `***`. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      secretKey.test(key) && typeof inner === 'string' ? '***' : redact(inner),
    ]),
  );
}

function availabilityOf(profiles: ProfileRegistry, profile: Profile): { available: boolean; reason?: string } {
  const availability = profiles.availability(profile.slug);
  if (!availability || availability.available) return { available: true };
  return { available: false, reason: availability.reason };
}

async function list(options: ProfilesOptions): Promise<void> {
  const { describeProfileEngine } = await profilesModule();
  const profiles = await registry(options);
  const rows = profiles.list().map((profile) => {
    const availability = availabilityOf(profiles, profile);
    return {
      slug: profile.slug,
      default: profile.slug === profiles.defaultSlug,
      engine: describeProfileEngine(profile),
      provider: profile.engine.provider,
      model: profile.engine.model,
      middlewares: profile.middlewares.map((middleware) => middleware.name),
      tools: profile.tools,
      available: availability.available,
      ...(availability.reason ? { unavailable_reason: availability.reason } : {}),
      description: profile.description ?? '',
    };
  });
  if (options.json) {
    printJson(rows);
    return;
  }
  printTable(
    rows.map((row) => ({
      ...row,
      default: row.default ? '*' : '',
      middlewares: row.middlewares.join(',') || '-',
      tools: row.tools === null ? 'all' : row.tools.join(',') || 'none',
      available: row.available ? 'yes' : `no (${row.unavailable_reason ?? ''})`,
    })),
    ['default', 'slug', 'engine', 'middlewares', 'tools', 'available'],
  );
}

async function show(slug: string, options: ProfilesOptions): Promise<void> {
  const { describeProfileEngine } = await profilesModule();
  const profiles = await registry(options);
  const profile = profiles.get(slug);
  if (!profile) {
    const known = profiles
      .list()
      .map((p) => p.slug)
      .join(', ');
    throw new CliFailure(`unknown profile "${slug}" (known: ${known})`);
  }
  const availability = availabilityOf(profiles, profile);
  const shown = {
    ...(redact(profile) as Record<string, unknown>),
    default: profile.slug === profiles.defaultSlug,
    available: availability.available,
    ...(availability.reason ? { unavailable_reason: availability.reason } : {}),
  };
  if (options.json) {
    printJson(shown);
    return;
  }
  process.stdout.write(`profile ${profile.slug}${shown.default ? ' (default)' : ''}\n`);
  process.stdout.write(`engine: ${describeProfileEngine(profile)}\n`);
  process.stdout.write(
    `available: ${availability.available ? 'yes' : `no — ${availability.reason ?? ''}`}\n` +
      `middlewares: ${profile.middlewares.map((m) => m.name).join(', ') || '-'}\n` +
      `tools: ${profile.tools === null ? 'all registered' : profile.tools.join(', ') || 'none'}\n` +
      `overrides allowed: ${profile.allowOverrides ? 'yes' : 'no'}\n`,
  );
  if (profile.description) process.stdout.write(`description: ${profile.description}\n`);
  process.stdout.write(`system prompt:\n${profile.systemPrompt.replace(/^/gm, '  ')}\n`);
}

function common(command: Command): Command {
  return command
    .option('--profiles <file>', 'profiles YAML file (default: the built-in "default" profile from the environment)')
    .option('--provider <provider>', 'provider of the default profile (without --profiles)')
    .option('--model <model>', 'model of the default profile (without --profiles)')
    .option('--json', 'print JSON (API keys redacted)', false)
    .addHelpText('after', exitCodesHelp);
}

/** Registers `cricket profiles list|show`. */
export function registerProfilesCommand(program: Command): void {
  const profiles = usageExitCodes(
    program.command('profiles').description('List and show chat profiles (from --profiles or the environment).'),
  );
  common(profiles.command('list').description('List the profiles, the default first.')).action(
    action('profiles list', list),
  );
  common(profiles.command('show').description('Show one profile.').argument('<slug>', 'profile slug')).action(
    action('profiles show', show),
  );
}
