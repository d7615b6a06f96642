import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigurationError } from '@cricket/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSystemPrompt } from './profile-defaults.js';
import { loadProfilesFile, parseProfilesYaml } from './profiles-file.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'cricket-profiles-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function writeFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const weatherScript = `
model: scripted-weather
rules:
  - match: weather
    steps:
      - tool_calls: [{ name: get_weather, args: { city: Oslo } }]
      - text: "It is {{tool_result}}"
`;

/** Loads `profiles.yaml` (in the temp directory) with `text`, expecting a ConfigurationError; returns its message. */
function loadError(text: string, env: Record<string, string> = {}): string {
  const path = writeFile('profiles.yaml', text);
  try {
    loadProfilesFile(path, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected loadProfilesFile to throw');
}

describe('loadProfilesFile: valid files', () => {
  it('loads every field of a full file, with scripts relative to the file', () => {
    writeFile('weather.yaml', weatherScript);
    const path = writeFile(
      'profiles.yaml',
      `
default: agent
profiles:
  - slug: demo
    provider: scripted
    script: weather.yaml
  - slug: agent
    description: An agent
    provider: openai-chat
    model: gpt-4o
    base_url: https://proxy.example.com/v1
    api_key_env: MY_OPENAI_KEY
    temperature: 0.2
    top_p: 0.9
    max_tokens: 1000
    stop: ["END"]
    reasoning_effort: low
    idle_timeout: 90s
    max_retries: 1
    system_prompt: Be brief.
    middlewares:
      - name: agentmode
        config: { default_mode: chat }
      - name: sqltool
    tools: [calculator, current_time]
    allow_overrides: true
    max_iterations: 5
    tool_config:
      enabled: true
      tool_choice: required
      execution_timeout: 1m30s
      max_parallel_tools: 2
      tool_error_handling: retry
      retry_config: { max_retries: 4, backoff_base: 250ms }
    extensions:
      agent_modes: [{ name: chat }]
`,
    );
    const registry = loadProfilesFile(path, { MY_OPENAI_KEY: ' sk-test-123 ' });
    expect(registry.defaultSlug).toBe('agent');
    expect(registry.list().map((profile) => profile.slug)).toEqual(['agent', 'demo']);
    expect(registry.get('agent')).toEqual({
      slug: 'agent',
      description: 'An agent',
      engine: {
        provider: 'openai-chat',
        model: 'gpt-4o',
        apiKey: 'sk-test-123',
        baseUrl: 'https://proxy.example.com/v1',
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 1000,
        stop: ['END'],
        reasoningEffort: 'low',
        idleTimeoutMs: 90_000,
        maxRetries: 1,
      },
      systemPrompt: 'Be brief.',
      middlewares: [{ name: 'agentmode', config: { default_mode: 'chat' } }, { name: 'sqltool' }],
      tools: ['calculator', 'current_time'],
      allowOverrides: true,
      maxIterations: 5,
      toolConfig: {
        enabled: true,
        tool_choice: 'required',
        execution_timeout_ms: 90_000,
        max_parallel_tools: 2,
        tool_error_handling: 'retry',
        retry_config: { max_retries: 4, backoff_base_ms: 250, backoff_factor: 2 },
      },
      extensions: { agent_modes: [{ name: 'chat' }] },
    });
    expect(registry.availability('agent')).toEqual({ available: true });
    const demo = registry.get('demo');
    expect(demo?.engine).toEqual({ provider: 'scripted', model: 'scripted-weather' });
    expect(demo?.script?.rules[0]?.match).toBe('weather');
  });

  it('applies defaults: prompt, model per provider, all tools, no overrides, default slug', () => {
    const registry = parseProfilesYaml(
      `profiles:
  - { slug: zeta, provider: scripted }
  - { slug: local, provider: ollama }
  - { slug: claude, provider: anthropic, tools: [] }
`,
      'inline.yaml',
      {},
    );
    expect(registry.defaultSlug).toBe('zeta');
    expect(registry.list().map((profile) => profile.slug)).toEqual(['zeta', 'claude', 'local']);
    const zeta = registry.get('zeta');
    expect(zeta).toEqual({
      slug: 'zeta',
      engine: { provider: 'scripted', model: 'scripted-demo' },
      systemPrompt: defaultSystemPrompt,
      middlewares: [],
      tools: null,
      allowOverrides: false,
    });
    expect(registry.get('local')?.engine.model).toBe('llama3.2');
    expect(registry.get('claude')?.engine.model).toBe('claude-sonnet-4-5');
    expect(registry.get('claude')?.tools).toEqual([]);
  });

  it('prefers a profile named default when the file names no default', () => {
    const registry = parseProfilesYaml(
      'profiles: [{ slug: alpha, provider: scripted }, { slug: default, provider: scripted }]',
      'p.yaml',
      {},
    );
    expect(registry.defaultSlug).toBe('default');
    expect(registry.list().map((profile) => profile.slug)).toEqual(['default', 'alpha']);
  });

  it('accepts an inline script and keeps an empty system prompt', () => {
    const registry = parseProfilesYaml(
      `profiles:
  - slug: inline
    provider: scripted
    model: my-model
    system_prompt: ""
    script: { rules: [{ steps: [{ text: hi }] }] }
`,
      'p.yaml',
      {},
    );
    expect(registry.get('inline')?.engine.model).toBe('my-model');
    expect(registry.get('inline')?.systemPrompt).toBe('');
    expect(registry.get('inline')?.script?.rules[0]?.steps[0]?.text).toBe('hi');
  });

  it('loads a profile whose API key is missing, marked unavailable with the reason', () => {
    const registry = parseProfilesYaml(
      `profiles:
  - { slug: default, provider: scripted }
  - { slug: openai, provider: openai-chat }
  - { slug: custom, provider: anthropic, api_key_env: TEAM_ANTHROPIC_KEY }
  - { slug: gemini, provider: gemini }
`,
      'p.yaml',
      { ANTHROPIC_API_KEY: 'sk-ant-fallback', GEMINI_API_KEY: 'g-key' },
    );
    expect(registry.availability('default')).toEqual({ available: true });
    expect(registry.availability('gemini')).toEqual({ available: true });
    expect(registry.availability('openai')).toEqual({
      available: false,
      reason: expect.stringContaining('OPENAI_API_KEY'),
    });
    // An explicit api_key_env does not fall back to the provider's own variable.
    expect(registry.availability('custom')).toEqual({
      available: false,
      reason: 'no API key: environment variable TEAM_ANTHROPIC_KEY is not set',
    });
    expect(registry.get('custom')?.engine.apiKey).toBeUndefined();
    expect(registry.availability('missing')).toBeUndefined();
  });

  it('loads the repository example file and its weather script', () => {
    const registry = loadProfilesFile(resolve(import.meta.dirname, '../../../../profiles.example.yaml'), {});
    expect(registry.defaultSlug).toBe('default');
    expect(registry.list().map((profile) => profile.slug)).toEqual([
      'default',
      'agent',
      'local',
      'openai',
      'sql',
      'weather',
    ]);
    expect(registry.availability('openai')).toEqual({
      available: false,
      reason: 'no API key: environment variable OPENAI_API_KEY is not set',
    });
    expect(registry.availability('local')).toEqual({ available: true });
    expect(registry.get('weather')?.script?.rules[0]?.steps[0]?.tool_calls?.[0]?.name).toBe('get_weather');
    expect(registry.get('local')?.engine).toMatchObject({ provider: 'ollama', model: 'llama3.2' });
  });
});

describe('loadProfilesFile: errors name the file and the field', () => {
  it('reports a missing file', () => {
    const path = join(directory, 'nope.yaml');
    expect(() => loadProfilesFile(path, {})).toThrow(`${path}: cannot read profiles file: ENOENT`);
  });

  it.each([
    ['malformed YAML', 'profiles: [unclosed', /profiles\.yaml: malformed YAML: /],
    [
      'duplicate YAML keys',
      'profiles: []\nprofiles: []',
      /profiles\.yaml: malformed YAML: .*[Mm]ap keys must be unique/,
    ],
    ['an empty file', '# nothing\n', /profiles\.yaml: the file is empty/],
    ['a non-mapping root', '- slug: a', /profiles\.yaml: \(root\): Invalid input: expected object/],
    ['no profiles', 'profiles: []', /profiles\.yaml: profiles: at least one profile is required/],
    [
      'an unknown top-level key',
      'profile: []\nprofiles: [{slug: a, provider: scripted}]',
      /profiles\.yaml: profile: unknown key/,
    ],
    [
      'an unknown provider',
      'profiles:\n  - { slug: a, provider: scripted }\n  - { slug: b, provider: openai }',
      /profiles\.yaml: profiles\.1\.provider: Invalid option/,
    ],
    ['a missing provider', 'profiles: [{ slug: a }]', /profiles\.yaml: profiles\.0\.provider: /],
    [
      'a bad slug',
      'profiles: [{ slug: Bad Slug, provider: scripted }]',
      /profiles\.yaml: profiles\.0\.slug: slug must match/,
    ],
    [
      'an overlong slug',
      `profiles: [{ slug: ${'a'.repeat(65)}, provider: scripted }]`,
      /profiles\.0\.slug: slug must match/,
    ],
    [
      'an unknown profile key',
      'profiles: [{ slug: a, provider: scripted, temprature: 1 }]',
      /profiles\.yaml: profiles\.0\.temprature: unknown key/,
    ],
    [
      'an API key in the file',
      'profiles: [{ slug: a, provider: openai-chat, api_key: sk-1 }]',
      /profiles\.0\.api_key: API keys do not belong in profile files/,
    ],
    [
      'a bad api_key_env name',
      'profiles: [{ slug: a, provider: openai-chat, api_key_env: "MY-KEY" }]',
      /profiles\.0\.api_key_env: expected an environment variable name/,
    ],
    [
      'api_key_env for a keyless provider',
      'profiles: [{ slug: a, provider: ollama, api_key_env: X }]',
      /profiles\.0\.api_key_env: provider ollama takes no API key/,
    ],
    [
      'an out-of-range temperature',
      'profiles: [{ slug: a, provider: openai-chat, temperature: 3 }]',
      /profiles\.0\.temperature: /,
    ],
    [
      'a bad base URL',
      'profiles: [{ slug: a, provider: openai-chat, base_url: "ftp://x" }]',
      /profiles\.0\.base_url: /,
    ],
    [
      'a base URL for scripted',
      'profiles: [{ slug: a, provider: scripted, base_url: "http://x" }]',
      /profiles\.0\.base_url: the scripted provider has no base URL/,
    ],
    [
      'a bad duration',
      'profiles: [{ slug: a, provider: scripted, tool_config: { execution_timeout: soon } }]',
      /profiles\.0\.tool_config\.execution_timeout: invalid duration "soon"/,
    ],
    [
      'a numeric duration',
      'profiles: [{ slug: a, provider: scripted, idle_timeout: 30 }]',
      /profiles\.0\.idle_timeout: expected a duration string/,
    ],
    [
      'a bad retry duration',
      'profiles: [{ slug: a, provider: scripted, tool_config: { retry_config: { backoff_base: 1x } } }]',
      /profiles\.0\.tool_config\.retry_config\.backoff_base: invalid duration/,
    ],
    [
      'allowed_tools in tool_config',
      'profiles: [{ slug: a, provider: scripted, tool_config: { allowed_tools: [x] } }]',
      /profiles\.0\.tool_config\.allowed_tools: unknown key/,
    ],
    [
      'a blank middleware name',
      'profiles: [{ slug: a, provider: scripted, middlewares: [{ name: " " }] }]',
      /profiles\.0\.middlewares\.0\.name: middleware name must not be blank/,
    ],
    [
      'a bad tool name',
      'profiles: [{ slug: a, provider: scripted, tools: ["two words"] }]',
      /profiles\.0\.tools\.0: expected a tool name/,
    ],
    [
      'a bad max_iterations',
      'profiles: [{ slug: a, provider: scripted, max_iterations: 0 }]',
      /profiles\.0\.max_iterations: /,
    ],
    [
      'a duplicate slug',
      'profiles:\n  - { slug: a, provider: scripted }\n  - { slug: b, provider: scripted }\n  - { slug: a, provider: ollama }',
      /profiles\.yaml: profiles\.2\.slug: duplicate slug "a" \(also profiles\.0\.slug\)/,
    ],
    [
      'an unknown default',
      'default: main\nprofiles: [{ slug: a, provider: scripted }]',
      /profiles\.yaml: default: no profile has the slug "main"/,
    ],
    [
      'a script for another provider',
      'profiles: [{ slug: a, provider: ollama, script: s.yaml }]',
      /profiles\.0\.script: only the scripted provider takes a script/,
    ],
    [
      'a missing script file',
      'profiles: [{ slug: a, provider: scripted, script: missing.yaml }]',
      /profiles\.yaml: profiles\.0\.script: cannot read script file missing\.yaml: ENOENT/,
    ],
    [
      'an invalid inline script',
      'profiles: [{ slug: a, provider: scripted, script: { rules: [] } }]',
      /profiles\.0\.script: invalid scripted-engine inline script: rules: /,
    ],
  ])('reports %s', (_name, text, expected) => {
    expect(loadError(text)).toMatch(expected);
  });

  it('reports a script file with malformed YAML or an invalid shape', () => {
    writeFile('broken.yaml', 'rules: [unclosed');
    writeFile('invalid.yaml', 'rules:\n  - match: "("\n    steps: [{ text: hi }]');
    const message = loadError(
      'profiles:\n  - { slug: a, provider: scripted, script: broken.yaml }\n  - { slug: b, provider: scripted, script: invalid.yaml }',
    );
    expect(message).toMatch(/profiles\.yaml: profiles\.0\.script: malformed scripted-engine broken\.yaml YAML: /);
    expect(message).toMatch(/; profiles\.1\.script: invalid scripted-engine invalid\.yaml: rules\.0\.match: /);
  });

  it('reports every schema problem at once', () => {
    const message = loadError('profiles:\n  - { slug: A, provider: nope, extra: 1 }');
    expect(message).toContain('profiles.0.slug: ');
    expect(message).toContain('profiles.0.provider: ');
    expect(message).toContain('profiles.0.extra: unknown key');
  });

  it('prefixes messages with the given source name', () => {
    expect(() => parseProfilesYaml('profiles: 3', 'team-profiles.yaml', {})).toThrow(
      /^team-profiles\.yaml: profiles: /,
    );
  });
});
