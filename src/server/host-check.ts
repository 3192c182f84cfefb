/**
 * The Host header check against DNS rebinding: a page on attacker.example whose name is made
 * to resolve to 127.0.0.1 would otherwise reach a loopback service with the victim's
 * browser. A request is accepted when its Host names the service by an address (an IP
 * literal; on a loopback listener, loopback ones only), as `localhost`, or by a name the
 * operator allowed (--allowed-hosts); any other gets 421.
 */
import { isIP } from 'node:net';
import { HttpError } from './http-error.js';

/** The hostname of a Host header value, lower-case, without port or IPv6 brackets; null when malformed. */
export function hostName(header: string): string | null {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0 || (end + 1 < h.length && !/^:\d{1,5}$/.test(h.slice(end + 1)))) return null;
    return h.slice(1, end);
  }
  const m = /^([^:\s/@]+)(?::\d{1,5})?$/.exec(h);
  return m ? m[1]!.replace(/\.$/, '') : null;
}

/** Whether `address` (a bound address or a Host's hostname) is a loopback one. */
export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address) || address === '::ffff:127.0.0.1';
}

/**
 * A check for the Host headers of a server bound to `bound`; `allowed` are further names
 * (lower-case; '*' accepts any). Throws HttpError 421 for a refused Host.
 */
export function hostChecker(bound: string, allowed: readonly string[] = []): (header: string | undefined) => void {
  const loopback = isLoopback(bound);
  const names = new Set(allowed.map((a) => a.toLowerCase()));
  return (header) => {
    if (header === undefined || names.has('*')) return; // HTTP/1.0 may leave it out
    const name = hostName(header);
    if (name !== null && (names.has(name) || name === 'localhost' || (isIP(name) && (!loopback || isLoopback(name))))) return;
    throw new HttpError(421, `Host ${JSON.stringify(header)} is not a name of this server (accepted: localhost, ${loopback ? '127.0.0.1, [::1]' : 'IP addresses'}${names.size ? `, ${[...names].join(', ')}` : ''}; start it with --allowed-hosts to add names)`);
  };
}

/**
 * A check of the Origin header of WebSocket requests (browsers send one; CORS does not
 * guard WebSockets, so without it any page the user visits could use a local server): it
 * must be the server's own origin (the same host and port as the Host header) or name an
 * allowed host (`allowed` as for hostChecker; '*' accepts any). No Origin (a client that is
 * not a browser) passes. Throws HttpError 403.
 */
export function originChecker(allowed: readonly string[] = []): (origin: string | undefined, host: string | undefined) => void {
  const names = new Set(allowed.map((a) => a.toLowerCase()));
  return (origin, host) => {
    if (origin === undefined || names.has('*')) return;
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (url && (url.host === host?.trim().toLowerCase() || names.has(url.hostname.replace(/^\[|\]$/g, '')))) return;
    throw new HttpError(403, `Origin ${JSON.stringify(origin)} may not open streams on this server (only pages it serves${names.size ? ` and ${[...names].join(', ')}` : ''}; start it with --allowed-hosts to add names)`);
  };
}
