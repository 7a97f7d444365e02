/** Version of the API contract (the OpenAPI document's info.version). */
export const API_VERSION = '1.0.0';
