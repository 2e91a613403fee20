// Text files that esbuild bundles as strings (see scripts/build.mjs).
declare module '*.sh' {
  const text: string;
  export default text;
}

declare module '*.fish' {
  const text: string;
  export default text;
}

// The Python that pip-guard runs with an interpreter (`python -c TEXT`), kept as .py files.
declare module '*.py' {
  const text: string;
  export default text;
}

// cosmiconfig's Explorer, which its `cosmiconfig()` factory wraps. pip-guard builds it directly
// because the factory first reads cosmiconfig's own "meta config" from the working directory,
// loading a `.config/config.js` there with Node: code from a cloned repository run before
// pip-guard's trust check (see src/config/load.ts).
declare module 'cosmiconfig/dist/Explorer.js' {
  import type { CosmiconfigResult, Loaders } from 'cosmiconfig';
  export class Explorer {
    constructor(options: {
      moduleName: string;
      searchPlaces: string[];
      ignoreEmptySearchPlaces: boolean;
      cache: boolean;
      transform: (result: CosmiconfigResult) => CosmiconfigResult;
      loaders: Loaders;
      metaConfigFilePath: null;
      mergeImportArrays: boolean;
      mergeSearchPlaces: boolean;
      searchStrategy: 'none';
      packageProp?: string;
    });
    search(from?: string): Promise<CosmiconfigResult>;
    load(filepath: string): Promise<CosmiconfigResult>;
  }
}
