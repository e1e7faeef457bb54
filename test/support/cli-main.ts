// Runs the command from the TypeScript sources (`node --import tsx test/support/cli-main.ts ...`), so that tests
// of the command as a process exercise the current code, not a dist/ build that may be stale.
import { main } from '../../src/cli/index.js';

process.exitCode = await main(process.argv.slice(2));
