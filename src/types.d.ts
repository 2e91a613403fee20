// Text files that esbuild bundles as strings (see scripts/build.mjs).
declare module '*.sh' {
  const text: string;
  export default text;
}
