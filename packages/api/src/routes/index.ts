// Every route of /api/v1, in the order the OpenAPI document lists them. A new route is a
// module in this folder exporting a route definition (defineRoute, or defineStreamRoute for
// an answer written as it goes), plus one line here.
import type { ApiRoute } from '../route.js';
import { adminCleanupRoute } from './admin-cleanup.js';
import { conversationsRoute } from './conversations.js';
import { exportRoute } from './export.js';
import { liveRoute } from './live.js';
import { overviewRoute } from './overview.js';

export const ROUTES: readonly ApiRoute[] = [overviewRoute, conversationsRoute, exportRoute, liveRoute, adminCleanupRoute];
