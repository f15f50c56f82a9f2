// Shared helper: makes a fresh data dir + config for one schedcp server and
// returns the stdio launch parameters the MCP SDK transports take.
//
//   SCHEDCP_BIN_DIR   directory holding the `schedcp` binary
//                     (default: ../../build/bin relative to this directory)
//   SCHEDCP_TRACE     if set to a directory, every server process is run
//                     through tee.mjs and its raw stdin/stdout lines are
//                     written there (one file per process) for bug reports.
import { mkdtempSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const binDir = resolve(here, process.env.SCHEDCP_BIN_DIR ?? '../../build/bin');
export const serverBinary = join(binDir, 'schedcp');

/** The 9 production-ready schedulers the brief names (the full set has 11). */
export const EXPECTED_PRODUCTION = [
    'scx_rusty', 'scx_simple', 'scx_lavd', 'scx_bpfland', 'scx_layered',
    'scx_flatcg', 'scx_nest', 'scx_flash', 'scx_p2dq'
];

/**
 * Create a temp dir with a config that loads only the catalog plugin (and `serverYaml`, a
 * `server: {...}` line, when given).
 * Returns {command, args, dir, cleanup()}; call cleanup() when done.
 */
export function makeServer(label = 'schedcp', { serverYaml } = {}) {
    if (!existsSync(serverBinary)) {
        throw new Error(`schedcp binary not found at ${serverBinary} (set SCHEDCP_BIN_DIR)`);
    }
    const dir = mkdtempSync(join(tmpdir(), `schedcp-sdk-${label}-`));
    const dataDir = join(dir, 'data');
    const config = join(dir, 'config.yaml');
    writeFileSync(config, [
        `data_dir: ${JSON.stringify(dataDir)}`,
        'log: {file: schedcp.log, level: debug}',
        ...(serverYaml ? [serverYaml] : []),
        'plugins:',
        '  - name: catalog',
        ''
    ].join('\n'));

    let command = serverBinary;
    let args = ['--config', config];
    const trace = process.env.SCHEDCP_TRACE;
    if (trace) {
        mkdirSync(trace, { recursive: true });
        args = [join(here, 'tee.mjs'), join(trace, label), command, ...args];
        command = process.execPath;
    }
    return {
        command,
        args,
        dir,
        cleanup() {
            rmSync(dir, { recursive: true, force: true });
        }
    };
}

/** The text of the first text content block of a CallToolResult. */
export function firstText(result) {
    const block = (result.content ?? []).find(c => c.type === 'text');
    return block ? block.text : undefined;
}

/**
 * Start `schedcp --http 127.0.0.1:0` (catalog plugin only) and wait for the address it
 * reports on stderr. Returns {url, stop()}; stop() ends the server (SIGTERM) and removes
 * its files.
 */
export async function startHttpServer(label = 'schedcp-http', options = {}) {
    const server = makeServer(label, options);
    const child = spawn(serverBinary, [...server.args.slice(server.args.indexOf('--config')), '--http', '127.0.0.1:0'],
                        { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const url = await new Promise((resolvePromise, reject) => {
        child.stderr.on('data', chunk => {
            stderr += chunk;
            const m = stderr.match(/listening on (http:\/\/127\.0\.0\.1:[0-9]+\/mcp)/);
            if (m) resolvePromise(new URL(m[1]));
        });
        child.on('exit', code => reject(new Error(`schedcp --http exited (${code}): ${stderr}`)));
    });
    return {
        url,
        async stop() {
            const exited = new Promise(r => child.once('exit', r));
            child.kill('SIGTERM');
            await exited;
            server.cleanup();
        }
    };
}

/** The catalog-only server lists exactly list_schedulers, and {name: "rusty"} finds scx_rusty. */
export async function assertListsAndCalls(client) {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map(t => t.name), ['list_schedulers']);
    const result = await client.callTool({ name: 'list_schedulers', arguments: { name: 'rusty' } });
    assert.notEqual(result.isError, true, `unexpected tool error: ${firstText(result)}`);
    assert.deepEqual(result.structuredContent.schedulers.map(s => s.name), ['scx_rusty']);
}

/** Arguments the input schema rejects give a result with isError: true naming the argument. */
export async function assertSchemaViolationIsError(client) {
    const result = await client.callTool({ name: 'list_schedulers', arguments: { production_ready: 'yes' } });
    assert.equal(result.isError, true);
    assert.match(firstText(result) ?? '', /production_ready/);
}
