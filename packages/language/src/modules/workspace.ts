import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/** Runs `node` with `args` in `cwd` and returns its trimmed stdout. */
export async function node(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd, timeout: 10_000 });
  return stdout.trim();
}

/** The nearest folder above `from` with a pnpm-workspace.yaml, if this package sits in one. */
export function findWorkspaceRoot(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export interface WorkspacePackage {
  name: string;
  /** The "." entry of its exports map: condition → file. */
  conditions: Record<string, string>;
}

export async function workspacePackages(root: string): Promise<WorkspacePackage[]> {
  const found: WorkspacePackage[] = [];
  for (const dir of (await readdir(path.join(root, 'packages'))).sort()) {
    const file = path.join(root, 'packages', dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(await readFile(file, 'utf8')) as {
      name: string;
      exports?: Record<string, Record<string, string>>;
    };
    found.push({ name: pkg.name, conditions: pkg.exports?.['.'] ?? {} });
  }
  return found;
}

/** Where `specifier` resolves from `cwd`, with the given extra conditions (ESM resolution). */
export async function resolveFrom(cwd: string, specifier: string, conditions: string[] = []) {
  const url = await node(cwd, [
    ...conditions.map((c) => `--conditions=${c}`),
    '--input-type=module',
    '-e',
    `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`,
  ]);
  return path.relative(cwd, new URL(url).pathname);
}

/** pnpm links each workspace dependency as a symlink into node_modules. */
export async function linkTarget(root: string, name: string): Promise<string | undefined> {
  const link = path.join(root, 'node_modules', name);
  return existsSync(link) ? path.relative(root, await realpath(link)) : undefined;
}

export interface LockfileFacts {
  lockfileVersion: string;
  importers: number;
  packages: number;
  integrityHashes: number;
}

/** A few counts from pnpm-lock.yaml, read as text (its structure is stable YAML). */
export async function lockfileFacts(root: string): Promise<LockfileFacts> {
  const text = await readFile(path.join(root, 'pnpm-lock.yaml'), 'utf8');
  const section = (name: string) => {
    const start = text.indexOf(`\n${name}:\n`);
    if (start < 0) return '';
    const rest = text.slice(start + name.length + 3);
    const end = rest.search(/\n[a-zA-Z]/);
    return end < 0 ? rest : rest.slice(0, end);
  };
  const topLevelKeys = (body: string) =>
    body.split('\n').filter((line) => /^ {2}\S/.test(line)).length;
  return {
    lockfileVersion: /^lockfileVersion: '?([\d.]+)'?/m.exec(text)?.[1] ?? '?',
    importers: topLevelKeys(section('importers')),
    packages: topLevelKeys(section('packages')),
    integrityHashes: (text.match(/integrity: sha512-/g) ?? []).length,
  };
}
