/** One recorded mode switch of a session. */
export interface AgentModeChange {
  sessionId: string;
  /** The turn whose model output proposed the switch. */
  turnId: string;
  /** The mode before the switch (`null` when the session had none recorded). */
  fromMode: string | null;
  toMode: string;
  /** The model's `mode_switch.analysis`, when it gave one. */
  analysis: string | null;
  /** When the switch happened (RFC 3339, UTC, millisecond precision). */
  at: string;
}

/** A stored change with its row id (ids grow with insertion order). */
export interface StoredAgentModeChange extends AgentModeChange {
  id: number;
}

/**
 * Where the agent-mode middleware keeps each session's mode switches. Synchronous, like Cricket's other
 * stores: the SQLite implementation writes through the server's single connection.
 */
export interface AgentModeStore {
  /** The `toMode` of the session's latest change (by `at`, then insertion order), or `undefined`. */
  currentMode(sessionId: string): string | undefined;
  /** Appends a change. */
  recordChange(change: AgentModeChange): void;
  /** The session's changes, oldest first. */
  changes(sessionId: string): StoredAgentModeChange[];
}

/** Builds a change stamped with the current time (`now` for tests). */
export function newAgentModeChange(fields: Omit<AgentModeChange, 'at'>, now: () => number = Date.now): AgentModeChange {
  return { ...fields, at: new Date(now()).toISOString() };
}

/** An {@link AgentModeStore} in memory, for tests and throwaway servers. */
export class InMemoryAgentModeStore implements AgentModeStore {
  readonly #changes: StoredAgentModeChange[] = [];

  currentMode(sessionId: string): string | undefined {
    return latestOf(this.changes(sessionId))?.toMode;
  }

  recordChange(change: AgentModeChange): void {
    this.#changes.push({ ...change, id: this.#changes.length + 1 });
  }

  changes(sessionId: string): StoredAgentModeChange[] {
    return this.#changes
      .filter((change) => change.sessionId === sessionId)
      .sort(byTimeThenId)
      .map((change) => ({ ...change }));
  }
}

/** Oldest first: by `at` (as text, like SQLite's ORDER BY), then by id. */
function byTimeThenId(a: StoredAgentModeChange, b: StoredAgentModeChange): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id - b.id;
}

function latestOf(changes: readonly StoredAgentModeChange[]): StoredAgentModeChange | undefined {
  return changes.at(-1);
}
