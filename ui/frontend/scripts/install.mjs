// Runs `npm ci` unless node_modules already holds what package-lock.json pins: npm ci records the
// installed tree in node_modules/.package-lock.json, so a copy as new as the lock file is current.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

const installed = mtime('node_modules/.package-lock.json');
if (installed >= 0 && installed >= mtime('package-lock.json') && installed >= mtime('package.json')) {
  process.exit(0); // quiet: nothing to do
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
if (result.error) {
  console.error(`ui/frontend: cannot run npm ci: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
