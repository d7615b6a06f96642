// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../client/index.js';
import { createFakeWebSocketClass, type FakeWebSocket } from '../client/testing/fake-web-socket.js';
import type { ThemeState } from '../theme/use-theme.js';
import type { ChatEnvironment } from './chat-environment.js';
import { ChatPage } from './chat-page.js';

const theme: ThemeState = { theme: 'light', preference: 'system', setPreference: () => undefined };

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A fake server for the page: routes by method and path, records every request. */
function setup() {
  const { WebSocket, sockets } = createFakeWebSocketClass();
  const requests: { method: string; path: string; body: unknown }[] = [];
  let chatAnswer: () => Response = () =>
    json({ status: 'started', conv_id: 'c', session_id: 's', idempotency_key: 'k', turn_id: 't' });
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    const method = init.method ?? 'GET';
    requests.push({ method, path: url.pathname, body: init.body ? JSON.parse(String(init.body)) : undefined });
    if (url.pathname === '/api/chat/profiles') {
      return json([
        { slug: 'default', default_prompt: '', provider: 'scripted', model: 'scripted-demo', offline: true },
      ]);
    }
    if (url.pathname === '/api/chat/profile') return json({ slug: 'default', profile: '' });
    if (url.pathname === '/api/conversations') return json({ items: [] });
    if (url.pathname === '/timeline') return json({ convId: url.searchParams.get('conv_id'), version: '0' });
    if (url.pathname.startsWith('/chat')) return chatAnswer();
    return json({ error: { code: 'not_found', message: 'no route' } }, 404);
  };
  const environment: ChatEnvironment = { baseUrl: 'http://localhost:3000/', WebSocket, fetch };
  render(<ChatPage environment={environment} theme={theme} />);
  return {
    sockets,
    requests,
    setChatAnswer(next: () => Response) {
      chatAnswer = next;
    },
    socket(): FakeWebSocket {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was opened');
      return socket;
    },
  };
}

/** Sends a SEM event on the socket inside React's act(). */
function receive(socket: FakeWebSocket, event: Record<string, unknown>) {
  act(() => socket.receiveEvent(event));
}

beforeEach(() => window.history.replaceState(null, '', '/'));
afterEach(cleanup);

describe('ChatPage', () => {
  it('opens on a welcome screen without creating a server conversation', async () => {
    const server = setup();
    expect(await screen.findByRole('heading', { name: 'What can I help with?' })).toBeTruthy();
    await screen.findAllByText('offline demo engine');
    expect(server.sockets).toHaveLength(0);
    expect(server.requests.some((request) => request.path === '/chat' || request.path === '/timeline')).toBe(false);
    expect(screen.getByText('New conversation')).toBeTruthy();
  });

  it('sends an example prompt: shown at once, URL updated, socket joined', async () => {
    const server = setup();
    await screen.findAllByText('offline demo engine');
    fireEvent.click(screen.getByRole('button', { name: /What is 12 \* \(3 \+ 4\)\?/ }));
    expect(await screen.findByText('What is 12 * (3 + 4)?', { selector: '.user-bubble' })).toBeTruthy();
    await waitFor(() => expect(server.requests.some((request) => request.path === '/chat/default')).toBe(true));
    const convId = new URL(window.location.href).searchParams.get('conv');
    expect(convId).toBeTruthy();
    expect(server.socket().url).toContain(`conv_id=${convId}`);
  });

  it('streams an answer from socket frames and replaces the optimistic message', async () => {
    const server = setup();
    const input = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(input, { target: { value: 'hello' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    const socket = server.socket();
    act(() => socket.open());
    await screen.findByText('Live');

    receive(socket, {
      type: 'timeline.upsert',
      id: 'u1',
      seq: 1,
      data: { version: 1, entity: { id: 'u1', kind: 'message', message: { role: 'user', content: 'hello' } } },
    });
    receive(socket, { type: 'llm.start', id: 'a1', seq: 2, data: { id: 'a1', role: 'assistant' } });
    receive(socket, {
      type: 'llm.delta',
      id: 'a1',
      seq: 3,
      data: { id: 'a1', delta: 'Hi', cumulative: 'Hi **there**' },
    });
    expect(await screen.findByText('there', { selector: 'strong' })).toBeTruthy();
    await waitFor(() => expect(screen.getAllByText('hello', { selector: '.user-bubble' })).toHaveLength(1));
    expect(screen.getByRole('button', { name: 'Stop the answer' })).toBeTruthy();

    receive(socket, { type: 'llm.final', id: 'a1', seq: 4, data: { id: 'a1', text: 'Hi **there**' } });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Stop the answer' })).toBeNull());
  });

  it('shows an HTTP error of /chat inline and sends again on Retry', async () => {
    const server = setup();
    server.setChatAnswer(() =>
      json({ error: { code: 'unavailable', message: 'profile "default" is unavailable: no key' } }, 503),
    );
    const input = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(input, { target: { value: 'will fail' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    // 503 is retried by the client (same idempotency key) before it gives up.
    expect(await screen.findByText(/is unavailable: no key/, {}, { timeout: 8_000 })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Not sent');

    server.setChatAnswer(() => json({ status: 'started', conv_id: 'c', session_id: 's', idempotency_key: 'k' }));
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.queryByText(/Not sent/)).toBeNull());
  }, 15_000);

  it('survives malformed frames and unknown entity kinds', async () => {
    const server = setup();
    const input = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(input, { target: { value: 'hi' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    const socket = server.socket();
    act(() => socket.open());
    await screen.findByText('Live');

    act(() => socket.receive('{not json'));
    act(() => socket.receive(JSON.stringify({ sem: true, event: { type: 'llm.delta', id: 'x', seq: 'nope' } })));
    receive(socket, { type: 'brand.new.frame', id: 'z', seq: 5, data: {} });
    receive(socket, {
      type: 'timeline.upsert',
      id: 'q',
      seq: 6,
      data: { version: 6, entity: { id: 'q', kind: 'hologram', createdVersion: '6' } },
    });
    expect(await screen.findByText('Unsupported entry: hologram')).toBeTruthy();
    const issues = await screen.findByRole('button', { name: /2 issues/ });
    fireEvent.click(issues);
    expect(screen.getAllByText('Malformed frame skipped')).toHaveLength(2);
  });
});
