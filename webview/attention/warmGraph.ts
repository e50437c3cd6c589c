// The smallest ONNX graph (y = Identity(x), one float): a session on it starts onnxruntime — its WebAssembly
// instantiated and its runtime initialized, 0.4 s of a first panel's start-up — while the real model is still being
// built or read, so the model's own session then takes only its own few tens of milliseconds. Written out as bytes
// (76) to keep an ONNX writer out of the panel's bundle; test/unit/attention/warmGraph.test.ts checks them against
// the graph made with onnx-proto, and runs them.
export const WARM_GRAPH_BASE64 =
  'CAgSBmt2bGVuczo6ChAKAXgSAXkiCElkZW50aXR5EgR3YXJtWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQEQ==';

export const warmGraph = (): Uint8Array => Uint8Array.from(atob(WARM_GRAPH_BASE64), (c) => c.charCodeAt(0));
