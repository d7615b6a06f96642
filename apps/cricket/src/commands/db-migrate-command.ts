import { type Command, Option } from 'commander';
import { exitCodesHelp, lazyAction, usageExitCodes } from './cli-support.js';

/** The values of `--repair`: which column wins in a legacy table that has both. */
export const repairChoices = ['keep-session-id', 'keep-legacy'] as const;
export type RepairChoice = (typeof repairChoices)[number];

/** Registers `cricket db migrate` and `cricket db check`. */
export function registerDbCommand(program: Command): void {
  const db = usageExitCodes(
    program
      .command('db')
      .description('Inspect and migrate Cricket database files (including the reference system’s legacy files).'),
  );
  db.command('migrate')
    .description(
      'Bring a database file to the current schema in place: legacy layouts of the reference system first, ' +
        'then the versioned migrations, all in one transaction (all or nothing).',
    )
    .argument('<file>', 'SQLite database file (must exist)')
    .option('--dry-run', 'only report what would be done (opens the file read-only)', false)
    .addOption(
      new Option('--repair <winner>', 'for a legacy table with both session columns: which one wins').choices(
        repairChoices,
      ),
    )
    .option('--json', 'print a JSON report (and no progress lines)', false)
    .addHelpText(
      'after',
      [
        `${exitCodesHelp}`,
        '  1 also: a migration was refused or failed (the file is left unchanged), or the integrity check',
        '  after migrating is not ok.',
        '',
        'Progress goes to stderr (none with --json), one line per step as it starts:',
        '  migrating <file>…',
        '  applying legacy migration <name>…',
        '  applying migration <NNNN-name>…',
        '  committing…',
        '  committed in <seconds> s (schema version <from> → <to>); checking integrity…',
        '  (or: nothing to migrate; checking integrity…)',
        'The report goes to stdout. Interrupted at any moment, even by kill -9, the file keeps either its old',
        'schema or the new one, every row intact; run the command again to finish.',
      ].join('\n'),
    )
    .action(lazyAction('db migrate', async () => (await import('./db-actions.js')).migrate));
  db.command('check')
    .description('Report the schema version, legacy layouts found and PRAGMA integrity_check (read-only).')
    .argument('<file>', 'SQLite database file')
    .option('--json', 'print a JSON report', false)
    .addHelpText('after', `${exitCodesHelp} Exit 1 also when the integrity check fails or the schema is too new.`)
    .action(lazyAction('db check', async () => (await import('./db-actions.js')).check));
}
