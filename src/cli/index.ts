/**
 * The `streaming-analytics` command: parses argv (commander), dispatches to a command, maps errors to exit codes.
 */
import { Command, CommanderError } from 'commander';
import { StreamingAnalyticsError } from '../errors.js';
import { replayCommand } from './commands/replay/index.js';
import { registerValidateCommand } from './commands/validate/index.js';
import { registerProduceCommand } from './commands/produce/produce-command.js';
import { registerRunCommand } from './commands/run/run-command.js';
import { registerDiscoverCommand } from './commands/discover/discover-command.js';
import { registerStudioCommand } from './commands/studio/studio-command.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';

export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  // Commander prints the usage errors it finds itself; one thrown by an action (a bad --output value found while
  // loading the application) reaches the catch below unprinted.
  let usageErrorShown = false;
  const program = new Command('streaming-analytics')
    .description('Real-time analytics on Amazon Kinesis with a Kinesis Data Analytics SQL engine')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => {
        usageErrorShown = true;
        write(s);
      },
    });
  program
    .command('replay')
    .description('run a conformance case (application + records) and print every produced row as one JSON line')
    .argument('<case>', 'case file (JSON, ../shared/conformance/README.md format)')
    .action((file: string) => {
      code = replayCommand(file);
    });
  registerValidateCommand(program, (c) => (code = c));
  registerRunCommand(program, (c) => (code = c));
  registerProduceCommand(program, (c) => (code = c));
  registerDiscoverCommand(program, (c) => (code = c));
  registerStudioCommand(program, (c) => (code = c));
  program.addHelpText(
    'after',
    `
Exit codes: ${ExitCode.OK} success, ${ExitCode.RUNTIME_FAILURE} failure while running, ${ExitCode.USAGE} bad usage, ${ExitCode.INVALID_APPLICATION} invalid application (SQL, schema or configuration).`,
  );
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return ExitCode.OK;
      if (!usageErrorShown) process.stderr.write(`streaming-analytics: ${e.message}\n`);
      return ExitCode.USAGE;
    }
    if (e instanceof StreamingAnalyticsError) {
      process.stderr.write(`streaming-analytics: ${e.name}: ${e.message}\n`);
      return exitCodeFor(e);
    }
    const err = e as Error;
    process.stderr.write(`streaming-analytics: ${err.stack ?? String(err)}\n`);
    return 1;
  }
}
