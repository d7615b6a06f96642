import type { InferenceEvent } from '@cricket/core';

/** An inference event without its correlation metadata, which the publisher fills in. */
export type UnstampedEvent = InferenceEvent extends infer E
  ? E extends InferenceEvent
    ? Omit<E, 'meta'>
    : never
  : never;
