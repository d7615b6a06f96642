import { ConfigurationError } from '@cricket/core';
import type { Profile, ProfileAvailability, ProfileRegistry } from './profile.js';
import { defaultProfileSlug } from './profile-defaults.js';
import { ProfileError } from './profile-error.js';

/**
 * A {@link ProfileRegistry}: it also says whether each profile's engine can be created, so listings
 * show unusable profiles (with the reason) instead of the server refusing to start.
 */
export type CheckedProfileRegistry = ProfileRegistry;

/** Options of {@link InMemoryProfileRegistry}. */
export interface ProfileRegistryOptions {
  /**
   * Slug of the default profile. Without it: the profile named `default` when there is one, else the
   * first profile given.
   */
  defaultSlug?: string;
  /** Reason each unavailable profile cannot be used, by slug; profiles not listed are available. */
  unavailable?: Readonly<Record<string, string>>;
}

/**
 * The in-memory registry: a fixed set of profiles with unique slugs, listed default first, then by
 * slug (a stable order, unlike the reference's map iteration). Throws `ConfigurationError` when given
 * no profiles, a duplicate slug, an unknown `defaultSlug`, or a reason for an unknown slug.
 */
export class InMemoryProfileRegistry implements CheckedProfileRegistry {
  readonly defaultSlug: string;
  readonly #profiles = new Map<string, Profile>();
  readonly #unavailable = new Map<string, string>();
  readonly #ordered: readonly Profile[];

  constructor(profiles: readonly Profile[], options: ProfileRegistryOptions = {}) {
    const first = profiles[0];
    if (first === undefined) throw new ConfigurationError('profile registry: at least one profile is required');
    for (const profile of profiles) {
      if (this.#profiles.has(profile.slug)) {
        throw new ConfigurationError(`profile registry: duplicate profile slug "${profile.slug}"`);
      }
      this.#profiles.set(profile.slug, profile);
    }
    if (options.defaultSlug !== undefined && !this.#profiles.has(options.defaultSlug)) {
      throw new ConfigurationError(`profile registry: default profile "${options.defaultSlug}" is not registered`);
    }
    this.defaultSlug =
      options.defaultSlug ?? (this.#profiles.has(defaultProfileSlug) ? defaultProfileSlug : first.slug);
    for (const [slug, reason] of Object.entries(options.unavailable ?? {})) {
      if (!this.#profiles.has(slug)) {
        throw new ConfigurationError(`profile registry: unavailability reason for unknown profile "${slug}"`);
      }
      this.#unavailable.set(slug, reason);
    }
    this.#ordered = [...this.#profiles.values()].sort((left, right) => this.#compare(left.slug, right.slug));
  }

  get(slug: string): Profile | undefined {
    return this.#profiles.get(slug);
  }

  list(): Profile[] {
    return [...this.#ordered];
  }

  availability(slug: string): ProfileAvailability | undefined {
    if (!this.#profiles.has(slug)) return undefined;
    const reason = this.#unavailable.get(slug);
    return reason === undefined ? { available: true } : { available: false, reason };
  }

  #compare(left: string, right: string): number {
    if (left === right) return 0;
    if (left === this.defaultSlug) return -1;
    if (right === this.defaultSlug) return 1;
    return left < right ? -1 : 1;
  }
}

/** The profile with `slug`; throws `ProfileError` `profile-not-found` (`profile not found: <slug>`) otherwise. */
export function requireProfile(registry: ProfileRegistry, slug: string): Profile {
  const profile = registry.get(slug);
  if (profile === undefined) throw new ProfileError('profile-not-found', `profile not found: ${slug}`);
  return profile;
}
