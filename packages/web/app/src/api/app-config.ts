// What the server tells the page about itself (GET /app-config.json): where Grafana is, whether
// the live feed runs. Read once per page load.
import type { AppConfig } from '@convotel/api';
import { useEffect, useState } from 'preact/hooks';

const DEFAULT_CONFIG: AppConfig = { grafana_url: null, is_live_enabled: true };
let loaded: Promise<AppConfig> | undefined;

function loadConfig(): Promise<AppConfig> {
  loaded ??= fetch('/app-config.json')
    .then((response) => (response.ok ? (response.json() as Promise<AppConfig>) : DEFAULT_CONFIG))
    .catch(() => DEFAULT_CONFIG);
  return loaded;
}

export function useAppConfig(): AppConfig {
  const [config, setConfig] = useState<AppConfig>(DEFAULT_CONFIG);
  useEffect(() => {
    void loadConfig().then(setConfig);
  }, []);
  return config;
}
