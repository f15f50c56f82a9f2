// schedcp served over Streamable HTTP (`schedcp --http`), driven by the official
// TypeScript SDK clients' HTTP transports: v1 (@modelcontextprotocol/sdk 1.x,
// StreamableHTTPClientTransport: initialize, Mcp-Session-Id, GET stream, DELETE on close)
// and v2 (@modelcontextprotocol/client 2.x) in its legacy, auto and pinned modes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { startHttpServer, assertListsAndCalls, assertSchemaViolationIsError } from './server.mjs';

describe('v1 SDK client over Streamable HTTP', () => {
    let server;
    let client;
    let transport;

    before(async () => {
        server = await startHttpServer('v1-http');
        transport = new HttpV1(server.url);
        client = new ClientV1({ name: 'schedcp-sdk-test-v1-http', version: '1.0.0' });
        await client.connect(transport);
    });

    after(async () => {
        await client?.close();
        await server?.stop();
    });

    it('opens a session and negotiates 2025-11-25', () => {
        assert.equal(client.getServerVersion()?.name, 'schedcp');
        assert.ok(transport.sessionId, 'the server named a session');
        assert.equal(transport.protocolVersion, '2025-11-25');
    });

    it('lists and calls list_schedulers', () => assertListsAndCalls(client));

    it('answers concurrent calls on one session', async () => {
        const names = ['rusty', 'lavd', 'bpfland', 'simple'];
        const results = await Promise.all(
            names.map(name => client.callTool({ name: 'list_schedulers', arguments: { name } })));
        results.forEach((r, i) =>
            assert.deepEqual(r.structuredContent.schedulers.map(s => s.name), [`scx_${names[i]}`]));
    });

    it('ends the session with DELETE: the id is refused afterwards', async () => {
        const id = transport.sessionId;
        await transport.terminateSession();
        const res = await fetch(server.url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
                       'Mcp-Session-Id': id },
            body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'ping' })
        });
        assert.equal(res.status, 404);
    });
});

const MODES = [
    { label: 'default (legacy)', tag: 'v2-http-legacy', options: {}, era: 'legacy' },
    { label: "versionNegotiation {mode: 'auto'}", tag: 'v2-http-auto', options: { versionNegotiation: { mode: 'auto' } }, era: 'modern' },
    { label: "versionNegotiation {mode: {pin: '2026-07-28'}}", tag: 'v2-http-pin', options: { versionNegotiation: { mode: { pin: '2026-07-28' } } }, era: 'modern' }
];

for (const mode of MODES) {
    describe(`v2 SDK client over Streamable HTTP, ${mode.label}`, () => {
        let server;
        let client;

        before(async () => {
            server = await startHttpServer(mode.tag);
            client = new ClientV2({ name: `schedcp-sdk-test-${mode.tag}`, version: '1.0.0' }, mode.options);
            await client.connect(new HttpV2(server.url));
        });

        after(async () => {
            await client?.close();
            await server?.stop();
        });

        it(`speaks the ${mode.era} era`, () => {
            assert.equal(client.getProtocolEra(), mode.era);
            assert.equal(client.getServerVersion()?.name, 'schedcp');
        });

        it('lists and calls list_schedulers', () => assertListsAndCalls(client));

        it('schema-violating arguments give a result with isError: true', () =>
            assertSchemaViolationIsError(client));
    });
}

describe('v1 SDK client over Streamable HTTP with a bearer token (server.http.auth)', () => {
    let server;
    let tokenDir;
    const token = `schedcp_${randomBytes(32).toString('base64url')}`;

    before(async () => {
        // The token file line `schedcp-cli token new sdk --scope read` would print.
        tokenDir = mkdtempSync(join(tmpdir(), 'schedcp-sdk-tokens-'));
        const tokenFile = join(tokenDir, 'tokens');
        const hash = createHash('sha256').update(token).digest('hex');
        writeFileSync(tokenFile, `sdk:${hash}:read\n`, { mode: 0o600 });
        server = await startHttpServer('v1-http-auth', {
            serverYaml: `server: {http: {auth: {token_file: ${JSON.stringify(tokenFile)}}}}`
        });
    });

    after(async () => {
        await server?.stop();
        if (tokenDir) rmSync(tokenDir, { recursive: true, force: true });
    });

    it('lists and calls a read-only tool with the token in requestInit', async () => {
        const transport = new HttpV1(server.url, {
            requestInit: { headers: { Authorization: `Bearer ${token}` } }
        });
        const client = new ClientV1({ name: 'schedcp-sdk-test-v1-http-auth', version: '1.0.0' });
        await client.connect(transport);
        try {
            await assertListsAndCalls(client);
        } finally {
            await client.close();
        }
    });

    it('cannot connect without the token (401 with the resource metadata link)', async () => {
        const res = await fetch(server.url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' })
        });
        assert.equal(res.status, 401);
        assert.match(res.headers.get('www-authenticate') ?? '',
                     /^Bearer resource_metadata="http:\/\/127\.0\.0\.1:[0-9]+\/\.well-known\/oauth-protected-resource\/mcp"/);
        const client = new ClientV1({ name: 'schedcp-sdk-test-v1-http-noauth', version: '1.0.0' });
        await assert.rejects(client.connect(new HttpV1(server.url)));
    });
});
