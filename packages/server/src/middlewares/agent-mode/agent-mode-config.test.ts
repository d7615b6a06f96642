import { ConfigurationError } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { scriptedProfile } from '../../testing/start-test-server.js';
import { parseAgentModeConfig } from './agent-mode-config.js';
import { createAgentModeMiddlewareFactory } from './agent-mode-middleware-factory.js';
import { InMemoryAgentModeStore } from './agent-mode-store.js';

const modes = {
  default_mode: 'Chat',
  modes: [
    { name: 'Chat', prompt: 'Talk.', allowed_tools: ['current_time', 'current_time'] },
    { name: 'math', prompt: 'Compute.', allowed_tools: ['calculator'] },
    { name: 'free' },
  ],
};

describe('parseAgentModeConfig', () => {
  it('builds a case-insensitive catalogue with the default mode and de-duplicated tool lists', () => {
    const catalog = parseAgentModeConfig(modes);
    expect(catalog.defaultMode.name).toBe('Chat');
    expect(catalog.get('MATH')?.name).toBe('math');
    expect(catalog.get(' chat ')?.allowed_tools).toEqual(['current_time']);
    expect(catalog.get('free')).toEqual({ name: 'free', prompt: '' });
    expect(catalog.get('nope')).toBeUndefined();
    expect(catalog.names()).toEqual(['Chat', 'free', 'math']);
  });

  it('refuses an unknown default mode, naming the modes', () => {
    expect(() => parseAgentModeConfig({ ...modes, default_mode: 'research' }, 'profile "agent"')).toThrow(
      new ConfigurationError('profile "agent": default_mode "research" is not one of the modes (Chat, free, math)'),
    );
  });

  it.each([
    [{ modes: [], default_mode: 'a' }, 'modes: at least one mode is required'],
    [{ modes: [{ name: ' ' }], default_mode: 'a' }, 'modes.0.name: mode name must not be blank'],
    [{ modes: [{ name: 'a', tools: [] }], default_mode: 'a' }, 'modes.0.tools: unknown key'],
    [
      { modes: [{ name: 'a', allowed_tools: ['bad name'] }], default_mode: 'a' },
      'modes.0.allowed_tools.0: expected a tool name',
    ],
    [{ modes: [{ name: 'a' }] }, 'default_mode: Invalid input'],
    [{ modes: [{ name: 'a' }, { name: 'A' }], default_mode: 'a' }, 'duplicate mode "A"'],
    [{ modes: [{ name: 'a' }], default_mode: 'a', extra: 1 }, 'extra: unknown key'],
  ])('refuses %j', (value, message) => {
    expect(() => parseAgentModeConfig(value, 'src')).toThrow(ConfigurationError);
    expect(() => parseAgentModeConfig(value, 'src')).toThrow(message);
  });
});

describe('createAgentModeMiddlewareFactory', () => {
  const factory = createAgentModeMiddlewareFactory(new InMemoryAgentModeStore());
  const context = (extensions?: Record<string, unknown>) => ({
    convId: 'c',
    sessionId: 's',
    profile: scriptedProfile('agent', extensions ? { extensions } : {}),
  });

  it('reads the profile extension, or the middleware config when it is not empty', () => {
    expect(typeof factory({}, context({ agent_modes: modes }))).toBe('function');
    expect(typeof factory(modes, context())).toBe('function');
  });

  it('names the profile and the source in configuration errors', () => {
    expect(() => factory({}, context())).toThrow(
      'profile "agent": middleware agentmode has no modes: set extensions.agent_modes',
    );
    expect(() => factory({}, context({ agent_modes: ['x'] }))).toThrow(
      'profile "agent": extensions.agent_modes must be a mapping',
    );
    expect(() => factory({}, context({ agent_modes: { ...modes, default_mode: 'zzz' } }))).toThrow(
      'profile "agent": extensions.agent_modes: default_mode "zzz" is not one of the modes',
    );
    expect(() => factory({ modes: [] }, context())).toThrow(
      'profile "agent": middleware agentmode config: modes: at least one mode is required',
    );
  });
});
