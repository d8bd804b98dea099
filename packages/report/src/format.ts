/** A duration for axes and tables: '1.5s', '20ms', '850us'. */
export function formatMicros(micros: number): string {
  const abs = Math.abs(micros);
  const sign = micros < 0 ? '−' : '';
  const trim = (value: number) => String(Math.round(value * 100) / 100);
  if (abs >= 1_000_000) return `${sign}${trim(abs / 1_000_000)}s`;
  if (abs >= 1_000) return `${sign}${trim(abs / 1_000)}ms`;
  return `${sign}${Math.round(abs)}us`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
