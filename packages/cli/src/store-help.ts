// Help text shared by the commands that open the store (serve, migrate, cleanup).

/** Where the store is and who may open it, shown after each store command's options. */
export const STORE_HELP = `
Store: PostgreSQL at DATABASE_URL, else embedded PGlite in CONVOTEL_DATA_DIR (default ./.convotel).
One process at a time may open a data folder: it holds <folder>/convotel.lock while it runs, and
another convotel process on that folder refuses to start. A lock left by a process that died
(killed, or the machine restarted) is taken over.`;
