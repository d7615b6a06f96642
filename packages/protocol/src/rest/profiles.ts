import { z } from 'zod';

/** One entry of `GET /api/chat/profiles`. Cricket adds the provider and model, and marks offline engines. */
export const profileSummarySchema = z.object({
  slug: z.string(),
  default_prompt: z.string(),
  provider: z.string().optional(),
  model: z.string().optional(),
  offline: z.boolean().optional(),
  /** False when the profile cannot be used here (e.g. its API key is not set); `reason` says why. */
  available: z.boolean().optional(),
  reason: z.string().optional(),
});
export type ProfileSummary = z.infer<typeof profileSummarySchema>;

/** `GET /api/chat/profiles`: profiles in a stable order (default first, then by slug). */
export const profileListSchema = z.array(profileSummarySchema);

/** `GET|POST /api/chat/profile` response. */
export const currentProfileSchema = z.object({ slug: z.string(), profile: z.string() });
export type CurrentProfile = z.infer<typeof currentProfileSchema>;

/** `POST /api/chat/profile` body: `slug` wins over `profile`. */
export const selectProfileRequestSchema = z.looseObject({
  slug: z.string().optional(),
  profile: z.string().optional(),
});
