// schedcp driven by the v2 TypeScript SDK client (@modelcontextprotocol/client 2.x)
// in its three version-negotiation modes:
//   - default (no option = 'legacy'): plain 2025 `initialize` handshake
//   - {mode: 'auto'}: `server/discover` probe, must select the 2026-07-28 era
//   - {mode: {pin: '2026-07-28'}}: modern era at exactly that revision
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ProtocolError, ProtocolErrorCode, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { makeServer, firstText, EXPECTED_PRODUCTION, assertSchemaViolationIsError } from './server.mjs';

const MODES = [
    { label: 'default (legacy)', tag: 'v2-legacy', options: {}, version: LATEST_PROTOCOL_VERSION, era: 'legacy' },
    { label: "versionNegotiation {mode: 'auto'}", tag: 'v2-auto', options: { versionNegotiation: { mode: 'auto' } }, version: '2026-07-28', era: 'modern' },
    { label: "versionNegotiation {mode: {pin: '2026-07-28'}}", tag: 'v2-pin', options: { versionNegotiation: { mode: { pin: '2026-07-28' } } }, version: '2026-07-28', era: 'modern' }
];

for (const mode of MODES) {
    describe(`v2 SDK client (@modelcontextprotocol/client), ${mode.label}`, () => {
        let server;
        let client;

        before(async () => {
            server = makeServer(mode.tag);
            const transport = new StdioClientTransport({ command: server.command, args: server.args });
            client = new Client({ name: `schedcp-sdk-test-${mode.tag}`, version: '1.0.0' }, mode.options);
            await client.connect(transport);
        });

        after(async () => {
            await client?.close();
            server?.cleanup();
        });

        it(`negotiates ${mode.version} (${mode.era} era) and identifies as schedcp`, () => {
            assert.equal(client.getNegotiatedProtocolVersion(), mode.version);
            assert.equal(client.getProtocolEra(), mode.era);
            assert.equal(client.getServerVersion()?.name, 'schedcp');
            assert.ok(client.getServerCapabilities()?.tools, 'server advertises tools capability');
            if (mode.era === 'modern') {
                const discover = client.getDiscoverResult();
                assert.ok(discover, 'DiscoverResult recorded');
                assert.ok(discover.supportedVersions.includes('2026-07-28'));
            } else {
                assert.equal(client.getDiscoverResult(), undefined);
            }
        });

        it('lists exactly list_schedulers', async () => {
            const { tools } = await client.listTools();
            assert.deepEqual(tools.map(t => t.name), ['list_schedulers']);
            assert.equal(tools[0].inputSchema.type, 'object');
        });

        it('list_schedulers {production_ready: true} returns the 11 production schedulers', async () => {
            const result = await client.callTool({ name: 'list_schedulers', arguments: { production_ready: true } });
            assert.notEqual(result.isError, true, `unexpected tool error: ${firstText(result)}`);
            const sc = result.structuredContent;
            assert.ok(sc && typeof sc === 'object', 'structuredContent present');
            assert.equal(sc.count, 11);
            const names = sc.schedulers.map(s => s.name);
            assert.equal(names.length, 11);
            for (const n of EXPECTED_PRODUCTION) assert.ok(names.includes(n), `missing ${n} in ${names}`);
            assert.deepEqual(JSON.parse(firstText(result)), sc);
        });

        it('list_schedulers {name: "rusty"} returns exactly scx_rusty', async () => {
            const result = await client.callTool({ name: 'list_schedulers', arguments: { name: 'rusty' } });
            assert.notEqual(result.isError, true, `unexpected tool error: ${firstText(result)}`);
            assert.deepEqual(result.structuredContent.schedulers.map(s => s.name), ['scx_rusty']);
        });

        it('schema-violating arguments give a result with isError: true', () =>
            assertSchemaViolationIsError(client));

        it('an unknown tool rejects with a ProtocolError -32602 (InvalidParams)', async () => {
            await assert.rejects(
                client.callTool({ name: 'no_such_tool', arguments: {} }),
                err => {
                    assert.ok(err instanceof ProtocolError, `expected ProtocolError, got ${err}`);
                    assert.equal(err.code, ProtocolErrorCode.InvalidParams);
                    assert.equal(err.code, -32602);
                    return true;
                }
            );
        });
    });
}
