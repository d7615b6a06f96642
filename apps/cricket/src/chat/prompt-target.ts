/**
 * Where `cricket chat` sends prompts: an in-memory session, or a conversation of a Cricket server
 * (local database or remote). Both print the answer while it streams.
 */
export interface PromptTarget {
  /**
   * Answers one prompt and resolves when the answer has ended: true when it completed or was stopped
   * on request, false when it failed (the failure has been reported).
   */
  ask(prompt: string): Promise<boolean>;
  /** Stops the answer in progress, if any; the partial answer is kept. */
  stop(): void;
  /** Releases connections and servers. */
  close(): Promise<void>;
}
