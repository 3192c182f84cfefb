/** A small HTTP client for the server tests: answers even when the server closes mid-upload. */
import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * A connection per request unless the caller gives an agent: Node's global agent keeps
 * connections alive, and one reused just as the server's keep-alive timeout closes it
 * resets the request (ECONNRESET) after a test spent more than 5 s between requests.
 */
const fresh = new Agent({ keepAlive: false });

/**
 * Sends `body` (in `chunks` pieces when given, without a Content-Length: chunked) and
 * resolves with the reply. Write errors after the server answered are ignored.
 */
export function send(url: string, options: { method?: string; body?: Uint8Array; chunked?: boolean; agent?: Agent; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? (options.body ? 'POST' : 'GET'), agent: options.agent ?? fresh, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
      });
      res.on('error', reject);
    });
    let answered = false;
    req.on('response', () => { answered = true; });
    req.on('error', (err) => { if (!answered) reject(err); });
    const body = options.body;
    if (!body) return void req.end();
    if (!options.chunked) req.setHeader('Content-Length', body.length);
    // Chunked: several writes without a Content-Length.
    const step = options.chunked ? Math.max(1, Math.ceil(body.length / 8)) : body.length;
    for (let at = 0; at < body.length; at += step) req.write(body.subarray(at, at + step));
    req.end();
  });
}
