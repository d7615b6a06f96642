import Database from 'better-sqlite3';
import { latestVersion } from '../migrations.js';
import { cricketMigrations } from '../schema-migrations.js';

/** The schema version a migrated file ends at (the latest of Cricket's migrations). */
export const latestSchemaVersion = latestVersion(cricketMigrations);

/**
 * The reference system's turn store before the session_id hard cut (reference webchat-backend §6):
 * column `run_id` inside the primary key, index `turns_by_run`. Test support only.
 */
export const legacyTurnsDdl = `
CREATE TABLE IF NOT EXISTS turns (
  conv_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  turn_id TEXT NOT NULL,
  phase TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (conv_id, run_id, turn_id, phase, created_at_ms)
);
CREATE INDEX IF NOT EXISTS turns_by_conv ON turns(conv_id, created_at_ms DESC);
CREATE INDEX IF NOT EXISTS turns_by_run ON turns(run_id, created_at_ms DESC);
CREATE INDEX IF NOT EXISTS turns_by_phase ON turns(phase, created_at_ms DESC);
`;

/**
 * The reference's agent-mode change log before the hard cut (reference webchat-backend §7.4 and §11.1:
 * the store's runtime table with `run_id`, index `idx_agent_mode_changes_run_id_at`). Test support only.
 */
export const legacyAgentModeDdl = `
CREATE TABLE IF NOT EXISTS agent_mode_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT,
  turn_id TEXT,
  from_mode TEXT,
  to_mode TEXT,
  analysis TEXT,
  at TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_agent_mode_changes_run_id_at ON agent_mode_changes(run_id, at);
`;

/** One row of the legacy `turns` table. */
export interface LegacyTurnRow {
  conv_id: string;
  run_id: string;
  turn_id: string;
  phase: string;
  created_at_ms: number;
  payload: string;
}

/** One row of the legacy `agent_mode_changes` table (`id` is assigned by SQLite: 1, 2, 3, … in order). */
export interface LegacyAgentModeRow {
  run_id: string | null;
  turn_id: string | null;
  from_mode: string | null;
  to_mode: string | null;
  analysis: string | null;
  at: string | null;
}

const phases = ['pre_inference', 'post_inference', 'post_tools', 'final'] as const;
const modes = ['chat', 'clock', 'research'] as const;
const baseMs = 1_700_000_000_000;

/** A deterministic UUID-shaped id from a label and a number (not random: fixtures must be reproducible). */
function fixtureId(label: number, index: number): string {
  const hex = (value: number, width: number) => (value >>> 0).toString(16).padStart(width, '0').slice(-width);
  const mixed = Math.imul(index + 1, 0x9e3779b1) ^ label;
  return `${hex(mixed, 8)}-${hex(index >>> 16, 4)}-4${hex(index, 3)}-8${hex(label, 3)}-${hex(Math.imul(mixed, 31), 8)}${hex(index, 4)}`;
}

/**
 * The geppetto-style YAML of one turn snapshot (what the reference stored in `payload`): blocks grow
 * with the phase (system and user; then the model's tool call; then the tool result; then the answer),
 * with block ids, metadata and Turn.data. About 1–2 KB, varying with `index`.
 */
function turnYaml(index: number, conv: string, session: string, turn: string, phase: number): string {
  const filler = 'The quarterly figures show steady growth across every region we track. '.repeat(1 + (index % 6));
  const blocks = [
    `  - id: ${fixtureId(1, index)}\n    kind: system\n    role: system\n    payload:\n      text: You are a careful analyst for ${conv}.\n    metadata:\n      geppetto.middleware@v1: systemprompt\n`,
    `  - id: ${fixtureId(2, index)}\n    kind: user\n    role: user\n    payload:\n      text: 'Question ${index}: summarise ${filler.length} characters of notes: ${filler.trim()}'\n`,
  ];
  if (phase >= 1)
    blocks.push(
      `  - id: call_${index}_0\n    kind: tool_call\n    payload:\n      id: call_${index}_0\n      name: calculator\n      args:\n        expression: ${index % 97} * (3 + ${index % 13})\n`,
    );
  if (phase >= 2)
    blocks.push(
      `  - id: ${fixtureId(3, index)}\n    kind: tool_use\n    payload:\n      id: call_${index}_0\n      result: '{"result":${(index % 97) * (3 + (index % 13))}}'\n      error: ""\n`,
    );
  if (phase >= 3)
    blocks.push(
      `  - id: ${fixtureId(4, index)}\n    kind: llm_text\n    role: assistant\n    payload:\n      text: |\n        Row ${index} of ${conv}: the answer is ${(index % 97) * (3 + (index % 13))}.\n        ${filler.trim()}\n`,
    );
  return (
    `version: 1\nid: ${turn}\nblocks:\n${blocks.join('')}` +
    `metadata:\n  geppetto.session_id@v1: ${session}\n  geppetto.inference_id@v1: ${fixtureId(5, index >>> 2)}\n` +
    `  geppetto.model@v1: scripted-demo\n  geppetto.usage@v1:\n    input_tokens: ${100 + (index % 400)}\n    output_tokens: ${10 + (index % 90)}\n` +
    `data:\n  geppetto.tool_config@v1:\n    enabled: true\n    tool_choice: auto\n    max_iterations: 20\n`
  );
}

/**
 * Row `index` of a legacy turns fixture: the four phase snapshots of each turn in the reference's order
 * (rows 4k…4k+3 are turn k), turns spread over 13 conversations and 97 sessions, strictly increasing
 * `created_at_ms`, realistic YAML payloads. Deterministic.
 */
export function legacyTurnRow(index: number): LegacyTurnRow {
  const phase = index % phases.length;
  const turnNumber = Math.floor(index / phases.length);
  const conv = `conv-${turnNumber % 13}`;
  const session = fixtureId(6, turnNumber % 97);
  const turn = fixtureId(7, turnNumber);
  return {
    conv_id: conv,
    run_id: session,
    turn_id: turn,
    phase: phases[phase] ?? 'final',
    created_at_ms: baseMs + index * 7,
    payload: turnYaml(index, conv, session, turn, phase),
  };
}

/**
 * Row `index` of a legacy agent-mode fixture: mode switches of the same 97 sessions, RFC3339Nano `at`
 * (as the reference wrote it), some NULL `from_mode` / `analysis` / `turn_id` as the nullable legacy
 * columns allowed. Deterministic.
 */
export function legacyAgentModeRow(index: number): LegacyAgentModeRow {
  const at = new Date(baseMs + index * 1000)
    .toISOString()
    .replace('Z', `${String(index % 1_000_000).padStart(6, '0')}Z`);
  return {
    run_id: fixtureId(6, index % 97),
    turn_id: index % 11 === 0 ? null : fixtureId(7, index),
    from_mode: index < 97 ? null : (modes[(index + 2) % modes.length] ?? null),
    to_mode: modes[index % modes.length] ?? 'chat',
    analysis: index % 5 === 0 ? null : `switching because step ${index} needs ${modes[index % modes.length]}`,
    at,
  };
}

/** Sizes of {@link writeLegacyDatabase}'s tables. */
export interface LegacyDatabaseSizes {
  /** Rows of the legacy `turns` table ({@link legacyTurnRow} 0…n-1); 0 creates the empty table. */
  turns: number;
  /** Rows of the legacy `agent_mode_changes` table ({@link legacyAgentModeRow} 0…n-1); 0: empty table. */
  agentModeChanges: number;
}

/**
 * Creates (or adds to) a database file holding the reference's legacy turns AND agent-mode tables
 * ({@link legacyTurnsDdl}, {@link legacyAgentModeDdl}) in the reference's default rollback-journal
 * mode and `user_version` 0, filled with deterministic rows in one transaction. Test support only.
 */
export function writeLegacyDatabase(path: string, sizes: LegacyDatabaseSizes): void {
  const db = new Database(path);
  try {
    db.exec(legacyTurnsDdl);
    db.exec(legacyAgentModeDdl);
    const insertTurn = db.prepare(
      'INSERT INTO turns (conv_id, run_id, turn_id, phase, created_at_ms, payload) VALUES (@conv_id, @run_id, @turn_id, @phase, @created_at_ms, @payload)',
    );
    const insertChange = db.prepare(
      'INSERT INTO agent_mode_changes (run_id, turn_id, from_mode, to_mode, analysis, at) VALUES (@run_id, @turn_id, @from_mode, @to_mode, @analysis, @at)',
    );
    db.transaction(() => {
      for (let index = 0; index < sizes.turns; index += 1) insertTurn.run(legacyTurnRow(index));
      for (let index = 0; index < sizes.agentModeChanges; index += 1) insertChange.run(legacyAgentModeRow(index));
    })();
  } finally {
    db.close();
  }
}
