/**
 * The `streaming-analytics` command: parses argv, dispatches to a command, maps errors to exit codes.
 */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write('Usage: streaming-analytics <command> [options]\n');
    return 0;
  }
  process.stderr.write(`streaming-analytics: unknown command '${argv[0]}'\n`);
  return 2;
}
