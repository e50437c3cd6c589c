import type * as YamlModule from 'yaml';

/**
 * The `yaml` package, required on first use: it is the largest module KV Lens loads, and evaluating it at bundle load
 * would count against activation for every file, YAML or not (esbuild keeps a module that is only `require`d lazy).
 */
let lib: typeof YamlModule | undefined;

export function yaml(): typeof YamlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load (see above)
  return (lib ??= require('yaml') as typeof YamlModule);
}
