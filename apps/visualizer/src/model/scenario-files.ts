/**
 * True for a scenario file: it default-exports a scenario (or exports `scenario`) and reads no
 * process arguments. simulations/ also holds scenario builders and sweep scripts; those are never
 * imported by the app.
 */
export function isScenarioSource(source: string): boolean {
  return (
    /export\s+default\s+(defineScenario\s*\(|\{)|export\s+const\s+scenario\b/.test(source) &&
    !/\bprocess\.(argv|exit)/.test(source)
  );
}
