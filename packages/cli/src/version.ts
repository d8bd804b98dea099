import { readFileSync } from 'node:fs';

/** The version of @dsim/cli, read from its package.json (the one source of the number). */
export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  return `${manifest.name} ${manifest.version}`;
}
