// Component types of the OpenTelemetry Collector contrib distribution, as the config spells
// them, for the image docker-compose.yml pins (otel/opentelemetry-collector-contrib:0.162.0).
//
// Where it came from:
// - connectors, processors, exporters and extensions from contrib: the full lists of
//   opentelemetry-ecosystem-explorer
//   `ecosystem-registry/collector/contrib/v0.162.0/{connector,processor,exporter,extension}.yaml`,
//   keeping the components whose `distributions` include `contrib` (`type`, and
//   `deprecated_type` as alias).
// - core components (otlp receiver, otlp_grpc/otlp_http/debug/nop exporters, batch and
//   memory_limiter processors, forward connector, zpages extension): opentelemetry-collector-releases
//   `distributions/otelcol-contrib/manifest.yaml` at 0.159.0, the newest manifest readable here
//   (it lists Go modules; the type names and the otlp → otlp_grpc, otlphttp → otlp_http renames
//   of v0.144.0 are from the core metadata.yaml files).
// - receivers from contrib: NOT listed (the registry file is too large to have been read
//   here); only the core otlp and nop receivers are, which is all a convotel pipeline uses. A
//   real contrib receiver is reported as unknown: check its `type` in
//   `ecosystem-registry/collector/contrib/v0.162.0/receiver.yaml` and add it.
// The loki exporter is not here on purpose: removed from the distribution in v0.131.0.

/** Classes of components in a collector config. */
export type ComponentClass = 'receivers' | 'processors' | 'exporters' | 'connectors' | 'extensions';

export interface CollectorComponentList {
  /** Distribution version the list describes. */
  readonly version: string;
  /** Current type names per class. */
  readonly types: Readonly<Record<ComponentClass, readonly string[]>>;
  /** Deprecated aliases that still load (with a warning), mapped to the current name. */
  readonly deprecatedAliases: Readonly<Record<ComponentClass, Readonly<Record<string, string>>>>;
  /** Types once shipped and since removed, with what to use instead. */
  readonly removed: Readonly<Partial<Record<ComponentClass, Readonly<Record<string, string>>>>>;
  /** Classes whose list is partial (a missing name may still ship). */
  readonly partialClasses: readonly ComponentClass[];
}

export const COLLECTOR_CONTRIB_0_162_0: CollectorComponentList = {
  version: '0.162.0',
  types: {
    receivers: ['otlp', 'nop'],
    processors: [
      // core
      'batch',
      'memory_limiter',
      // contrib, full list
      'attributes',
      'cardinality_guardian',
      'cumulative_to_delta',
      'delta_to_cumulative',
      'delta_to_rate',
      'drain',
      'filter',
      'gen_ai_normalizer',
      'geoip',
      'groupbyattrs',
      'groupbytrace',
      'interval',
      'isolationforest',
      'k8s_attributes',
      'log_dedup',
      'metricsgeneration',
      'metric_start_time',
      'metrics_transform',
      'probabilistic_sampler',
      'redaction',
      'remotetap',
      'resource_detection',
      'resource',
      'schema',
      'span',
      'span_pruning',
      'sumologic',
      'tail_sampling',
      'transform',
      'unroll',
    ],
    exporters: [
      // core
      'otlp_grpc',
      'otlp_http',
      'debug',
      'nop',
      // contrib, full list
      'alibabacloud_logservice',
      'awscloudwatchlogs',
      'awsemf',
      'awskinesis',
      'awss3',
      'awsxray',
      'azure_blob',
      'azuredataexplorer',
      'azure_monitor',
      'bmc_helix',
      'cassandra',
      'clickhouse',
      'coralogix',
      'datadog',
      'dataset',
      'doris',
      'elasticsearch',
      'faro',
      'file',
      'googlecloud',
      'googlecloudpubsub',
      'google_cloud_storage',
      'googlemanagedprometheus',
      'honeycomb_marker',
      'influxdb',
      'kafka',
      'load_balancing',
      'logicmonitor',
      'logzio',
      'opensearch',
      'otelarrow',
      'prometheus',
      'prometheus_remote_write',
      'pulsar',
      'rabbitmq',
      'sentry',
      'signalfx',
      'splunk_hec',
      'stef',
      'sumologic',
      'syslog',
      'tencentcloud_logservice',
      'tinybird',
      'zipkin',
    ],
    connectors: [
      // core
      'forward',
      // contrib, full list
      'count',
      'datadog',
      'exceptions',
      'failover',
      'grafana_cloud',
      'otlp_json',
      'round_robin',
      'routing',
      'service_graph',
      'signal_to_metrics',
      'span_metrics',
      'sum',
    ],
    extensions: [
      // core
      'zpages',
      // contrib, full list
      'ack',
      'asapclient',
      'awsproxy',
      'azure_auth',
      'basicauth',
      'bearertokenauth',
      'cgroup_runtime',
      'datadog',
      'awscloudwatchmetricstreams_encoding',
      'aws_logs_encoding',
      'azure_encoding',
      'google_cloud_logentry_encoding',
      'jaeger_encoding',
      'json_log_encoding',
      'otlp_encoding',
      'skywalking_encoding',
      'text_encoding',
      'zipkin_encoding',
      'googleclientauth',
      'headers_setter',
      'health_check',
      'http_forwarder',
      'jaegerremotesampling',
      'k8s_leader_elector',
      'oauth2client',
      'docker_observer',
      'ecs_observer',
      'host_observer',
      'k8s_observer',
      'oidc',
      'opamp',
      'pprof',
      'sd_notify',
      'sigv4auth',
      'db_storage',
      'file_storage',
      'redis_storage',
    ],
  },
  deprecatedAliases: {
    receivers: {},
    processors: {
      cumulativetodelta: 'cumulative_to_delta',
      deltatocumulative: 'delta_to_cumulative',
      deltatorate: 'delta_to_rate',
      k8sattributes: 'k8s_attributes',
      logdedup: 'log_dedup',
      metricstarttime: 'metric_start_time',
      metricstransform: 'metrics_transform',
      resourcedetection: 'resource_detection',
      spanpruning: 'span_pruning',
    },
    exporters: {
      otlp: 'otlp_grpc',
      otlphttp: 'otlp_http',
      azureblob: 'azure_blob',
      azuremonitor: 'azure_monitor',
      bmchelix: 'bmc_helix',
      googlecloudstorage: 'google_cloud_storage',
      honeycombmarker: 'honeycomb_marker',
      loadbalancing: 'load_balancing',
      prometheusremotewrite: 'prometheus_remote_write',
    },
    connectors: {
      grafanacloud: 'grafana_cloud',
      otlpjson: 'otlp_json',
      roundrobin: 'round_robin',
      servicegraph: 'service_graph',
      signaltometrics: 'signal_to_metrics',
      spanmetrics: 'span_metrics',
    },
    extensions: {
      azureauth: 'azure_auth',
      cgroupruntime: 'cgroup_runtime',
      awslogs_encoding: 'aws_logs_encoding',
      googlecloudlogentry_encoding: 'google_cloud_logentry_encoding',
    },
  },
  removed: {
    exporters: { loki: 'removed from the distribution in v0.131.0: use otlp_http to Loki\'s /otlp endpoint' },
  },
  partialClasses: ['receivers'],
};
