/**
 * `streaming-analytics studio <app>`: runs an application behind a local web page where its SQL is edited
 * (validated as you type), saved (the application restarts at the same source position) and watched: every
 * in-application stream's newest rows, error_stream, charts of the outputs, the input and the run's progress.
 */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { loadApplicationDefinition } from '../../../app/definition/index.js';
import { startStudio } from '../../../studio/server/studio-server.js';
import { ExitCode } from '../../exit-codes.js';
import { parsePositiveInt } from '../../option-parsers.js';
import { addImportOptions, importOptionsFrom, type RunCommandOptions } from '../run/run-command.js';

export interface StudioCommandOptions extends RunCommandOptions {
  open?: boolean;
}

export function registerStudioCommand(program: Command, setCode: (code: number) => void): void {
  addImportOptions(
    program
      .command('studio')
      .description('a local web page to edit, run and watch an application (127.0.0.1 only, a random port and token)')
      .argument('<app>', 'application: a folder with application.yaml, a definition file, a CloudFormation template or describe-application JSON'),
  )
    .option('--rate <n>', 'embedded source only: user records per second of the in-process KPL producer', parsePositiveInt, 1000)
    .option('--seed <n>', 'seed of the generated records and of randomized functions', parsePositiveInt)
    .option('--open', "open the page in the system's browser")
    .action(async (app: string, opts: StudioCommandOptions) => setCode(await studioCommand(app, opts)));
}

export async function studioCommand(app: string, o: StudioCommandOptions, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<number> {
  const def = loadApplicationDefinition(app, importOptionsFrom(o));
  const studio = await startStudio(def, { produceRate: o.rate, seed: o.seed });
  log(`studio for ${def.name}: ${studio.url}`);
  log('(the page and its API answer only on 127.0.0.1 and only with this token; Ctrl-C stops the studio)');
  if (o.open) openBrowser(studio.url, log);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping the studio');
  await studio.close();
  return ExitCode.OK;
}

/** The platform's "open this URL" command; the URL is one argument, never through a shell. */
function openBrowser(url: string, log: (line: string) => void): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['explorer.exe', [url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', (e) => log(`could not open a browser (${e.message}); open the URL above yourself`));
  child.unref();
}
