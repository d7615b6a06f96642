// Public surface of the profiles folder: profile files, the default profile, the registry, request
// overrides, signatures and engine creation. Every export is listed explicitly.

export { applyOverrides, engineOverrideKeys, isStepModeRequested } from './apply-overrides.js';
export {
  createProfileEngine,
  createProfileEngineFactory,
  type ProviderEngineFactory,
} from './create-profile-engine.js';
export { createDefaultProfiles, type DefaultProfilesOptions } from './default-profiles.js';
export { describeProfileEngine } from './describe-profile-engine.js';
export type {
  EngineFactory,
  MiddlewareContext,
  MiddlewareFactory,
  MiddlewareSpec,
  Profile,
  ProfileRegistry,
  ToolCatalog,
} from './profile.js';
export { checkEngineAvailability, type ProfileAvailability } from './profile-availability.js';
export { defaultModels, defaultProfileSlug, defaultSystemPrompt } from './profile-defaults.js';
export { ProfileError, type ProfileErrorCode } from './profile-error.js';
export {
  type CheckedProfileRegistry,
  InMemoryProfileRegistry,
  type ProfileRegistryOptions,
  requireProfile,
} from './profile-registry.js';
export { profileSignature } from './profile-signature.js';
export { loadProfilesFile, type ProfilesYamlOptions, parseProfilesYaml } from './profiles-file.js';
export {
  type ProfileFileEntry,
  type ProfilesFile,
  profileFileEntrySchema,
  profileSlugPattern,
  profilesFileSchema,
  toolConfigFileSchema,
} from './profiles-file-schema.js';
