import { type Command, Option } from 'commander';
import { exitCodesHelp, lazyAction, parseCount, usageExitCodes } from './cli-support.js';
import { defaultDatabasePath } from './serve-command.js';
import { parseBaseUrl } from './timeline/base-url.js';
import { parseEntityOrder } from './timeline/select-entities.js';

/** The code of the timeline commands, loaded when one runs. */
const reports = () => import('./timeline/conversation-reports.js');
const reads = () => import('./timeline/read-commands.js');

const databaseOnlyHelp = '\nSQLite only: reads the --db file; there is no --base-url form.';

const serverHelp = `
With --base-url the conversation is read from the running server's GET <url>/timeline instead of
--db; the URL may include the server's mount root (http://host:8080/app/). The server leaves out
entities it cannot decode, which --db would show.`;

const entityVersionHelp = `
The /timeline body has the conversation's version and each entity's createdVersion, but not the
version of each entity's last write: with --base-url the version column is empty (null with --json).`;

const entitiesVersionHelp = `${entityVersionHelp}
--version-min/--version-max still apply exactly (through since_version); --order -version is refused.`;

function common(command: Command): Command {
  return command
    .option('--db <file>', 'SQLite database file (Cricket or reference timeline layout)', defaultDatabasePath())
    .option('--json', 'print JSON', false)
    .addHelpText('after', exitCodesHelp);
}

/** `--base-url` and `--auth-token` of the subcommands that can read a running server. */
function serverOptions(command: Command, help = ''): Command {
  return command
    .addOption(
      new Option('--base-url <url>', "read the running server's GET <url>/timeline instead of --db")
        .argParser(parseBaseUrl)
        .conflicts('db'),
    )
    .addOption(
      new Option('--auth-token <token>', 'bearer token for --base-url (server started with --auth-token)').env(
        'CRICKET_AUTH_TOKEN',
      ),
    )
    .addHelpText('after', help ? `${serverHelp}\n${help}` : serverHelp);
}

/** `--include-json` / `--include-summary` with their `--no-` forms. */
function columnOptions(command: Command, includeJson: boolean): Command {
  return command
    .option('--include-json', 'include entity_json', includeJson)
    .option('--no-include-json', 'omit entity_json')
    .option('--include-summary', 'include the one-line summary', true)
    .option('--no-include-summary', 'omit the one-line summary');
}

/**
 * Registers `cricket timeline list|snapshot|entities|entity|stats|verify` (reference §5.8; read-only).
 * All read a database file; `snapshot`, `entities` and `entity` can read a running server instead.
 */
export function registerTimelineCommand(program: Command): void {
  const timeline = usageExitCodes(
    program
      .command('timeline')
      .description(
        'Inspect the timeline projection (read-only): in a database file, or for snapshot, entities and entity ' +
          'in a running server (--base-url).',
      ),
  );
  common(timeline.command('list').description('One row per conversation that has entities, by conv_id (SQLite only).'))
    .option('--conv-id-prefix <prefix>', 'only conversations whose id starts with this', '')
    .option('--limit <n>', 'at most n conversations (0 = all)', parseCount, 200)
    .addHelpText('after', databaseOnlyHelp)
    .action(lazyAction('timeline list', async () => (await reports()).listConversations));
  const snapshotCommand = common(
    timeline.command('snapshot').description('The /timeline snapshot of one conversation.'),
  );
  serverOptions(snapshotCommand)
    .requiredOption('--conv-id <id>', 'conversation id')
    .option('--since-version <n>', 'only entities with a version above n', parseCount, 0)
    .option('--limit <n>', 'at most n entities (0 = all)', parseCount, 5000)
    .option('--include-entities', 'include the entities', false)
    .option('--raw-json', 'include the snapshot JSON as one string (with --base-url: the body as received)', false)
    .action(lazyAction('timeline snapshot', async () => (await reads()).snapshot));

  const entitiesCommand = common(
    timeline.command('entities').description('Entities of one conversation, filtered and ordered.'),
  );
  serverOptions(entitiesCommand, entitiesVersionHelp)
    .requiredOption('--conv-id <id>', 'conversation id')
    .option('--kind <kind>', 'only this kind')
    .option('--entity-id <id>', 'only this entity')
    .option('--version-min <n>', 'version ≥ n (0 = ignore)', parseCount, 0)
    .option('--version-max <n>', 'version ≤ n (0 = ignore)', parseCount, 0)
    .option('--created-after-ms <ms>', 'created_at_ms ≥ ms (0 = ignore)', parseCount, 0)
    .option('--created-before-ms <ms>', 'created_at_ms ≤ ms (0 = ignore)', parseCount, 0)
    .option('--updated-after-ms <ms>', 'updated_at_ms ≥ ms (0 = ignore)', parseCount, 0)
    .option('--updated-before-ms <ms>', 'updated_at_ms ≤ ms (0 = ignore)', parseCount, 0)
    .option('--limit <n>', 'at most n entities (0 = all)', parseCount, 5000)
    .option(
      '--order <order>',
      'version | created | updated, "-" prefix for descending; ties by entity_id',
      parseEntityOrder,
      'version',
    );
  columnOptions(entitiesCommand, false).action(lazyAction('timeline entities', async () => (await reads()).entities));

  const entityCommand = common(
    timeline
      .command('entity')
      .description('One entity of a conversation, with the entities columns; exit 1 when it does not exist.'),
  );
  serverOptions(entityCommand, entityVersionHelp)
    .requiredOption('--conv-id <id>', 'conversation id')
    .requiredOption('--entity-id <id>', 'entity id');
  columnOptions(entityCommand, true).action(lazyAction('timeline entity', async () => (await reads()).entity));

  common(timeline.command('stats').description('Per conversation: counts, times and entity kinds (SQLite only).'))
    .option('--conv-id-prefix <prefix>', 'only conversations whose id starts with this', '')
    .option('--limit <n>', 'at most n conversations (0 = all)', parseCount, 200)
    .addHelpText('after', databaseOnlyHelp)
    .action(lazyAction('timeline stats', async () => (await reports()).conversationStats));
  common(
    timeline
      .command('verify')
      .description(
        'Consistency checks: missing_version_row, version_mismatch, updated_before_created, empty_kind, ' +
          'json_parse_error (with --check-json). Exit 0 even with issues; they are the output (SQLite only).',
      ),
  )
    .option('--conv-id-prefix <prefix>', 'only conversations whose id starts with this', '')
    .option('--limit <n>', 'stop after n issues (0 = unlimited)', parseCount, 200)
    .option('--check-json', 'also parse every entity_json', false)
    .option('--emit-ok', 'print {status: ok, issues: 0} when nothing is wrong', false)
    .addHelpText('after', databaseOnlyHelp)
    .action(lazyAction('timeline verify', async () => (await import('./timeline/verify.js')).verifyTimeline));
}
