// Types of build-wasm.mjs, for the tests that compile the kernels and compare them with the committed module.

/** asc flags of the module with its own memory. */
export const FLAGS: readonly string[];
/** asc flags of the module importing a shared memory (worker threads). */
export const SHARED_FLAGS: readonly string[];
/** SHA-256 of the AssemblyScript sources, the compiler version and the flags. */
export function sourceHash(version?: string): string;
/** Compiles the AssemblyScript sources with `flags`; returns the module bytes. */
export function compile(flags?: readonly string[]): Promise<Uint8Array>;
/** The TypeScript module embedding both variants. */
export function render(local: Uint8Array, shared: Uint8Array, hash: string): string;
