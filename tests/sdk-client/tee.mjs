// Debug aid (used only when SCHEDCP_TRACE is set): runs the server and copies
// every line client->server (">") and server->client ("<") into a trace file.
// usage: node tee.mjs TRACE_PREFIX COMMAND [ARGS...]
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const [prefix, cmd, ...args] = process.argv.slice(2);
const file = `${prefix}-${process.pid}.log`;
const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
const pending = { '>': '', '<': '' };
const log = (dir, chunk) => {
    const lines = (pending[dir] + chunk.toString('utf8')).split('\n');
    pending[dir] = lines.pop();
    for (const line of lines) appendFileSync(file, `${dir} ${line}\n`);
};
process.stdin.on('data', c => { log('>', c); child.stdin.write(c); });
process.stdin.on('end', () => child.stdin.end());
child.stdout.on('data', c => { log('<', c); process.stdout.write(c); });
child.on('exit', (code, sig) => {
    for (const dir of ['>', '<']) if (pending[dir]) appendFileSync(file, `${dir} ${pending[dir]}\n`);
    appendFileSync(file, `# exit code=${code} signal=${sig}\n`);
    process.exit(code ?? 1);
});
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => child.kill(s));
