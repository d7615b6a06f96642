// Streaming over real sockets, with the scripted engine and with the OpenAI Chat engine against a
// fake OpenAI-compatible server: fan-out to several tabs, seq order, mid-stream joins and seeded
// reconnects converging to /timeline, stop, provider failures and failing tools.
import { parseSemFrame, type SemEvent, type TimelineEntity } from '@cricket/protocol';
import { describe, expect, it } from 'vitest';
import { type EngineRig, engineCases } from '../testing/engine-rigs.js';
import {
  assistantMessages,
  comparable,
  displayOrder,
  fetchTimeline,
  firstNonIncreasing,
  fold,
  HydratingClient,
  postJson,
  rawSeqs,
  seededRandom,
  settle,
  sleep,
  waitIdle,
  waitUntil,
} from '../testing/integration-helpers.js';
import { openTestSocket, type TestSocket } from '../testing/test-socket.js';

async function withRig<T>(rig: EngineRig, body: (rig: EngineRig) => Promise<T>): Promise<T> {
  try {
    return await body(rig);
  } finally {
    await rig.close();
  }
}

async function chat(rig: EngineRig, convId: string, prompt: string) {
  const response = await postJson(rig.server.url, '/chat', { conv_id: convId, prompt });
  expect(response.status, response.text).toBe(200);
  expect(response.body.status).toBe('started');
  return response;
}

/** Waits for the inference to end and every frame to reach `sockets`; returns /timeline's entities. */
async function finished(rig: EngineRig, convId: string, sockets: TestSocket[] = []): Promise<TimelineEntity[]> {
  await waitIdle(rig.server.url, convId);
  const snapshot = await fetchTimeline(rig.server.url, convId);
  for (const socket of sockets) await settle(socket);
  return snapshot.entities ?? [];
}

function streamingMessages(entities: readonly TimelineEntity[]): TimelineEntity[] {
  return entities.filter((entity) => entity.kind === 'message' && entity.message?.streaming);
}

/** `streaming` is omitted when false (protobuf JSON drops zero values). */
function isStreaming(entity: TimelineEntity | undefined): boolean {
  if (!entity?.message) throw new Error('not a message entity');
  return entity.message.streaming === true;
}

/** Sends the rig's next prompt and checks that it is answered completely, without an error. */
async function nextPromptWorks(rig: EngineRig, convId: string): Promise<void> {
  const before = (await fetchTimeline(rig.server.url, convId)).entities ?? [];
  await chat(rig, convId, rig.nextPrompt);
  const after = await finished(rig, convId);
  const added = after.filter((entity) => !before.some((old) => old.id === entity.id));
  expect(added.filter((entity) => entity.kind === 'error')).toEqual([]);
  const answer = assistantMessages(displayOrder(added)).at(-1);
  expect(answer?.message?.content).toBe(rig.nextAnswer);
  expect(isStreaming(answer)).toBe(false);
}

function llmText(events: readonly SemEvent[], type: 'llm.delta' | 'llm.final'): number {
  return events.filter((event) => event.type === type).length;
}

describe.each(engineCases)('streaming with the $name engine', (engine) => {
  describe.concurrent('fan-out and order', () => {
    it('gives two sockets on one conversation identical frame sequences with strictly increasing seq', async () => {
      await withRig(await engine.start('tool'), async (rig) => {
        const [a, b] = await Promise.all([
          openTestSocket(`${rig.server.wsUrl}?conv_id=fan`),
          openTestSocket(`${rig.server.wsUrl}?conv_id=fan`),
        ]);
        await chat(rig, 'fan', rig.prompt);
        const entities = await finished(rig, 'fan', [a, b]);

        const withoutControl = (socket: TestSocket) =>
          socket.texts.filter((text) => !text.includes('"ws.hello"') && !text.includes('"ws.pong"'));
        expect(withoutControl(a).length).toBeGreaterThan(10);
        expect(withoutControl(b)).toEqual(withoutControl(a));

        // Every frame is a well-formed SEM envelope of a known type.
        for (const text of a.texts) expect(parseSemFrame(text).kind, text).toBe('known');
        expect(a.events).toHaveLength(a.texts.length);
        expect(firstNonIncreasing(rawSeqs(a.events))).toBeUndefined();
        for (const event of a.events) {
          if (event.type === 'timeline.upsert') expect(String(event.seq)).toBe(event.data.version);
          if (event.type === 'ws.hello' || event.type === 'ws.pong') expect(event.seq).toBeUndefined();
          else expect(Number.isSafeInteger(event.seq)).toBe(true);
        }
        const finals = a.events.filter((event) => event.type === 'llm.final');
        expect(finals.at(-1)?.type === 'llm.final' && finals.at(-1)?.data.text).toBe(rig.answer);
        expect(a.events.some((event) => event.type === 'tool.start')).toBe(true);
        expect(a.events.some((event) => event.type === 'tool.result')).toBe(true);

        // A tab connected from the start that folds what it received holds exactly /timeline.
        expect(comparable(fold(a.events).entities())).toEqual(comparable(entities));
        expect(entities.map((entity) => entity.kind).sort()).toEqual([
          'message',
          'message',
          'tool_call',
          'tool_result',
        ]);
        expect(rig.toolCalls).toEqual([{ city: 'Paris' }]);
        a.close();
        b.close();
      });
    });

    it('lets a socket that joins mid-stream hydrate from /timeline and converge', async () => {
      await withRig(await engine.start('long'), async (rig) => {
        const early = await openTestSocket(`${rig.server.wsUrl}?conv_id=join`);
        await chat(rig, 'join', rig.prompt);
        await early.waitFor(() => llmText(early.events, 'llm.delta') >= 15);
        const late = new HydratingClient(rig.server.url, rig.server.wsUrl, 'join');
        await late.connect();
        const hydratedWith = assistantMessages(late.state.entities()).at(-1)?.message?.content ?? '';
        expect(hydratedWith.length).toBeGreaterThan(0);
        expect(hydratedWith.length).toBeLessThan(rig.answer.length);

        const entities = await finished(rig, 'join', [early]);
        await late.settle();
        expect(late.received.some((event) => event.type === 'llm.delta')).toBe(true);
        expect(comparable(late.state.entities())).toEqual(comparable(entities));
        expect(comparable(fold(early.events).entities())).toEqual(comparable(entities));
        expect(assistantMessages(entities)[0]?.message?.content).toBe(rig.answer);
        expect(isStreaming(assistantMessages(entities)[0])).toBe(false);
        early.close();
        late.disconnect();
      });
    });
  });

  describe.concurrent('disconnects', () => {
    it('does not cancel the inference when every socket closes mid-stream', async () => {
      await withRig(await engine.start('long'), async (rig) => {
        const socket = await openTestSocket(`${rig.server.wsUrl}?conv_id=tab-closed`);
        await chat(rig, 'tab-closed', rig.prompt);
        await socket.waitFor(() => llmText(socket.events, 'llm.delta') >= 5);
        socket.close();
        expect(await socket.closed).toBe(1005);
        const entities = await finished(rig, 'tab-closed');
        const [answer] = assistantMessages(entities);
        expect(answer?.message?.content).toBe(rig.answer);
        expect(isStreaming(answer)).toBe(false);
        expect(answer?.message?.metadata?.stopReason).not.toBe('interrupted');
        if (rig.replay) expect(await rig.replay.requests[0]?.outcome).toBe('completed');
      });
    });
  });

  describe.concurrent('reconnect mid-stream at seeded random points', () => {
    it.each([11, 23, 37])('converges with no lost or duplicated text (seed %i)', async (seed) => {
      // A 4 ms commit window instead of the default 16: more, smaller frames, so the seeded drop
      // points land mid-stream and between more frame boundaries.
      await withRig(await engine.start('long', { commitWindowMs: 4 }), async (rig) => {
        const random = seededRandom(seed);
        const client = new HydratingClient(rig.server.url, rig.server.wsUrl, 'reconnect');
        const violations: string[] = [];
        client.onApply = (_event, state) => {
          for (const entity of assistantMessages(state.entities())) {
            const content = entity.message?.content ?? '';
            if (!rig.answer.startsWith(content)) violations.push(`not a prefix of the answer: ${content.slice(-40)}`);
          }
        };
        await client.connect();
        await chat(rig, 'reconnect', rig.prompt);
        let midStream = 0;
        for (let round = 0; round < 3; round++) {
          const threshold = client.received.length + 3 + Math.floor(random() * 25);
          await client.waitFor(() => client.received.length >= threshold, 5000).catch(() => undefined);
          await sleep(Math.floor(random() * 15));
          if (!client.received.some((event) => event.type === 'llm.final')) midStream++;
          await client.reconnect();
        }
        const entities = await finished(rig, 'reconnect');
        await client.settle();
        expect(midStream).toBe(3);
        expect(violations).toEqual([]);
        expect(comparable(client.state.entities())).toEqual(comparable(entities));
        const answers = assistantMessages(client.state.entities());
        expect(answers).toHaveLength(1);
        expect(answers[0]?.message?.content).toBe(rig.answer);
        expect(isStreaming(answers[0])).toBe(false);
        client.disconnect();
      });
    });
  });

  describe.concurrent('stop and failures', () => {
    it('stops mid-stream: partial text kept, message closed as interrupted, next prompt works', async () => {
      await withRig(await engine.start('long'), async (rig) => {
        const socket = await openTestSocket(`${rig.server.wsUrl}?conv_id=stop`);
        const started = await chat(rig, 'stop', rig.prompt);
        await socket.waitFor(() => llmText(socket.events, 'llm.delta') >= 5);
        const stop = await postJson(rig.server.url, '/api/chat/stop', { conv_id: 'stop' });
        expect(stop.status).toBe(200);
        expect(stop.body).toEqual({ conv_id: 'stop', stopped: true, inference_id: started.body.inference_id });

        const entities = await finished(rig, 'stop', [socket]);
        const [answer] = assistantMessages(entities);
        const partial = answer?.message?.content ?? '';
        expect(partial.length).toBeGreaterThan(0);
        expect(partial.length).toBeLessThan(rig.answer.length);
        expect(rig.answer.startsWith(partial)).toBe(true);
        expect(isStreaming(answer)).toBe(false);
        expect(answer?.message?.metadata?.stopReason).toBe('interrupted');
        expect(streamingMessages(entities)).toEqual([]);
        expect(entities.filter((entity) => entity.kind === 'error')).toEqual([]);
        expect(comparable(fold(socket.events).entities())).toEqual(comparable(entities));
        if (rig.replay) expect(await rig.replay.requests[0]?.outcome).toBe('client-closed');

        const again = await postJson(rig.server.url, '/api/chat/stop', { conv_id: 'stop' });
        expect(again.body).toEqual({ conv_id: 'stop', stopped: false });
        await nextPromptWorks(rig, 'stop');
        socket.close();
      });
    });

    it('stops while a tool runs: the tool card is closed with an error, next prompt works', async () => {
      await withRig(await engine.start('slow-tool'), async (rig) => {
        const socket = await openTestSocket(`${rig.server.wsUrl}?conv_id=stop-tool`);
        await chat(rig, 'stop-tool', rig.prompt);
        await socket.waitFor((event) => event.type === 'tool.delta');
        await waitUntil(() => rig.toolCalls.length === 1, 5000, 'the tool to run');
        const stop = await postJson(rig.server.url, '/api/chat/stop', { conv_id: 'stop-tool' });
        expect(stop.body.stopped).toBe(true);

        const entities = await finished(rig, 'stop-tool', [socket]);
        const call = entities.find((entity) => entity.kind === 'tool_call');
        expect(call?.toolCall).toMatchObject({ name: 'get_weather', done: true, status: 'error' });
        const result = entities.find((entity) => entity.kind === 'tool_result');
        expect(result?.toolResult?.error).toBeTruthy();
        expect(streamingMessages(entities)).toEqual([]);
        expect(comparable(fold(socket.events).entities())).toEqual(comparable(entities));
        await nextPromptWorks(rig, 'stop-tool');
        socket.close();
      });
    });

    it('turns a provider failure mid-stream into an error frame and a persisted error entity', async () => {
      await withRig(await engine.start('fail'), async (rig) => {
        const socket = await openTestSocket(`${rig.server.wsUrl}?conv_id=fail`);
        await chat(rig, 'fail', rig.prompt);
        const frame = await socket.waitFor((event) => event.type === 'error');
        const entities = await finished(rig, 'fail', [socket]);

        const errors = entities.filter((entity) => entity.kind === 'error');
        expect(errors).toHaveLength(1);
        expect(errors[0]?.id).toBe(frame.id);
        expect(frame.type === 'error' && frame.data.message).toBeTruthy();
        expect(errors[0]?.error?.message).toBe(frame.type === 'error' ? frame.data.message : '');
        // What streamed before the failure is kept, and the message does not spin forever.
        expect(assistantMessages(entities)[0]?.message?.content).toBe(rig.failurePartial);
        expect(assistantMessages(entities)[0]?.message?.metadata?.stopReason).toBe('error');
        expect(streamingMessages(entities)).toEqual([]);
        expect(socket.events.filter((event) => event.type === 'error')).toHaveLength(1);
        expect(comparable(fold(socket.events).entities())).toEqual(comparable(entities));
        await nextPromptWorks(rig, 'fail');
        socket.close();
      });
    });

    it('turns a provider failure after a tool call into an error frame and a persisted error entity', async () => {
      await withRig(await engine.start('fail-after-tool'), async (rig) => {
        const socket = await openTestSocket(`${rig.server.wsUrl}?conv_id=fail-tool`);
        await chat(rig, 'fail-tool', rig.prompt);
        await socket.waitFor((event) => event.type === 'error');
        const entities = await finished(rig, 'fail-tool', [socket]);
        expect(entities.filter((entity) => entity.kind === 'error')).toHaveLength(1);
        expect(entities.find((entity) => entity.kind === 'tool_call')?.toolCall).toMatchObject({
          status: 'completed',
          done: true,
        });
        expect(entities.find((entity) => entity.kind === 'tool_result')?.toolResult?.result).toMatchObject({
          city: 'Paris',
          forecast: 'sunny',
        });
        expect(streamingMessages(entities)).toEqual([]);
        expect(comparable(fold(socket.events).entities())).toEqual(comparable(entities));
        await nextPromptWorks(rig, 'fail-tool');
        socket.close();
      });
    });

    it('records a tool that throws as a tool result with an error and lets the inference continue', async () => {
      await withRig(await engine.start('tool-throws'), async (rig) => {
        const socket = await openTestSocket(`${rig.server.wsUrl}?conv_id=throws`);
        await chat(rig, 'throws', rig.prompt);
        const entities = await finished(rig, 'throws', [socket]);
        const result = entities.find((entity) => entity.kind === 'tool_result');
        expect(result?.toolResult?.error).toContain('weather service is down');
        expect(entities.find((entity) => entity.kind === 'tool_call')?.toolCall).toMatchObject({
          status: 'error',
          done: true,
        });
        expect(entities.filter((entity) => entity.kind === 'error')).toEqual([]);
        expect(assistantMessages(entities).at(-1)?.message?.content).toBe(rig.answer);
        expect(isStreaming(assistantMessages(entities).at(-1))).toBe(false);
        expect(comparable(fold(socket.events).entities())).toEqual(comparable(entities));
        socket.close();
      });
    });
  });
});
