/**
 * The studio's web server (node:http): the page, its bundled script and style, a small JSON API and one
 * server-sent-event stream of rows, input samples, progress and status. It listens on 127.0.0.1 only, on a free
 * port, and answers nothing (403) to a request without the session's random token: a web page in another tab
 * cannot read or drive it, and neither can anything off this machine.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ApplicationDefinition } from '../../app/definition/index.js';
import { ConfigError } from '../../errors.js';
import { RunSession, type RunSessionOptions, type TappedRow } from './run-session.js';
import { studioPage } from './studio-page.js';

/** The bundled front end (`npm run build:ts` writes it), beside src/ and dist/ alike. */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../../../dist/studio-web/', import.meta.url));

export interface StudioOptions extends RunSessionOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default 32 random bytes */
  readonly token?: string;
  readonly assetsDir?: string;
}

export interface Studio {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly session: RunSession;
  close(): Promise<void>;
}

/** Newest rows sent per stream per flush: the page shows a bounded table, so older ones would only be dropped there. */
const ROWS_PER_FLUSH = 300;
const FLUSH_MS = 100;
const MAX_BODY_BYTES = 1 << 20;

export async function startStudio(definition: ApplicationDefinition, options: StudioOptions = {}): Promise<Studio> {
  const assetsDir = options.assetsDir ?? DEFAULT_ASSETS_DIR;
  const script = `${assetsDir}/studio.js`;
  if (!existsSync(script)) throw new ConfigError('studio', `the studio's page is not built (${script} is missing): run npm run build:ts`);
  const token = options.token ?? randomBytes(32).toString('base64url');
  const session = new RunSession(definition, options);
  const clients = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ error: e.message }));
      else res.end();
    });
  });

  let port = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // The Host check turns away DNS-rebinding pages even before the token is looked at.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 403, 'text/plain', 'forbidden\n');
    if (!validToken(url.searchParams.get('token') ?? req.headers['x-studio-token'], token)) return send(res, 403, 'text/plain', 'forbidden: this page needs the token printed by `streaming-analytics studio`\n');
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /':
        return send(res, 200, 'text/html; charset=utf-8', studioPage(definition.name, token));
      case 'GET /assets/studio.js':
        return send(res, 200, 'text/javascript; charset=utf-8', readFileSync(script));
      case 'GET /assets/studio.css':
        return send(res, 200, 'text/css; charset=utf-8', readFileSync(`${assetsDir}/studio.css`));
      case 'GET /api/state':
        return sendJson(res, stateOf(session));
      case 'POST /api/validate': {
        const { sql } = await readSql(req);
        return sendJson(res, { diagnostics: session.validate(sql) });
      }
      case 'POST /api/save': {
        const { sql } = await readSql(req);
        const diagnostics = await session.restart(sql);
        if (diagnostics.length > 0) return sendJson(res, { diagnostics, saved: null });
        const file = definition.origin.sqlFile;
        if (file) writeFileSync(file, sql);
        return sendJson(res, { diagnostics, saved: file ?? null, streams: session.describeStreams() });
      }
      case 'GET /api/events':
        return openEvents(res);
      default:
        return send(res, 404, 'text/plain', 'not found\n');
    }
  };

  const openEvents = (res: ServerResponse): void => {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    clients.add(res);
    const pending = new Map<string, { total: number; rows: TappedRow[] }>();
    let dropped = 0;
    let blocked = false;
    const write = (event: string, data: unknown): void => {
      if (blocked) return;
      if (!res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) {
        // A slow page: drop rows rather than queue without bound; it catches up with the newest ones.
        blocked = true;
        res.once('drain', () => (blocked = false));
      }
    };
    const flush = () => {
      for (const [stream, p] of pending) {
        if (blocked) dropped += p.rows.length;
        else write('rows', { stream, total: p.total, rows: p.rows.map((r) => ({ t: r.rowtime, r: r.row })) });
      }
      pending.clear();
    };
    const timer = setInterval(flush, FLUSH_MS);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const unlisten = session.listen({
      rows: (rows) => {
        for (const r of rows) {
          let p = pending.get(r.stream);
          if (!p) pending.set(r.stream, (p = { total: 0, rows: [] }));
          p.total++;
          p.rows.push(r);
          if (p.rows.length > ROWS_PER_FLUSH * 2) p.rows.splice(0, p.rows.length - ROWS_PER_FLUSH);
        }
        for (const p of pending.values()) if (p.rows.length > ROWS_PER_FLUSH) p.rows.splice(0, p.rows.length - ROWS_PER_FLUSH);
      },
      input: (s) => write('input', s),
      progress: (f) => write('progress', { ...f, droppedOnTheWay: dropped }),
      status: (s) => write('status', s),
    });
    write('status', session.lastStatus);
    res.on('close', () => {
      clearInterval(timer);
      clearInterval(heartbeat);
      unlisten();
      clients.delete(res);
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  try {
    await session.start();
  } catch (e) {
    server.close();
    await session.close();
    throw e;
  }
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    session,
    close: async () => {
      for (const c of clients) c.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await session.close();
    },
  };
}

function stateOf(session: RunSession): unknown {
  const d = session.definition;
  return {
    name: d.name,
    sql: session.currentSql,
    sqlFile: d.origin.sqlFile ?? null,
    input: {
      stream: `${d.input.namePrefix}_001`,
      source: d.input.source,
      preprocessor: d.input.preprocessor.type,
      format: d.input.format,
      recordRowPath: d.input.recordRowPath ?? null,
      rowDelimiter: d.input.rowDelimiter ?? null,
      columnDelimiter: d.input.columnDelimiter ?? null,
      columns: d.input.columns,
    },
    streams: session.describeStreams(),
    outputs: d.outputs.map((o) => o.stream),
  };
}

function validToken(given: string | string[] | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SECURITY_HEADERS = {
  // CodeMirror adds its styles at run time, hence 'unsafe-inline' for styles only; nothing loads from elsewhere.
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  // The token is in the page's URL: never send it on as a referrer.
  'Referrer-Policy': 'no-referrer',
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, value: unknown): void {
  send(res, 200, 'application/json', JSON.stringify(value));
}

async function readSql(req: IncomingMessage): Promise<{ sql: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) throw new ConfigError('body', `over ${MAX_BODY_BYTES} bytes`);
    chunks.push(c);
  }
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { sql?: unknown };
  if (typeof body.sql !== 'string') throw new ConfigError('sql', 'a JSON body {"sql": "..."} is required');
  return { sql: body.sql };
}
