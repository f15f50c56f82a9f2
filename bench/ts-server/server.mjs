// Reference MCP server on the official TypeScript SDK (McpServer over stdio), serving
// `list_schedulers` over schedcp's catalog data with schedcp's filter semantics, so
// bench/mcp_rtt can measure the same call against a typical SDK server.
//   node server.mjs [CATALOG_DIR]     (default: ../../plugins/catalog/data; every *.json there)
// Like schedcp, each returned entry says whether its program is installed (a lookup in
// schedcp's default scheduler_paths, then $PATH), so both do the same work per call.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const here = dirname(fileURLToPath(import.meta.url));
const catalogDir = resolve(process.argv[2] ?? join(here, '../../plugins/catalog/data'));

function loadCatalog(dir) {
    const entries = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
        const data = JSON.parse(readFileSync(join(dir, file), 'utf8'));
        if (!Array.isArray(data.schedulers)) throw new Error(`${file}: no "schedulers" array`);
        entries.push(...data.schedulers);
    }
    return entries.sort((a, b) => a.name.localeCompare(b.name));
}

const catalog = loadCatalog(catalogDir);
const searchPath = ['/usr/local/bin', '/usr/bin', ...(process.env.PATH ?? '').split(delimiter)];

function locate(name) {
    for (const dir of searchPath) {
        const candidate = join(dir, name);
        if (dir && existsSync(candidate)) return candidate;
    }
    return null;
}

// schedcp's semantics: name is a case-insensitive substring; "" and null mean "not given".
function listSchedulers({ name, production_ready }) {
    const needle = typeof name === 'string' && name !== '' ? name.toLowerCase() : null;
    const ready = typeof production_ready === 'boolean' ? production_ready : null;
    const schedulers = [];
    let installed = 0;
    for (const entry of catalog) {
        if (needle !== null && !entry.name.toLowerCase().includes(needle)) continue;
        if (ready !== null && entry.production_ready !== ready) continue;
        const path = locate(entry.name);
        if (path) ++installed;
        schedulers.push({ ...entry, custom: false, installed: path !== null, path });
    }
    return { schedulers, count: schedulers.length, installed_count: installed };
}

const server = new McpServer({ name: 'ts-reference', version: '0.0.0' });
server.registerTool(
    'list_schedulers',
    {
        description: 'List sched_ext schedulers (name: case-insensitive substring).',
        inputSchema: {
            name: z.string().max(100).nullable().optional(),
            production_ready: z.union([z.boolean(), z.literal('')]).nullable().optional()
        },
        outputSchema: {
            schedulers: z.array(z.looseObject({ name: z.string(), installed: z.boolean() })),
            count: z.number().int(),
            installed_count: z.number().int()
        }
    },
    async (args) => {
        const result = listSchedulers(args);
        return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
    }
);

await server.connect(new StdioServerTransport());
