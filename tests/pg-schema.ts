import pg from 'pg';

/**
 * Drops a PostgreSQL schema and what it holds: the server's test suites and benches each run in
 * a schema of their own on a shared database (no vitest here: the benches import it too).
 */
export async function dropPgSchema(databaseUrl: string | undefined, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
