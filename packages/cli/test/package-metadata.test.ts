import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

/** Every package.json of the workspace's packages and apps (node_modules aside). */
function manifests(): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      if (entry === 'node_modules' || entry === 'dist') continue;
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry === 'package.json') found.push(path);
    }
  };
  walk(join(root, 'packages'));
  walk(join(root, 'apps'));
  return found.sort();
}

describe('front-door metadata', () => {
  it('has an MIT LICENSE at the root', () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the dsim authors\n/);
    expect(license).toMatch(/THE SOFTWARE IS PROVIDED "AS IS"/);
  });

  const all = manifests();
  it('finds the packages and the apps', () => {
    expect(all.length).toBeGreaterThanOrEqual(12);
  });

  for (const path of all) {
    const name = relative(root, path);
    it(`${name}: licence, repository, engines, files and sideEffects`, () => {
      const manifest = JSON.parse(readFileSync(path, 'utf8'));
      expect(manifest.license).toBe('MIT');
      // No placeholder: a repository entry names the package's folder, and an address only if real.
      expect(manifest.repository).toMatchObject({ type: 'git', directory: relative(root, join(path, '..')) });
      if (manifest.repository.url !== undefined)
        expect(manifest.repository.url).not.toMatch(/example|your-|TODO|<|OWNER/i);
      expect(manifest.engines).toEqual({ node: '>=20.19' });
      expect(Array.isArray(manifest.files) && manifest.files.length > 0).toBe(true);
      // A library is tree-shakeable; the visualizer is an app whose entry runs for its effects.
      if (!manifest.private) expect(manifest.sideEffects).toBe(false);
    });

    const folder = join(path, '..');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    if (manifest.private) continue;
    it(`${name}: exports its built dist/ to users and its sources to the workspace`, () => {
      for (const [entry, conditions] of Object.entries<Record<string, string> | string>(manifest.exports)) {
        // A data file (core's scenario.schema.json) is exported as itself, and shipped.
        if (typeof conditions === 'string') {
          expect(entry, entry).toMatch(/\.json$/);
          expect(conditions).toBe(entry);
          expect(existsSync(join(folder, conditions))).toBe(true);
          expect(manifest.files).toContain(conditions.slice(2));
          continue;
        }
        // Conditions match in order: the workspace's source condition must come first.
        expect(Object.keys(conditions), entry).toEqual(['@dsim/source', 'types', 'import']);
        const source = conditions['@dsim/source']!;
        expect(source).toMatch(/^\.\/src\/.+\.ts$/);
        expect(existsSync(join(folder, source))).toBe(true);
        const built = source.replace(/^\.\/src\//, './dist/');
        expect(conditions.types).toBe(built.replace(/\.ts$/, '.d.ts'));
        expect(conditions.import).toBe(built.replace(/\.ts$/, '.js'));
      }
      expect(manifest.files).toContain('dist');
      expect(manifest.files).not.toContain('src');
      expect(manifest.scripts?.prepack).toMatch(/^tsc -b tsconfig\.build\.json/);
    });

    it(`${name}: its build references exactly the workspace packages it depends on`, () => {
      const build = JSON.parse(readFileSync(join(folder, 'tsconfig.build.json'), 'utf8'));
      const referenced = (build.references ?? []).map(
        (reference: { path: string }) =>
          JSON.parse(readFileSync(join(folder, reference.path, '..', 'package.json'), 'utf8')).name,
      );
      const workspaceDependencies = Object.entries<string>(manifest.dependencies ?? {})
        .filter(([, version]) => version.startsWith('workspace:'))
        .map(([dependency]) => dependency);
      expect(referenced.sort()).toEqual(workspaceDependencies.sort());
    });
  }
});
