/**
 * Runs one user's submissions one after another within this process.
 * Accepting a job locks the user's account row in Postgres anyway; waiting
 * here instead means a burst from one user holds one pooled connection, not
 * all of them, so other users' requests keep flowing.
 */
const tails = new Map<string, Promise<unknown>>();

export async function serialisePerUser<T>(userId: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(userId) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  tails.set(userId, tail);
  try {
    return await run;
  } finally {
    // The last one out removes the entry, so the map does not grow with users.
    if (tails.get(userId) === tail) tails.delete(userId);
  }
}
