import { parseSemFrame, type SemEvent } from '@cricket/protocol';
import WebSocket from 'ws';

/** A WebSocket test client that records every frame. */
export interface TestSocket {
  socket: WebSocket;
  /** Raw text frames in arrival order. */
  texts: string[];
  /** Parsed known SEM events in arrival order. */
  events: SemEvent[];
  /** Resolves with the first recorded event (past or future) matching `predicate`. */
  waitFor(predicate: (event: SemEvent) => boolean, timeoutMs?: number): Promise<SemEvent>;
  /** Resolves when the socket is closed, with its close code. */
  closed: Promise<number>;
  close(): void;
}

/** Opens a WebSocket and records frames; resolves once open. */
export function openTestSocket(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const texts: string[] = [];
    const events: SemEvent[] = [];
    const waiters: { predicate: (event: SemEvent) => boolean; resolve: (event: SemEvent) => void }[] = [];
    let closedResolve: (code: number) => void = () => undefined;
    const closed = new Promise<number>((resolveClosed) => {
      closedResolve = resolveClosed;
    });
    socket.on('message', (data) => {
      const text = data.toString();
      texts.push(text);
      const parsed = parseSemFrame(text);
      if (parsed.kind !== 'known') return;
      events.push(parsed.frame.event);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(parsed.frame.event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(parsed.frame.event);
        }
      }
    });
    socket.on('close', (code) => closedResolve(code));
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        socket,
        texts,
        events,
        closed,
        close: () => socket.close(),
        waitFor(predicate, timeoutMs = 10_000) {
          const found = events.find(predicate);
          if (found) return Promise.resolve(found);
          return new Promise((resolveWait, rejectWait) => {
            const timer = setTimeout(
              () => rejectWait(new Error(`timed out waiting for a frame after ${events.length} frames`)),
              timeoutMs,
            );
            waiters.push({
              predicate,
              resolve: (event) => {
                clearTimeout(timer);
                resolveWait(event);
              },
            });
          });
        },
      }),
    );
  });
}
