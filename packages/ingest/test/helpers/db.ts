// The store package's real databases (PostgreSQL on the machine's server, in-memory PGlite)
// and TCP proxy, for the ingest's tests too: one set of helpers for both packages.
export {
  ADMIN_URL,
  createTestDatabase,
  DATA_TABLES,
  dumpTables,
  openTestStore,
  PostgresProxy,
  queryRows,
  STORE_KINDS,
  terminateConnections,
  truncateAll,
  useEmptiedStore,
} from '../../../store/test/helpers/db.js';
export type { StoreKind, TestDatabase, TestStore } from '../../../store/test/helpers/db.js';
