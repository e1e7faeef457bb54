import { readCase, replayCase } from './replay-case.js';

/** `streaming-analytics replay <case.json>`: prints one JSON line per produced row; returns the exit code. */
export async function replayCommand(file: string, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const c = readCase(file);
  const lines: string[] = [];
  await replayCase(c, (line) => lines.push(line));
  if (lines.length > 0) write(lines.join('\n') + '\n');
  return 0;
}

export { readCase, replayCase } from './replay-case.js';
export type { ReplayCase } from './replay-case.js';
