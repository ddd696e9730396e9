declare const __VERSION__: string | undefined;

/** The package version, injected by esbuild; `0.0.0-dev` when run from source. */
export const VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

declare const __RULES_URL__: string | null | undefined;

/** The base URL of the published rule pages (docs/rules/<id>.md), when the package names its repository. */
export const RULES_URL: string | undefined = typeof __RULES_URL__ === 'string' ? __RULES_URL__ : undefined;
