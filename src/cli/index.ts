/**
 * The `streaming-analytics` command: parses argv (commander), dispatches to a command, maps errors to exit codes.
 */
import { Command, CommanderError } from 'commander';
import { describeError, StreamingAnalyticsError } from '../errors.js';
import { replayCommand } from './commands/replay/index.js';
import { registerValidateCommand } from './commands/validate/index.js';
import { registerProduceCommand } from './commands/produce/produce-command.js';
import { registerRunCommand } from './commands/run/run-command.js';
import { registerTranslateCommand } from './commands/translate/index.js';
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
    .option('--debug', 'print the stack trace of an error (also: STREAMING_ANALYTICS_DEBUG=1)')
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
    .argument('<case>', 'case file: JSON {"sql", "input" (the input schema), "records": [{"at", "arrival"?, "data"}], "reference"?, "endAt"?}; examples in test/fixtures/conformance/cases')
    .action(async (file: string) => {
      code = await replayCommand(file);
    });
  registerValidateCommand(program, (c) => (code = c));
  registerRunCommand(program, (c) => (code = c));
  registerProduceCommand(program, (c) => (code = c));
  registerTranslateCommand(program, (c) => (code = c));
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
    // Stack traces are for whoever debugs this project; a user gets the message, which names what and where.
    const debug = argv.includes('--debug') || ['1', 'true'].includes(process.env.STREAMING_ANALYTICS_DEBUG ?? '');
    if (debug) process.stderr.write(`${stackOf(e)}\n`);
    if (e instanceof StreamingAnalyticsError) {
      process.stderr.write(`streaming-analytics: ${e.name}: ${describeError(e)}\n`);
      return exitCodeFor(e);
    }
    const err = e as Error;
    process.stderr.write(`streaming-analytics: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}${debug ? '' : ' (--debug prints the stack trace)'}\n`);
    return 1;
  }
}

/** The stack of an error and of each cause under it. */
function stackOf(e: unknown): string {
  const parts: string[] = [];
  for (let c: unknown = e, depth = 0; c !== undefined && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    parts.push(`${depth > 0 ? 'caused by: ' : ''}${c instanceof Error ? c.stack ?? c.message : String(c)}`);
  }
  return parts.join('\n');
}
