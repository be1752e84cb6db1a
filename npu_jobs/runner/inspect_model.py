"""Validate an ONNX file in its own process and print what we need to know about it as JSON.

Run as `python -m npu_jobs.runner.inspect_model <path>`. A separate process keeps a 200 MB model (and any
protobuf the checker chokes on) out of the web process's memory.
"""

import json
import sys

QUANTIZED_OPS = {
    "QuantizeLinear",
    "DequantizeLinear",
    "QLinearConv",
    "QLinearMatMul",
    "ConvInteger",
    "MatMulInteger",
    "QLinearAdd",
    "QLinearMul",
}
MIN_OPSET = 7


def inspect(path: str) -> dict:
    import onnx
    from onnx import TensorProto, checker, helper

    try:
        model = onnx.load(path)
    except Exception as exc:
        return {"ok": False, "error": f"Not a readable ONNX file: {type(exc).__name__}: {str(exc)[:300]}"}
    try:
        checker.check_model(model)
    except Exception as exc:
        return {"ok": False, "error": f"The ONNX checker rejected the model: {str(exc)[:500]}"}
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)
    if opset is None or opset < MIN_OPSET or opset > onnx.defs.onnx_opset_version():
        return {
            "ok": False,
            "error": f"Unsupported opset {opset}: use {MIN_OPSET} to {onnx.defs.onnx_opset_version()}.",
        }
    initializers = {init.name for init in model.graph.initializer}

    def describe(value):
        tensor = value.type.tensor_type
        shape = [d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else None for d in tensor.shape.dim]
        dtype = helper.tensor_dtype_to_np_dtype(tensor.elem_type).name if tensor.elem_type else "float32"
        return {"name": value.name, "shape": shape, "dtype": dtype}

    inputs = [describe(v) for v in model.graph.input if v.name not in initializers]
    if not inputs:
        return {"ok": False, "error": "The model has no inputs."}
    int8 = {TensorProto.INT8, TensorProto.UINT8}
    # furiosa-quantizer's output keeps FP32 operators and records the calibrated ranges in the metadata, which the
    # Furiosa compiler turns into INT8 (its key is spelled "FurisoaAI.CalibrationResult" in SDK 0.10).
    calibrated = any(prop.key.endswith("CalibrationResult") for prop in model.metadata_props)
    quantized = (
        calibrated
        or any(node.op_type in QUANTIZED_OPS for node in model.graph.node)
        or any(init.data_type in int8 for init in model.graph.initializer)
    )
    return {
        "ok": True,
        "opset": opset,
        "inputs": inputs,
        "outputs": [describe(v) for v in model.graph.output],
        "is_quantized": quantized,
    }


if __name__ == "__main__":
    print(json.dumps(inspect(sys.argv[1])))
