/** Settings of {@link Backoff}. */
export interface BackoffOptions {
  /** Delay before the first retry in ms (default 250). */
  initialDelayMs?: number;
  /** Growth factor from one attempt to the next (default 2). */
  multiplier?: number;
  /** Upper bound of a delay in ms (default 10,000). */
  maxDelayMs?: number;
  /**
   * Share of each delay that is randomised away, 0..1 (default 0.5): a delay `d` becomes a value in
   * `[d × (1 − jitter), d]`, so clients dropped together by one server do not all come back at once.
   */
  jitter?: number;
  /** Source of randomness in [0, 1) (default `Math.random`); inject a seeded one in tests. */
  random?: () => number;
}

/**
 * Exponential backoff with jitter: 250 ms, 500 ms, 1 s, … capped at 10 s by default. Pure arithmetic:
 * the caller owns the timers, so the sequence is testable without a clock.
 */
export class Backoff {
  readonly #initialDelayMs: number;
  readonly #multiplier: number;
  readonly #maxDelayMs: number;
  readonly #jitter: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initialDelayMs = options.initialDelayMs ?? 250;
    this.#multiplier = options.multiplier ?? 2;
    this.#maxDelayMs = options.maxDelayMs ?? 10_000;
    this.#jitter = options.jitter ?? 0.5;
    this.#random = options.random ?? Math.random;
    if (!(this.#initialDelayMs >= 0)) throw new RangeError('backoff initialDelayMs must be ≥ 0');
    if (!(this.#multiplier >= 1)) throw new RangeError('backoff multiplier must be ≥ 1');
    if (!(this.#maxDelayMs >= this.#initialDelayMs))
      throw new RangeError('backoff maxDelayMs must be ≥ initialDelayMs');
    if (!(this.#jitter >= 0 && this.#jitter <= 1)) throw new RangeError('backoff jitter must be within 0..1');
  }

  /** Number of delays handed out since the last {@link reset}. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt, in whole ms; each call advances the sequence. */
  next(): number {
    // The exponent stops at 64: the cap is long reached by then, and the product stays finite.
    const growth = this.#multiplier ** Math.min(this.#attempt, 64);
    const base = this.#initialDelayMs === 0 ? 0 : Math.min(this.#maxDelayMs, this.#initialDelayMs * growth);
    this.#attempt++;
    const random = Math.min(Math.max(this.#random(), 0), 1);
    return Math.round(base * (1 - this.#jitter * random));
  }

  /** Starts the sequence over (call after a success). */
  reset(): void {
    this.#attempt = 0;
  }
}
