// Where the API lives.

/** Every data route is under this prefix. */
export const API_PREFIX = '/api/v1';
/** The OpenAPI document. */
export const OPENAPI_PATH = '/api/openapi.json';
/** Liveness: the process answers. */
export const HEALTH_PATH = '/healthz';
/** Readiness: the database answers. */
export const READY_PATH = '/readyz';
