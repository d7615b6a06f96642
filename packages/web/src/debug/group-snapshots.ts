import { isTurnPhase, phaseLabels, type TurnPhase, type TurnSnapshot, turnPhases } from './turn-snapshot.js';

/** One snapshot in its inference, with its position among the snapshots of the same phase. */
export interface InferenceStep {
  snapshot: TurnSnapshot;
  /** 1-based: the tool loop records `pre_inference`, `post_inference` and `post_tools` once per engine call. */
  iteration: number;
  /** "Pre-inference", or "Pre-inference #2" when the phase occurs more than once. */
  label: string;
}

/** The snapshots of one inference (one `turn_id` + `inference_id`), in recording order. */
export interface InferenceGroup {
  /** `<session_id>/<turn_id>/<inference_id>`. */
  key: string;
  /** 1-based position in recording order among the groups passed to {@link groupSnapshotsByInference}. */
  number: number;
  sessionId: string;
  turnId: string;
  /** `''` when no snapshot of the turn carries one. */
  inferenceId: string;
  steps: InferenceStep[];
  /** Steps of each recorded phase (phases the server does not know are only in `steps`). */
  phases: Record<TurnPhase, InferenceStep[]>;
  firstMs: number;
  lastMs: number;
  /** The last user block's text in the latest snapshot: the prompt this inference answered. */
  prompt: string;
  /** Engine calls so far (`post_inference` snapshots). */
  engineCalls: number;
  /** A `final` snapshot exists: the inference ended. */
  isFinished: boolean;
}

/**
 * Groups snapshots (in recording order) by inference: same session, same `turn_id`, same inference id
 * from the turn metadata. A snapshot without an inference id joins the latest group of its turn, and
 * gives that group its id if it had none, so one inference never splits in two when only some of its
 * snapshots carry the id. Groups are ordered by their first snapshot.
 */
export function groupSnapshotsByInference(snapshots: readonly TurnSnapshot[]): InferenceGroup[] {
  const ordered = [...snapshots].sort((a, b) => a.ordinal - b.ordinal);
  const groups: InferenceGroup[] = [];
  const latestByTurn = new Map<string, InferenceGroup[]>();
  for (const snapshot of ordered) {
    const turnKey = `${snapshot.sessionId}/${snapshot.turnId}`;
    const candidates = latestByTurn.get(turnKey) ?? [];
    let group = findGroup(candidates, snapshot.inferenceId);
    if (!group) {
      group = createGroup(snapshot, groups.length + 1);
      groups.push(group);
      candidates.push(group);
      latestByTurn.set(turnKey, candidates);
    } else if (!group.inferenceId && snapshot.inferenceId) {
      group.inferenceId = snapshot.inferenceId;
      group.key = `${turnKey}/${snapshot.inferenceId}`;
    }
    addStep(group, snapshot);
  }
  for (const group of groups) finishGroup(group);
  return groups;
}

function findGroup(candidates: InferenceGroup[], inferenceId: string): InferenceGroup | undefined {
  const exact = candidates.findLast((group) => group.inferenceId === inferenceId);
  if (exact) return exact;
  if (!inferenceId) return candidates.at(-1);
  return candidates.findLast((group) => group.inferenceId === '');
}

function createGroup(snapshot: TurnSnapshot, number: number): InferenceGroup {
  return {
    key: `${snapshot.sessionId}/${snapshot.turnId}/${snapshot.inferenceId}`,
    number,
    sessionId: snapshot.sessionId,
    turnId: snapshot.turnId,
    inferenceId: snapshot.inferenceId,
    steps: [],
    phases: { pre_inference: [], post_inference: [], post_tools: [], final: [] },
    firstMs: snapshot.createdAtMs,
    lastMs: snapshot.createdAtMs,
    prompt: '',
    engineCalls: 0,
    isFinished: false,
  };
}

function addStep(group: InferenceGroup, snapshot: TurnSnapshot): void {
  const sameSoFar = group.steps.filter((step) => step.snapshot.phase === snapshot.phase).length;
  const step: InferenceStep = { snapshot, iteration: sameSoFar + 1, label: '' };
  group.steps.push(step);
  if (isTurnPhase(snapshot.phase)) group.phases[snapshot.phase].push(step);
  group.firstMs = Math.min(group.firstMs, snapshot.createdAtMs);
  group.lastMs = Math.max(group.lastMs, snapshot.createdAtMs);
}

function finishGroup(group: InferenceGroup): void {
  for (const step of group.steps) {
    const phase = step.snapshot.phase;
    const name = isTurnPhase(phase) ? phaseLabels[phase] : phase;
    const total = group.steps.filter((other) => other.snapshot.phase === phase).length;
    step.label = total > 1 ? `${name} #${step.iteration}` : name;
  }
  group.engineCalls = group.phases.post_inference.length;
  group.isFinished = group.phases.final.length > 0;
  const latest = group.steps.at(-1)?.snapshot.turn.blocks ?? [];
  const user = latest.findLast((block) => block.kind === 'user');
  group.prompt = typeof user?.payload.text === 'string' ? user.payload.text : '';
}

/**
 * The default comparison of a group: its first `pre_inference` snapshot (else its first snapshot)
 * against its `final` one (else its latest). `undefined` when the group has fewer than two snapshots.
 */
export function defaultComparison(group: InferenceGroup): { before: InferenceStep; after: InferenceStep } | undefined {
  const before = group.phases.pre_inference[0] ?? group.steps[0];
  const after = group.phases.final.at(-1) ?? group.steps.at(-1);
  if (!before || !after || before === after) return undefined;
  return { before, after };
}

/** The phases in display order, with their steps (possibly none). */
export function phaseTabs(group: InferenceGroup): { phase: TurnPhase; steps: InferenceStep[] }[] {
  return turnPhases.map((phase) => ({ phase, steps: group.phases[phase] }));
}
