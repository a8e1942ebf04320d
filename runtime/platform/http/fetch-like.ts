/** The transport the runtime's HTTP client takes (global fetch, or a test's or the simulator's stand-in). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Node's own fetch, the transport when none is injected. */
export const defaultTransport: FetchLike = (input, init) => globalThis.fetch(input, init);
