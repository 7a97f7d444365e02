// Offline checks of the repository's deployment files: what can be proven without a Docker engine.
export { checkCollectorConfig, componentType, exporterEndpoints } from './check-collector.js';
export type { ExporterEndpoint } from './check-collector.js';
export { checkLokiConfig, checkTempoConfig } from './check-backends.js';
export { checkCompose, checkCollectorEndpoints, imageTag, interpolate, publishedPorts, serviceEnvironment } from './check-compose.js';
export type { ComposeCheckOptions } from './check-compose.js';
export { checkDockerfile } from './check-dockerfile.js';
export { checkDockerignore, isIgnored } from './check-dockerignore.js';
export type { DockerignoreExpectations } from './check-dockerignore.js';
export type { DockerfileExpectations } from './check-dockerfile.js';
export { parseDockerfile, commandWords, envAssignments } from './dockerfile.js';
export type { Instruction, ParsedDockerfile, Stage } from './dockerfile.js';
export { convotelListeningPorts, lokiListeningPorts, tempoListeningPorts } from './listening-ports.js';
export { envNamesFromSource, runtimePaths, startCommand } from './workspace.js';
export type { WorkspacePackage } from './workspace.js';
export { COLLECTOR_CONTRIB_0_162_0 } from './data/collector-contrib-0.162.0.js';
export type { CollectorComponentList, ComponentClass } from './data/collector-contrib-0.162.0.js';
export type { Problem } from './problem.js';
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
