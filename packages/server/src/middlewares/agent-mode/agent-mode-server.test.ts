import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScriptedEngine } from '@cricket/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CricketDatabase } from '../../db/cricket-database.js';
import { openDatabase } from '../../db/open-database.js';
import {
  openTestSocket,
  scriptedProfile,
  startTestServer,
  type TestServer,
  type TestSocket,
} from '../../testing/index.js';
import { agentModeScript, testModes } from '../testing/agent-mode-harness.js';
import { SpyEngine } from '../testing/spy-engine.js';
import { createAgentModeMiddlewareFactory } from './agent-mode-middleware-factory.js';
import { SqliteAgentModeStore } from './sqlite-agent-mode-store.js';

interface TimelineEntity {
  id: string;
  kind: string;
  agentMode?: { from?: string; to?: string; analysis?: string; title?: string };
  toolResult?: { error?: string; resultRaw?: string };
}

const agentProfile = scriptedProfile('agent', {
  script: agentModeScript,
  middlewares: [{ name: 'agentmode' }],
  extensions: { agent_modes: testModes },
});

describe('agent mode through the chat server', () => {
  let directory: string;
  let databasePath: string;
  let server: TestServer | undefined;
  let socket: TestSocket | undefined;
  const connections: CricketDatabase[] = [];
  let engines: SpyEngine[] = [];

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cricket-agentmode-server-'));
    databasePath = join(directory, 'cricket.sqlite');
    engines = [];
  });
  afterEach(async () => {
    socket?.close();
    await server?.close();
    for (const connection of connections.splice(0)) connection.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Starts a server on the file with its own agent-mode store connection (as a restart would). */
  async function start(): Promise<SqliteAgentModeStore> {
    const connection = openDatabase(databasePath);
    connections.push(connection);
    const store = new SqliteAgentModeStore(connection);
    server = await startTestServer({
      databasePath,
      profiles: [agentProfile],
      middlewares: { agentmode: createAgentModeMiddlewareFactory(store) },
      createEngine: (profile) => {
        const engine = new SpyEngine(new ScriptedEngine(profile.script ? { script: profile.script } : {}));
        engines.push(engine);
        return engine;
      },
    });
    socket = await openTestSocket(`${server.wsUrl}?conv_id=c1`);
    await socket.waitFor((event) => event.type === 'ws.hello');
    return store;
  }

  async function chat(prompt: string, finalText: (text: string) => boolean): Promise<{ session_id: string }> {
    if (!server || !socket) throw new Error('server not started');
    const response = await fetch(`${server.url}/chat/agent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conv_id: 'c1', prompt }),
    });
    expect(response.status).toBe(200);
    await socket.waitFor((event) => event.type === 'llm.final' && finalText(event.data.text ?? ''));
    return (await response.json()) as { session_id: string };
  }

  async function timeline(): Promise<TimelineEntity[]> {
    if (!server) throw new Error('server not started');
    const body = (await (await fetch(`${server.url}/timeline?conv_id=c1`)).json()) as { entities: TimelineEntity[] };
    return body.entities;
  }

  it('records a switch by session, shows it after a restart, and enforces the new mode', async () => {
    const store = await start();
    // Chat mode, first engine call of the session: calculator is neither advertised nor run.
    await chat('use calculator', (text) => text.startsWith('calculator:'));
    const { session_id: sessionId } = await chat('switch to math', (text) => text.includes('mode_switch'));
    await socket?.waitFor((event) => event.type === 'agent.mode');
    expect(store.changes(sessionId)).toMatchObject([
      { sessionId, fromMode: 'chat', toMode: 'math', analysis: 'The user wants arithmetic.' },
    ]);
    expect(engines.flatMap((engine) => engine.calls.map((call) => call.tools))).toEqual([
      ['current_time'],
      ['current_time'],
      ['current_time'],
    ]);

    await server?.close();
    server = undefined;
    socket?.close();
    const reopened = await start();
    expect(reopened.currentMode(sessionId)).toBe('math');
    const modes = (await timeline()).filter((entity) => entity.kind === 'agent_mode');
    expect(modes).toEqual([
      expect.objectContaining({
        agentMode: expect.objectContaining({
          title: 'agentmode: mode switched',
          from: 'chat',
          to: 'math',
          analysis: 'The user wants arithmetic.',
        }),
      }),
    ]);

    await chat('use calculator', (text) => text.startsWith('calculator:'));
    await chat('use clock', (text) => text.startsWith('clock:'));
    const calls = engines.flatMap((engine) => engine.calls.map((call) => call.tools));
    expect(calls.slice(3)).toEqual([['calculator'], ['calculator'], ['calculator'], ['calculator']]);
    const results = (await timeline()).filter((entity) => entity.kind === 'tool_result');
    expect(results.map((entity) => entity.toolResult?.error ?? entity.toolResult?.resultRaw)).toEqual([
      'tool not allowed: calculator',
      '{"expression":"6*7","result":42}',
      'tool not allowed: current_time',
    ]);
  });
});
