// Helper process (pinned to core 1): an HTTP load generator for `POST /chat` on keep-alive
// connections (node:http Agent). Two modes:
// - closed loop: `concurrency` connections, each sends its next request when the previous answer
//   arrived — the server's maximum throughput;
// - open loop: request i is due at t0 + i/rate whatever happened before; latency is measured from the
//   DUE time (not the send time), so a stalled server cannot hide its queueing (no coordinated
//   omission).

import { Agent, request } from 'node:http';
import { serveRequests } from './ipc.js';

interface LoadArgs {
  url: string;
  /** Prefix of conversation ids and idempotency keys (one per phase). */
  tag: string;
  conversations: number;
  durationMs: number;
}

/** What a load phase reports. */
export interface LoadReport {
  sent: number;
  completed: number;
  errors: number;
  statuses: Record<string, number>;
  elapsedMs: number;
  /** Latencies in ms, sorted. Open loop: from the due time. */
  p50: number;
  p99: number;
  p999: number;
  max: number;
  clientCpuPercent: number;
}

function post(agent: Agent, url: URL, tag: string, index: number, conversations: number): Promise<number> {
  const body = JSON.stringify({ conv_id: `${tag}-conv-${index % conversations}`, prompt: `hello ${index}` });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': `${tag}-${index}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function report(
  latencies: number[],
  statuses: Record<string, number>,
  sent: number,
  errors: number,
  elapsedMs: number,
  cpu: NodeJS.CpuUsage,
): LoadReport {
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(q * latencies.length) - 1))] ?? Number.NaN;
  const usage = process.cpuUsage(cpu);
  return {
    sent,
    completed: latencies.length,
    errors,
    statuses,
    elapsedMs,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: latencies.at(-1) ?? Number.NaN,
    clientCpuPercent: (100 * (usage.user + usage.system)) / 1000 / elapsedMs,
  };
}

serveRequests({
  async closedLoop(raw) {
    const args = raw as unknown as LoadArgs & { concurrency: number };
    const url = new URL(`${args.url}/chat`);
    const agent = new Agent({ keepAlive: true, maxSockets: args.concurrency });
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let sent = 0;
    let errors = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: args.concurrency }, async () => {
        while (performance.now() - started < args.durationMs) {
          const index = sent++;
          const begin = performance.now();
          try {
            const status = await post(agent, url, args.tag, index, args.conversations);
            statuses[status] = (statuses[status] ?? 0) + 1;
            latencies.push(performance.now() - begin);
          } catch {
            errors++;
          }
        }
      }),
    );
    const elapsedMs = performance.now() - started;
    agent.destroy();
    return report(latencies, statuses, sent, errors, elapsedMs, cpu);
  },

  async openLoop(raw) {
    const args = raw as unknown as LoadArgs & { rate: number; connections: number };
    const url = new URL(`${args.url}/chat`);
    const agent = new Agent({ keepAlive: true, maxSockets: args.connections });
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const total = Math.floor((args.rate * args.durationMs) / 1000);
    const interval = 1000 / args.rate;
    let sent = 0;
    let errors = 0;
    const inFlight = new Set<Promise<void>>();
    const cpu = process.cpuUsage();
    const started = performance.now();
    while (sent < total) {
      const now = performance.now();
      // Send everything due by now (a late timer never thins the schedule).
      while (sent < total && started + sent * interval <= now) {
        const due = started + sent * interval;
        const pending: Promise<void> = post(agent, url, args.tag, sent, args.conversations).then(
          (status) => {
            statuses[status] = (statuses[status] ?? 0) + 1;
            latencies.push(performance.now() - due);
          },
          () => {
            errors++;
          },
        );
        inFlight.add(pending);
        pending.finally(() => inFlight.delete(pending));
        sent++;
      }
      const nextDue = started + sent * interval;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextDue - performance.now())));
    }
    await Promise.all(inFlight);
    const elapsedMs = performance.now() - started;
    agent.destroy();
    return report(latencies, statuses, sent, errors, elapsedMs, cpu);
  },
});
