import WebSocket from 'ws';
import type { WebSocketConstructor } from '../web-socket-like.js';

/** The `ws` WebSocket class, instrumented so a test can count frames and cut connections. */
export interface TrackingWebSocket {
  WebSocket: WebSocketConstructor;
  /** Every socket created, in order. */
  sockets: WebSocket[];
  /** Frames received over all sockets so far. */
  frameCount(): number;
  /** Called after each received frame with the running count (set by the test). */
  onFrame: ((count: number) => void) | undefined;
  /** Cuts the newest socket without a closing handshake (the client sees code 1006). */
  terminateLatest(): void;
}

/** Creates an instrumented `ws` WebSocket class for one test. */
export function createTrackingWebSocket(): TrackingWebSocket {
  const sockets: WebSocket[] = [];
  let frames = 0;
  const tracking: TrackingWebSocket = {
    WebSocket: class extends WebSocket {
      constructor(url: string) {
        super(url);
        sockets.push(this);
        this.on('message', () => {
          frames++;
          tracking.onFrame?.(frames);
        });
      }
    },
    sockets,
    frameCount: () => frames,
    onFrame: undefined,
    terminateLatest: () => sockets.at(-1)?.terminate(),
  };
  return tracking;
}
