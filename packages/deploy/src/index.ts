// Offline checks of the repository's deployment files.
// Grafana (grafana/): macros and variables as Grafana renders them, every query of a dashboard or
// alert file, and the provisioning checks.
export { expandMacros, formatInterval, interpolateVariables, MacroError, parseInterval, renderQuery } from './grafana-macros.js';
export type { MacroContext, VariableValue } from './grafana-macros.js';
export { dashboardPanels, fieldsNamedBy, listAlertQueries, listDashboardQueries } from './grafana-queries.js';
export type { DatasourceRef, GrafanaQuery } from './grafana-queries.js';
export {
  checkAlertRules,
  checkDashboards,
  checkDatasources,
  checkNotificationPolicies,
  DATASOURCE_TYPES,
  datasourceUids,
  exploreLinkDatasources,
  FIXED_DATASOURCE_UIDS,
  readGrafanaFiles,
} from './grafana-provisioning.js';
export type { GrafanaFiles } from './grafana-provisioning.js';
