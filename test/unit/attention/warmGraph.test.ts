import assert from 'node:assert/strict';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { warmGraph } from '../../../webview/attention/warmGraph';

const { onnx } = onnxProto;
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

describe('attention panel: the graph that starts onnxruntime early', () => {
  it('is y = Identity(x) over one float, byte for byte as onnx-proto writes it', () => {
    const vi = (name: string) =>
      onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } } });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'kvlens',
      opsetImport: [{ domain: '', version: 17 }],
      graph: onnx.GraphProto.create({
        name: 'warm',
        node: [onnx.NodeProto.create({ opType: 'Identity', input: ['x'], output: ['y'] })],
        input: [vi('x')],
        output: [vi('y')],
      }),
    });
    assert.deepEqual(warmGraph(), Uint8Array.from(onnx.ModelProto.encode(model).finish()));
  });

  it('opens and runs on onnxruntime-web', async function () {
    this.timeout(60000);
    const s = await ort.InferenceSession.create(warmGraph(), { executionProviders: ['wasm'] });
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.of(2.5), [1]) });
    assert.deepEqual(Array.from(out.y.data as Float32Array), [2.5]);
    await s.release();
  });
});
