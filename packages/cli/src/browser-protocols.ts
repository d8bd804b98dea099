import { build } from 'esbuild';
import type { ProtocolSource } from './project-protocols.ts';

/**
 * Where `dsim view` serves the project's protocols as one browser module. The visualizer's page
 * and its run worker import it, if it is there, and add its `protocols` to the built-in registry,
 * so the Run dialog, a fork and the share check run a project's protocols as `dsim run` does.
 */
export const PROJECT_PROTOCOLS_PATH = '/dsim-project/protocols.js';

/** The module a page gets when the project registers no protocol of its own. */
export const NO_PROJECT_PROTOCOLS = 'export const protocols = {};\n';

/** The entry module: each project protocol read from its module by the path the CLI found it at. */
export function browserEntry(sources: readonly ProtocolSource[]): string {
  const files = [...new Set(sources.map((source) => source.file))];
  const imports = files.map((file, index) => `import * as m${index} from ${JSON.stringify(file)};`);
  const entries = sources.map((source) => {
    const access = source.path.map((key) => `[${JSON.stringify(key)}]`).join('');
    return `  ${JSON.stringify(source.name)}: m${files.indexOf(source.file)}${access},`;
  });
  return `${imports.join('\n')}\nexport const protocols = {\n${entries.join('\n')}\n};\n`;
}

/**
 * Bundles the project's protocols, with everything they import (@dsim/core included), into one
 * ES module for the browser with esbuild, the compiler the CLI already loads TypeScript with.
 * A protocol that imports a Node built-in cannot run in a browser: the error says which import.
 */
export async function bundleProtocolsForBrowser(
  sources: readonly ProtocolSource[],
  cwd: string,
): Promise<{ code: string } | { error: string }> {
  if (sources.length === 0) return { code: NO_PROJECT_PROTOCOLS };
  try {
    const result = await build({
      stdin: {
        contents: browserEntry(sources),
        resolveDir: cwd,
        sourcefile: 'dsim-project-protocols.js',
        loader: 'js',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      sourcemap: 'inline',
      // Running from this repository's sources, the @dsim packages have no dist/ to bundle.
      conditions: import.meta.url.endsWith('.ts') ? ['@dsim/source'] : [],
    });
    return { code: result.outputFiles[0]!.text };
  } catch (error) {
    const errors = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> })
      .errors;
    const first = errors?.[0];
    return {
      error: first
        ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}`
        : (error as Error).message,
    };
  }
}
