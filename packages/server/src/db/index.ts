// Public surface of the embedded SQLite database: opening, migrations, introspection. Explicit exports only.

export { CricketDatabase } from './cricket-database.js';
export type { LegacyMigration, Migration, MigrationReport } from './migration.js';
export { initialSchemaMigration } from './migrations/0001-initial-schema.js';
export { latestVersion, migrationLabel, runMigrations } from './migrations.js';
export { type OpenDatabaseOptions, openDatabase } from './open-database.js';
export { cricketLegacyMigrations, cricketMigrations } from './schema-migrations.js';
export { columnNames, indexExists, readUserVersion, tableExists } from './sqlite-introspection.js';
