import { cleanup } from '@convotel/store';
import { z } from 'zod';
import { defineRoute } from '../route.js';

/** Longest retention an admin may ask for (100 years): anything longer deletes nothing anyway. */
const MAX_DAYS = 36_500;

export const adminCleanupRoute = defineRoute({
  method: 'post',
  path: '/admin/cleanup',
  tag: 'admin',
  summary: 'Delete raw rows older than a number of days; rollups are kept',
  description:
    'What `convotel cleanup --older-than` does: drops the weekly partitions of LLM calls, steps, SQL queries and events wholly older than the cutoff (by their start or time) and deletes the older rows of the week it falls in, then turns and conversations last seen before it, in slices; hourly rollups are kept. Admin key only (CONVOTEL_ADMIN_KEY): 401 without a valid key, 403 with a read key.',
  isAdmin: true,
  params: z.strictObject({}),
  body: z.strictObject({
    older_than_days: z.number().min(0).max(MAX_DAYS).describe('Age in days (fractions allowed: 0.5 is 12 hours)'),
  }),
  response: z.object({
    before: z.string().describe('The cutoff: rows older than this were deleted (ISO-8601 UTC)'),
    deleted: z.record(z.string(), z.number().int()).describe('Rows deleted per table'),
  }),
  handler: async ({ body }, { db, now }) => {
    const result = await cleanup(db.store, body.older_than_days, now);
    return { before: result.before, deleted: { ...result.deleted } };
  },
});
