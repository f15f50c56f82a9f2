// schedcp driven by the v1 TypeScript SDK client (@modelcontextprotocol/sdk 1.x):
// legacy `initialize` handshake over stdio.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpError, ErrorCode, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { makeServer, firstText, EXPECTED_PRODUCTION } from './server.mjs';

describe('v1 SDK client (@modelcontextprotocol/sdk)', () => {
    let server;
    let client;
    let negotiated;

    before(async () => {
        server = makeServer('v1');
        const transport = new StdioClientTransport({ command: server.command, args: server.args });
        // The v1 Client hands the negotiated version to transport.setProtocolVersion()
        // when the transport has one (HTTP does; stdio does not), so we add one to observe it.
        transport.setProtocolVersion = v => { negotiated = v; };
        client = new Client({ name: 'schedcp-sdk-test-v1', version: '1.0.0' });
        await client.connect(transport);
    });

    after(async () => {
        await client?.close();
        server?.cleanup();
    });

    it('identifies as schedcp and negotiates the SDK latest revision', () => {
        assert.equal(client.getServerVersion()?.name, 'schedcp');
        assert.equal(LATEST_PROTOCOL_VERSION, '2025-11-25');
        assert.equal(negotiated, '2025-11-25');
        assert.ok(client.getServerCapabilities()?.tools, 'server advertises tools capability');
    });

    it('lists exactly list_schedulers', async () => {
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map(t => t.name), ['list_schedulers']);
        const tool = tools[0];
        assert.equal(tool.inputSchema.type, 'object');
        assert.ok(tool.inputSchema.properties?.name, 'has name property');
        assert.ok(tool.inputSchema.properties?.production_ready, 'has production_ready property');
    });

    it('list_schedulers {production_ready: true} returns the 11 production schedulers', async () => {
        const result = await client.callTool({ name: 'list_schedulers', arguments: { production_ready: true } });
        assert.notEqual(result.isError, true, `unexpected tool error: ${firstText(result)}`);
        const sc = result.structuredContent;
        assert.ok(sc && typeof sc === 'object', 'structuredContent present');
        assert.equal(sc.count, 11);
        assert.equal(sc.schedulers.length, 11);
        assert.equal(typeof sc.installed_count, 'number');
        const names = sc.schedulers.map(s => s.name);
        for (const n of EXPECTED_PRODUCTION) assert.ok(names.includes(n), `missing ${n} in ${names}`);
        assert.ok(sc.schedulers.every(s => s.production_ready === true), 'all production_ready');
        // The text block carries the same JSON.
        assert.deepEqual(JSON.parse(firstText(result)), sc);
    });

    it('list_schedulers {name: "rusty"} returns exactly scx_rusty', async () => {
        const result = await client.callTool({ name: 'list_schedulers', arguments: { name: 'rusty' } });
        assert.notEqual(result.isError, true, `unexpected tool error: ${firstText(result)}`);
        assert.deepEqual(result.structuredContent.schedulers.map(s => s.name), ['scx_rusty']);
        assert.equal(result.structuredContent.count, 1);
    });

    it('schema-violating arguments give a result with isError: true', async () => {
        const result = await client.callTool({ name: 'list_schedulers', arguments: { production_ready: 'yes' } });
        assert.equal(result.isError, true);
        assert.match(firstText(result) ?? '', /production_ready/);
    });

    it('an unknown tool rejects with an McpError -32602 (InvalidParams)', async () => {
        await assert.rejects(
            client.callTool({ name: 'no_such_tool', arguments: {} }),
            err => {
                assert.ok(err instanceof McpError, `expected McpError, got ${err}`);
                assert.equal(err.code, ErrorCode.InvalidParams);
                assert.equal(err.code, -32602);
                return true;
            }
        );
        // The connection is still usable afterwards.
        const { tools } = await client.listTools();
        assert.equal(tools.length, 1);
    });
});
