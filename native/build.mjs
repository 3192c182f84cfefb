// `npm run build:native`: builds the N-API addon with node-gyp against the headers of the
// running Node (found offline: npm's nodedir, else <node prefix>/include/node), never
// downloading them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const candidates = [process.env.npm_config_nodedir, resolve(process.execPath, '../..')].filter(Boolean);
const nodedir = candidates.find((d) => existsSync(join(d, 'include/node/node_api.h')));
if (!nodedir) {
  console.error(`Node headers not found (looked in ${candidates.join(', ')}); set npm's nodedir`);
  process.exit(1);
}
const gyp = process.env.npm_config_node_gyp;
const [cmd, pre] = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];
const r = spawnSync(cmd, [...pre, 'rebuild', `--nodedir=${nodedir}`], { cwd: here, stdio: 'inherit' });
process.exit(r.status ?? 1);
