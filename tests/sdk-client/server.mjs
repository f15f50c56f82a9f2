// Shared helper: makes a fresh data dir + config for one schedcp server and
// returns the stdio launch parameters the MCP SDK transports take.
//
//   SCHEDCP_BIN_DIR   directory holding the `schedcp` binary
//                     (default: ../../build/bin relative to this directory)
//   SCHEDCP_TRACE     if set to a directory, every server process is run
//                     through tee.mjs and its raw stdin/stdout lines are
//                     written there (one file per process) for bug reports.
import { mkdtempSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
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
 * Create a temp dir with a config that loads only the catalog plugin.
 * Returns {command, args, dir, cleanup()}; call cleanup() when done.
 */
export function makeServer(label = 'schedcp') {
    if (!existsSync(serverBinary)) {
        throw new Error(`schedcp binary not found at ${serverBinary} (set SCHEDCP_BIN_DIR)`);
    }
    const dir = mkdtempSync(join(tmpdir(), `schedcp-sdk-${label}-`));
    const dataDir = join(dir, 'data');
    const config = join(dir, 'config.yaml');
    writeFileSync(config, [
        `data_dir: ${JSON.stringify(dataDir)}`,
        'log: {file: schedcp.log, level: debug}',
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
