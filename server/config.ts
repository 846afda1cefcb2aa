/** Server settings, from flags and the environment (main.ts), or given directly by tests. */
export interface ServerConfig {
  /** The organisation this process serves when a request names none (single-tenant default). */
  orgId: string;
  /** Exact extension origins answered with CORS (chrome-extension://<id>, moz-extension://<uuid>). None by default. */
  corsOrigins: string[];
  /** Requests per minute per token before 429. */
  rateLimitPerMinute: number;
  /** Requests per minute for ingest and admin tokens (connectors send bursts). */
  ingestRateLimitPerMinute: number;
  /** Body limit for contract routes, bytes. */
  bodyLimitBytes: number;
  /** Body limit for ingest routes (5,000 events), bytes. */
  ingestBodyLimitBytes: number;
  /** Re-score every lead this often so decay reaches the feed; 0 disables. */
  rescoreIntervalMs: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  orgId: 'default',
  corsOrigins: [],
  rateLimitPerMinute: 600,
  ingestRateLimitPerMinute: 6000,
  bodyLimitBytes: 64 * 1024,
  ingestBodyLimitBytes: 16 * 1024 * 1024,
  rescoreIntervalMs: 15 * 60_000,
};

/** chrome-extension://<32 a-p>, moz-extension://<uuid>, safari-web-extension://<uuid>. */
export const EXTENSION_ORIGIN = /^(?:chrome-extension:\/\/[a-p]{32}|(?:moz|safari-web)-extension:\/\/[0-9a-f-]{36})$/i;
