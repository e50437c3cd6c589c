// A worker's script bundled into the panel's as text (scripts/build.mjs, plugin kvlens-inline-worker).
declare module 'inline-worker:*' {
  const source: string;
  export default source;
}
