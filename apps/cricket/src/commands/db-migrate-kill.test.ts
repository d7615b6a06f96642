// `cricket db migrate` killed with SIGKILL at seeded points (the issue's "kill the migrating process at
// seeded points to show it is atomic"), through the real binary. The fixture holds the reference's
// legacy turns AND agent-mode tables; this file may name their legacy columns (its path says "migrat").
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createSeededRandom } from '@cricket/web/client';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  latestSchemaVersion,
  writeLegacyDatabase,
} from '../../../../packages/server/src/db/testing/legacy-fixtures.js';
import { type CricketResult, cricketBinary, cricketEnvironment, execCricket } from '../testing/cricket-binary.js';

/** Replay another sequence of kill points with CRICKET_KILL_SEED=<n>. */
const seed = Number(process.env.CRICKET_KILL_SEED ?? 0x5eed_2026);
if (!Number.isSafeInteger(seed))
  throw new Error(`CRICKET_KILL_SEED must be an integer, got ${process.env.CRICKET_KILL_SEED}`);
const seedLabel = `seed ${seed} (0x${seed.toString(16)})`;

/**
 * Enough rows (≈ 27 MB of YAML payloads) that the migration transaction takes measurable time (the
 * turns step alone, ~100 ms on an idle machine, mostly building turns_by_session), few enough to keep
 * four kill cycles of three or four `cricket` processes (≈ 1.3 s of start-up each) under a minute.
 */
const sizes = { turns: 20_000, agentModeChanges: 10_000 };

/** The command's progress lines on stderr (see `cricket db migrate --help`), in the order they appear. */
const progress = {
  start: 'migrating ',
  legacy: 'applying legacy migration legacy-turns-session-id…',
  initial: 'applying migration 0001-initial-schema…',
  agentMode: 'applying migration 0002-agent-mode-changes…',
  jsonVerified: 'applying migration 0003-timeline-json-verified…',
  committing: 'committing…',
  committed: 'committed in ',
} as const;
type Step = keyof typeof progress;
const stepOrder: Step[] = ['start', 'legacy', 'initial', 'agentMode', 'jsonVerified', 'committing', 'committed'];

/**
 * A kill point: SIGKILL `fraction` of the way from progress line `anchor` to line `until` (or to the
 * process's exit), the gap measured on an uninterrupted migration of the same file just before. The
 * anchors are fixed so every phase gets a kill; the fractions come from the seed.
 */
interface KillPoint {
  anchor: Step;
  until: Step | 'exit';
  fraction: number;
  what: string;
}

const random = createSeededRandom(seed);
const anchors: (Omit<KillPoint, 'fraction'> & { scale?: number })[] = [
  { anchor: 'start', until: 'exit', what: 'anywhere in the command' },
  { anchor: 'legacy', until: 'initial', what: 'while turns is being migrated' },
  { anchor: 'initial', until: 'committed', what: 'turns done, then agent_mode_changes and the commit' },
  // Half the gap: the line after "committed" is the process's exit, which a late kill would miss.
  { anchor: 'committed', until: 'exit', what: 'after the commit, during the integrity check', scale: 0.5 },
];
const killPoints: KillPoint[] = anchors.map(({ scale = 1, ...point }) => ({
  ...point,
  fraction: Number((random() * scale).toFixed(3)),
}));

interface ProgressLine {
  text: string;
  at: number;
}

interface MigrateProcess {
  lines: ProgressLine[];
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  exitAt: number;
  /** Progress lines received before SIGKILL was sent (all of them when it was not sent). */
  seenBeforeKill: string[];
}

/**
 * Runs `cricket db migrate <file>` and, when `kill` is given, sends SIGKILL `delayMs` after the
 * progress line `anchor` reached this process (at once for 0).
 */
function migrateProcess(file: string, kill?: { anchor: Step; delayMs: number }): Promise<MigrateProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cricketBinary, 'db', 'migrate', file], {
      env: cricketEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result: MigrateProcess = {
      lines: [],
      stdout: '',
      stderr: '',
      code: null,
      signal: null,
      exitAt: 0,
      seenBeforeKill: [],
    };
    let pending = '';
    let killSent = false;
    let timer: NodeJS.Timeout | undefined;
    const sendKill = () => {
      if (killSent) return;
      killSent = true;
      result.seenBeforeKill = result.lines.map((line) => line.text);
      child.kill('SIGKILL');
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      result.stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const at = performance.now();
      result.stderr += chunk;
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const text = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        result.lines.push({ text, at });
        if (kill && !killSent && timer === undefined && text.startsWith(progress[kill.anchor])) {
          if (kill.delayMs <= 0) sendKill();
          else timer = setTimeout(sendKill, kill.delayMs);
        }
        newline = pending.indexOf('\n');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      result.code = code;
      result.signal = signal;
      result.exitAt = performance.now();
      if (!killSent) result.seenBeforeKill = result.lines.map((line) => line.text);
      resolve(result);
    });
  });
}

/** When each progress line, then the exit, reached this process, in ms after "migrating …". */
function stepTimes(run: MigrateProcess): Record<Step | 'exit', number> {
  const start = run.lines.find((line) => line.text.startsWith(progress.start))?.at ?? Number.NaN;
  const times = {} as Record<Step | 'exit', number>;
  for (const step of stepOrder) {
    const line = run.lines.find((candidate) => candidate.text.startsWith(progress[step]));
    times[step] = line ? line.at - start : Number.NaN;
  }
  times.exit = run.exitAt - start;
  return times;
}

interface SchemaState {
  userVersion: number;
  objects: unknown[];
}

/** Everything that makes up the schema: `user_version` and every object's SQL in `sqlite_master`. */
function schemaState(db: Database.Database): SchemaState {
  return {
    userVersion: Number(db.pragma('user_version', { simple: true })),
    objects: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all(),
  };
}

/** Columns and indexes of the two migrated tables, for assertions and failure messages. */
function layout(db: Database.Database): Record<string, { columns: string[]; indexes: string[] }> {
  const tableLayout = (table: string) => ({
    columns: db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all(table) as string[],
    indexes: db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name")
      .pluck()
      .all(table) as string[],
  });
  return { turns: tableLayout('turns'), agent_mode_changes: tableLayout('agent_mode_changes') };
}

const oldLayout = {
  turns: {
    columns: ['conv_id', 'run_id', 'turn_id', 'phase', 'created_at_ms', 'payload'],
    indexes: ['sqlite_autoindex_turns_1', 'turns_by_conv', 'turns_by_phase', 'turns_by_run'],
  },
  agent_mode_changes: {
    columns: ['id', 'run_id', 'turn_id', 'from_mode', 'to_mode', 'analysis', 'at'],
    indexes: ['idx_agent_mode_changes_run_id_at'],
  },
};
const newLayout = {
  turns: {
    columns: ['conv_id', 'session_id', 'turn_id', 'phase', 'created_at_ms', 'payload'],
    indexes: ['sqlite_autoindex_turns_1', 'turns_by_conv', 'turns_by_phase', 'turns_by_session'],
  },
  agent_mode_changes: {
    columns: ['id', 'session_id', 'turn_id', 'from_mode', 'to_mode', 'analysis', 'at'],
    indexes: ['idx_agent_mode_changes_session_id_at'],
  },
};

function integrity(db: Database.Database): string {
  return (db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[])
    .map((row) => row.integrity_check)
    .join('\n');
}

function sameRow(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/** Compares two row streams in order, row by row; returns how many rows there were. */
function expectSameRows(expected: Iterable<unknown[]>, actual: Iterable<unknown[]>, what: string): number {
  const expectedRows = expected[Symbol.iterator]();
  const actualRows = actual[Symbol.iterator]();
  let count = 0;
  try {
    for (;;) {
      const want = expectedRows.next();
      const got = actualRows.next();
      if (want.done || got.done) {
        expect(got.done && want.done, `${what}: ${count} rows match, then one side ends`).toBe(true);
        return count;
      }
      if (!sameRow(got.value, want.value)) expect(got.value, `${what}: row ${count} differs`).toEqual(want.value);
      count += 1;
    }
  } finally {
    expectedRows.return?.();
    actualRows.return?.();
  }
}

/**
 * Every row of both tables of `db` equals the fixture's, in rowid order, whatever the session column is
 * called in `db` (`run_id` before the migration, `session_id` after).
 */
function expectEveryRow(db: Database.Database, fixture: Database.Database, context: string): void {
  const column = (handle: Database.Database, table: string) =>
    (handle.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).includes('session_id')
      ? 'session_id'
      : 'run_id';
  const turns = (handle: Database.Database) =>
    handle
      .prepare(
        `SELECT rowid, conv_id, ${column(handle, 'turns')}, turn_id, phase, created_at_ms, payload FROM turns ORDER BY rowid`,
      )
      .raw()
      .iterate() as Iterable<unknown[]>;
  const changes = (handle: Database.Database) =>
    handle
      .prepare(
        `SELECT id, ${column(handle, 'agent_mode_changes')}, turn_id, from_mode, to_mode, analysis, at FROM agent_mode_changes ORDER BY id`,
      )
      .raw()
      .iterate() as Iterable<unknown[]>;
  expect(expectSameRows(turns(fixture), turns(db), `${context}: turns`)).toBe(sizes.turns);
  expect(expectSameRows(changes(fixture), changes(db), `${context}: agent_mode_changes`)).toBe(sizes.agentModeChanges);
}

/**
 * `cricket turns list --json --limit 0` (of one conversation, or of all) serves exactly the fixture's
 * rows, newest first, under `session_id`.
 */
async function expectTurnsListServes(
  path: string,
  fixture: Database.Database,
  conv: string | undefined,
  context: string,
): Promise<void> {
  const listed = await execCricket([
    'turns',
    'list',
    '--db',
    path,
    '--limit',
    '0',
    '--json',
    ...(conv ? ['--conv', conv] : []),
  ]);
  expect(listed.code, `${context}: turns list\n${listed.stderr}`).toBe(0);
  const items = JSON.parse(listed.stdout) as Record<string, unknown>[];
  const expected = fixture
    .prepare(
      `SELECT conv_id, run_id, turn_id, phase, created_at_ms, payload FROM turns ${conv ? 'WHERE conv_id = ?' : ''} ORDER BY rowid DESC`,
    )
    .all(...(conv ? [conv] : [])) as { run_id: string; payload: string }[];
  expect(expected.length, context).toBeGreaterThan(0);
  expect(items.length, `${context}: turns list${conv ? ` --conv ${conv}` : ''}`).toBe(expected.length);
  expected.forEach(({ run_id, payload, ...row }, position) => {
    const want = { ...row, session_id: run_id, payload_bytes: Buffer.byteLength(payload) };
    if (!isDeepStrictEqual(items[position], want))
      expect(items[position], `${context}: turns list item ${position}`).toEqual(want);
  });
}

/** `cricket db migrate` found nothing to do and said so. */
function expectNoop(result: CricketResult, path: string, context: string): void {
  expect(result.code, `${context}\n${result.stderr}`).toBe(0);
  expect(result.stdout, context).toBe(
    `${path}: already up to date (schema version ${latestSchemaVersion})\nintegrity check: ok\n`,
  );
  expect(result.stderr, context).toBe(`migrating ${path}…\nnothing to migrate; checking integrity…\n`);
}

function openForCheck(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true });
}

interface KillOutcome {
  point: number;
  anchor: Step;
  delayMs: number;
  killed: boolean;
  /** The last progress line this process had received when it sent SIGKILL. */
  lastSeen: string;
  schema: 'old' | 'new';
}

describe(`cricket db migrate killed with SIGKILL at seeded points (${seedLabel})`, () => {
  let dir: string;
  let fixturePath: string;
  let fixture: Database.Database;
  let oldSchema: SchemaState;
  let newSchema: SchemaState;
  let times: Record<Step | 'exit', number> | undefined;
  const outcomes: KillOutcome[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cricket-migrate-kill-'));
    fixturePath = join(dir, 'legacy-fixture.db');
    writeLegacyDatabase(fixturePath, sizes);
    fixture = openForCheck(fixturePath);
    oldSchema = schemaState(fixture);
  }, 60_000);

  afterAll(() => {
    fixture?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh copy of the legacy fixture in its own directory (for its -wal and -shm files). */
  function copyFixture(name: string): string {
    const copyDir = mkdtempSync(join(dir, `${name}-`));
    const path = join(copyDir, 'legacy.db');
    copyFileSync(fixturePath, path);
    return path;
  }

  it('migrates the fixture uninterrupted, printing each step, and measures the steps', async () => {
    expect(oldSchema.userVersion).toBe(0);
    expect(layout(fixture)).toEqual(oldLayout);
    const path = copyFixture('uninterrupted');
    const run = await migrateProcess(path);
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines.map((line) => line.text)).toEqual([
      `migrating ${path}…`,
      progress.legacy,
      progress.initial,
      progress.agentMode,
      progress.jsonVerified,
      progress.committing,
      expect.stringMatching(
        new RegExp(
          `^committed in \\d+\\.\\d\\d s \\(schema version 0 → ${latestSchemaVersion}\\); checking integrity…$`,
        ),
      ),
    ]);
    expect(run.stdout).toContain(`schema version 0 → ${latestSchemaVersion}`);
    expect(run.stdout).toContain('integrity check: ok');
    const db = openForCheck(path);
    newSchema = schemaState(db);
    expect(newSchema.userVersion).toBe(latestSchemaVersion);
    expect(layout(db)).toEqual(newLayout);
    expectEveryRow(db, fixture, 'uninterrupted');
    db.close();
    await expectTurnsListServes(path, fixture, undefined, 'uninterrupted');
    times = stepTimes(run);
    rmSync(join(path, '..'), { recursive: true, force: true });
  }, 60_000);

  killPoints.forEach(({ anchor, until, fraction, what }, index) => {
    it(`point ${index}: SIGKILL ${fraction} of the way from "${anchor}" to "${until}" (${what}), then migrate again`, async () => {
      if (!times) throw new Error('the uninterrupted migration did not run, so there are no step times to kill at');
      const gap = times[until] - times[anchor];
      const delayMs = Math.max(0, fraction * gap);
      const context = `${seedLabel}, point ${index} (${what}): SIGKILL ${delayMs.toFixed(1)} ms after "${anchor}"`;
      const path = copyFixture(`point-${index}`);

      const run = await migrateProcess(path, { anchor, delayMs });
      const killed = run.signal === 'SIGKILL';
      // Not killed: the process finished before the kill was due (a late point on a fast machine).
      if (!killed) expect(run.code, `${context}: neither killed nor a clean exit\n${run.stderr}`).toBe(0);
      const lastSeen = run.seenBeforeKill.at(-1) ?? '(nothing yet)';
      const where = `${context}; last progress line received before the kill: "${lastSeen}"`;

      // What the kill left behind: a sound file, exactly the old schema or exactly the new one, every row.
      const left = openForCheck(path);
      expect(integrity(left), where).toBe('ok');
      const state = schemaState(left);
      const schema = isDeepStrictEqual(state, oldSchema)
        ? 'old'
        : isDeepStrictEqual(state, newSchema)
          ? 'new'
          : 'mixed';
      if (schema === 'mixed') {
        // Show the difference against the nearer of the two.
        const near = state.userVersion === 0 ? oldSchema : newSchema;
        expect({ layout: layout(left), state }, `${where}: a mix of the old and the new schema`).toEqual({
          layout: near === oldSchema ? oldLayout : newLayout,
          state: near,
        });
      }
      expect(layout(left), where).toEqual(schema === 'old' ? oldLayout : newLayout);
      if (run.seenBeforeKill.some((line) => line.startsWith(progress.committed)))
        expect(schema, `${where}: the commit was reported before the kill`).toBe('new');
      expectEveryRow(left, fixture, where);
      left.close();
      outcomes.push({ point: index, anchor, delayMs, killed, lastSeen, schema: schema === 'old' ? 'old' : 'new' });

      // Running the command again finishes the job, and once more is a no-op that says so. After a kill
      // that left the new schema, the first re-run is already that no-op.
      const again = await execCricket(['db', 'migrate', path]);
      if (schema === 'old') {
        expect(again.code, `${where}: re-run\n${again.stderr}`).toBe(0);
        expect(again.stdout, where).toContain('applied legacy migration legacy-turns-session-id');
        expect(again.stdout, where).toContain(`schema version 0 → ${latestSchemaVersion}`);
        expect(again.stdout, where).toContain('integrity check: ok');
        expect(again.stderr, where).toContain('committed in ');
      } else expectNoop(again, path, `${where}: re-run`);
      const migrated = openForCheck(path);
      expect(schemaState(migrated), where).toEqual(newSchema);
      expectEveryRow(migrated, fixture, `${where}, after the re-run`);
      migrated.close();

      // The migrated file serves its rows through `cricket turns list` (one conversation here; the
      // uninterrupted migration above lists all of them).
      await expectTurnsListServes(path, fixture, `conv-${index % 13}`, where);

      if (schema === 'old') {
        expectNoop(await execCricket(['db', 'migrate', path]), path, `${where}: further run`);
        const final = openForCheck(path);
        expect(schemaState(final), where).toEqual(newSchema);
        expect(final.prepare('SELECT count(*) FROM turns').pluck().get(), where).toBe(sizes.turns);
        final.close();
      }
      rmSync(join(path, '..'), { recursive: true, force: true });
    }, 60_000);
  });

  it('landed at least one kill mid-migration (old schema left) and one after the commit', async ({ annotate }) => {
    const table = outcomes
      .map(
        (o) =>
          `  point ${o.point}: ${o.killed ? 'killed' : 'exited first'} ${o.delayMs.toFixed(1)} ms after "${o.anchor}", ` +
          `last line "${o.lastSeen}" → ${o.schema} schema`,
      )
      .join('\n');
    const measured = times
      ? Object.entries(times)
          .map(([step, ms]) => `${step} ${ms.toFixed(1)} ms`)
          .join(', ')
      : 'not measured';
    const summary = `${seedLabel}; uninterrupted steps after "migrating": ${measured}\n${table}`;
    // Mid-migration: a step inside the transaction had been announced before the kill, and the kill
    // still left the old schema, i.e. the uncommitted work was discarded.
    const inside: string[] = [
      progress.legacy,
      progress.initial,
      progress.agentMode,
      progress.jsonVerified,
      progress.committing,
    ];
    const mid = outcomes.filter((o) => o.killed && o.schema === 'old' && inside.includes(o.lastSeen));
    const afterCommit = outcomes.filter((o) => o.killed && o.schema === 'new');
    await annotate(summary);
    expect(outcomes.length, `a kill point failed above before recording its outcome:\n${summary}`).toBe(
      killPoints.length,
    );
    expect(
      mid.length,
      `no kill landed inside the migration transaction — it committed before every SIGKILL arrived; the ` +
        `fixture may be too small for this machine:\n${summary}`,
    ).toBeGreaterThan(0);
    expect(
      afterCommit.length,
      `no kill landed after the commit — every process was killed before it or exited first:\n${summary}`,
    ).toBeGreaterThan(0);
  });
});
