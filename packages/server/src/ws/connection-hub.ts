import type { WebSocket } from 'ws';

/** Limits of the hub. */
export interface ConnectionHubOptions {
  /**
   * A socket whose unsent bytes exceed this is a slow consumer: it is cut off (close code 1013) so it
   * cannot stall the conversation or grow memory without bound. Default 8 MiB.
   */
  maxBufferedBytes?: number;
  /** Interval of WebSocket pings; a socket that did not answer the previous ping is terminated. Default 30 s. */
  heartbeatMs?: number;
  /** Called when a socket is cut off (for logs and metrics). */
  onDrop?: (convId: string, reason: 'slow-consumer' | 'heartbeat' | 'send-failed') => void;
}

interface Member {
  convId: string;
  alive: boolean;
}

/**
 * The open sockets of every conversation. Broadcasting never blocks and never awaits: each frame is
 * handed to `ws` (which buffers per socket) unless that socket is already too far behind, in which case
 * only that socket is dropped. A client that was dropped reconnects and re-hydrates from `/timeline`.
 */
export class ConnectionHub {
  readonly #byConversation = new Map<string, Set<WebSocket>>();
  readonly #members = new Map<WebSocket, Member>();
  readonly #maxBufferedBytes: number;
  readonly #onDrop: ConnectionHubOptions['onDrop'];
  readonly #heartbeat: NodeJS.Timeout;

  constructor(options: ConnectionHubOptions = {}) {
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.#onDrop = options.onDrop;
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs ?? 30_000);
    this.#heartbeat.unref();
  }

  /** Adds a socket to a conversation; it leaves automatically when it closes. */
  add(convId: string, socket: WebSocket): void {
    let sockets = this.#byConversation.get(convId);
    if (!sockets) {
      sockets = new Set();
      this.#byConversation.set(convId, sockets);
    }
    sockets.add(socket);
    const member: Member = { convId, alive: true };
    this.#members.set(socket, member);
    socket.on('pong', () => {
      member.alive = true;
    });
    socket.once('close', () => this.remove(socket));
  }

  /** Removes a socket (idempotent). */
  remove(socket: WebSocket): void {
    const member = this.#members.get(socket);
    if (!member) return;
    this.#members.delete(socket);
    const sockets = this.#byConversation.get(member.convId);
    sockets?.delete(socket);
    if (sockets?.size === 0) this.#byConversation.delete(member.convId);
  }

  /** Sends a text frame to every socket of the conversation. */
  broadcast(convId: string, text: string): void {
    const sockets = this.#byConversation.get(convId);
    if (!sockets) return;
    for (const socket of sockets) this.send(socket, text);
  }

  /** Sends to one socket, dropping it if it is too far behind or already failing. */
  send(socket: WebSocket, text: string): void {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.#maxBufferedBytes) {
      this.#drop(socket, 'slow-consumer', 1013, 'slow consumer: reconnect and hydrate from /timeline');
      return;
    }
    socket.send(text, (error) => {
      if (error) this.#drop(socket, 'send-failed', 1011, 'send failed');
    });
  }

  /** Number of sockets of a conversation. */
  count(convId: string): number {
    return this.#byConversation.get(convId)?.size ?? 0;
  }

  /** Conversations with at least one socket. */
  conversations(): string[] {
    return [...this.#byConversation.keys()];
  }

  /** Closes every socket with `code` (1001 = going away) and stops the heartbeat. */
  closeAll(code = 1001, reason = 'server shutting down'): void {
    clearInterval(this.#heartbeat);
    for (const socket of [...this.#members.keys()]) {
      socket.close(code, reason);
      this.remove(socket);
    }
  }

  #drop(socket: WebSocket, why: 'slow-consumer' | 'heartbeat' | 'send-failed', code: number, reason: string): void {
    const member = this.#members.get(socket);
    if (!member) return;
    this.remove(socket);
    this.#onDrop?.(member.convId, why);
    if (why === 'heartbeat') socket.terminate();
    else {
      socket.close(code, reason);
      // A peer that stopped reading never completes the closing handshake: end it for good.
      setTimeout(() => socket.terminate(), 1000).unref();
    }
  }

  #beat(): void {
    for (const [socket, member] of this.#members) {
      if (!member.alive) {
        this.#drop(socket, 'heartbeat', 1001, 'heartbeat timeout');
        continue;
      }
      member.alive = false;
      socket.ping();
    }
  }
}
