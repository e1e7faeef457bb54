// Loaded into the process under test with `node --import`: writes its memory use to stderr as one JSON line
// every SOAK_PROBE_MS ms (default 10000), so the soak benchmark samples RSS and heap from inside the process.
const everyMs = Number(process.env.SOAK_PROBE_MS ?? 10_000);
const timer = setInterval(() => {
  const m = process.memoryUsage();
  process.stderr.write(`${JSON.stringify({ soakProbe: { time: Date.now(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers } })}\n`);
}, everyMs);
timer.unref();
