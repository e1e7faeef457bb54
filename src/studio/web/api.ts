/** Requests to the studio's server, each carrying the session token (the server refuses any request without it). */
import { StreamingAnalyticsError } from '../../errors.js';

export const token = document.body.dataset.token ?? '';

export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly numeric: boolean;
}

export interface StreamInfo {
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  readonly output: boolean;
}

export interface Diagnostic {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

export interface StudioState {
  readonly name: string;
  readonly sql: string;
  readonly sqlFile: string | null;
  readonly input: {
    readonly stream: string;
    readonly source: { readonly type: string };
    readonly preprocessor: string;
    readonly format: string;
    readonly recordRowPath: string | null;
    readonly rowDelimiter: string | null;
    readonly columnDelimiter: string | null;
    readonly columns: readonly { readonly name: string; readonly sqlType: string; readonly mapping?: string }[];
  };
  readonly streams: readonly StreamInfo[];
  readonly outputs: readonly string[];
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { 'x-studio-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new StreamingAnalyticsError(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const api = {
  state: () => call<StudioState>('GET', '/api/state'),
  validate: (sql: string) => call<{ diagnostics: Diagnostic[] }>('POST', '/api/validate', { sql }),
  save: (sql: string) => call<{ diagnostics: Diagnostic[]; saved: string | null; streams?: StreamInfo[] }>('POST', '/api/save', { sql }),
  events: () => new EventSource(`/api/events?token=${encodeURIComponent(token)}`),
};
