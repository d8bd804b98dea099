import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuse, SECURITY_HEADERS, startViewServer, type ViewServer } from '../src/commands/view.ts';

/** A raw GET with the Host header we choose (fetch would set its own). */
function get(
  port: number,
  path: string,
  host: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => done({ status: response.statusCode!, headers: response.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('the view server refuses what it must not serve', () => {
  let server: ViewServer;
  const trace = '{"format":"dsim-trace"}\n';

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-view-server-'));
    const file = join(dir, 'trace.jsonl');
    writeFileSync(file, trace);
    server = await startViewServer(file, 0);
  });
  afterAll(() => server.close());

  it('serves the trace to loopback names, with the security headers', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`]) {
      const answer = await get(server.port, '/trace.jsonl', host);
      expect(answer.status, host).toBe(200);
      expect(answer.body).toBe(trace);
      // The app draws a trace of known small size once, whole: the length must be sent.
      expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(trace)));
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(answer.headers[name], name).toBe(value);
    }
  });

  it('answers 421 to any other Host (DNS rebinding) and never sends the trace', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1.evil.example:${server.port}`]) {
      const answer = await get(server.port, '/trace.jsonl', host);
      expect(answer.status, host).toBe(421);
      expect(answer.body).not.toContain('dsim-trace');
    }
  });

  it('answers 400 to a path that is not valid percent-encoding, and keeps serving', async () => {
    const bad = await get(server.port, '/%E0%A4%A', `127.0.0.1:${server.port}`);
    expect(bad.status).toBe(400);
    const after = await get(server.port, '/trace.jsonl', `127.0.0.1:${server.port}`);
    expect(after.status).toBe(200);
  });

  it('serves only GET and HEAD', async () => {
    expect((await get(server.port, '/trace.jsonl', `127.0.0.1:${server.port}`, 'POST')).status).toBe(405);
    expect(refuse('HEAD', 'localhost:1', 1)).toBeUndefined();
    expect(refuse('DELETE', 'localhost:1', 1)?.status).toBe(405);
  });

  it('keeps paths inside the app: traversal is not found', async () => {
    const answer = await get(server.port, '/..%2f..%2fpackage.json', `127.0.0.1:${server.port}`);
    expect(answer.status).toBe(404);
  });
});
