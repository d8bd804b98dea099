declare module 'virtual:dsim-scenarios' {
  /** Shipped scenario modules by path under simulations/ ('heartbeat/clock-skew.ts'). */
  export const modules: Record<string, Record<string, unknown>>;
}
