/**
 * A swappable sink for warnings, so tests can assert them and applications can route them.
 * Estimators take `logger` in their options; the default writes to `console.warn`.
 */
export interface Logger {
  warn(message: string): void;
}

// Core is compiled without DOM or Node typings (to keep it isomorphic); console exists in both.
declare const console: { warn(...args: unknown[]): void };

export const consoleLogger: Logger = {
  warn(message: string) {
    console.warn(`clusterlab: ${message}`);
  },
};

/** A logger that drops everything. */
export const silentLogger: Logger = { warn() {} };

/** A logger that keeps messages in memory (for tests and for reporting warnings in results). */
export function memoryLogger(): Logger & { readonly messages: string[] } {
  const messages: string[] = [];
  return {
    messages,
    warn(message: string) {
      messages.push(message);
    },
  };
}
