import { createProgram } from './program.js';

// Parse and run; commander prints usage errors itself. Unexpected errors end with exit code 1.
try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`cricket: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
