declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
declare module "*.txt?raw" {
  const text: string;
  export default text;
}
