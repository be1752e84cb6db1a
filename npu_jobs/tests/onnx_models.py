"""Tiny real ONNX models, built with onnx.helper, for the tests and the benchmark."""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def _save(graph, path, opset=OPSET):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def dense(path, *, size=8, batch=1, dynamic_batch=False):
    """y = relu(x @ W + b): a static [batch, size] input unless dynamic_batch."""
    rng = np.random.default_rng(0)
    weight = numpy_helper.from_array(rng.standard_normal((size, size)).astype(np.float32), "W")
    bias = numpy_helper.from_array(rng.standard_normal(size).astype(np.float32), "b")
    first = "N" if dynamic_batch else batch
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["x", "W"], ["h"]),
            helper.make_node("Add", ["h", "b"], ["z"]),
            helper.make_node("Relu", ["z"], ["y"]),
        ],
        "dense",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [first, size])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [first, size])],
        initializer=[weight, bias],
    )
    return _save(graph, path)


def quantized_dense(path, *, size=8):
    """The dense model with a QuantizeLinear/DequantizeLinear pair: what Warboy accepts (INT8)."""
    rng = np.random.default_rng(0)
    weight = numpy_helper.from_array(rng.standard_normal((size, size)).astype(np.float32), "W")
    scale = numpy_helper.from_array(np.array(0.05, np.float32), "scale")
    zero = numpy_helper.from_array(np.array(0, np.int8), "zero")
    graph = helper.make_graph(
        [
            helper.make_node("QuantizeLinear", ["x", "scale", "zero"], ["q"]),
            helper.make_node("DequantizeLinear", ["q", "scale", "zero"], ["dq"]),
            helper.make_node("MatMul", ["dq", "W"], ["y"]),
        ],
        "qdense",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, size])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, size])],
        initializer=[weight, scale, zero],
    )
    return _save(graph, path)


def heavy(path, *, size=512, depth=8):
    """A chain of big MatMuls on a dynamic batch: at batch 256 each run takes milliseconds, for jobs that must
    run a while."""
    rng = np.random.default_rng(1)
    nodes, inits, previous = [], [], "x"
    for i in range(depth):
        inits.append(numpy_helper.from_array((rng.standard_normal((size, size)) / size).astype(np.float32), f"W{i}"))
        nodes.append(helper.make_node("MatMul", [previous, f"W{i}"], [f"h{i}"]))
        previous = f"h{i}"
    nodes.append(helper.make_node("Identity", [previous], ["y"]))
    graph = helper.make_graph(
        nodes,
        "heavy",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", size])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", size])],
        initializer=inits,
    )
    return _save(graph, path)


def crashing(path):
    """Valid to the checker, fails at run time: Reshape of 8 values to [3, 5]."""
    shape = numpy_helper.from_array(np.array([3, 5], np.int64), "shape")
    graph = helper.make_graph(
        [helper.make_node("Reshape", ["x", "shape"], ["y"])],
        "crash",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 5])],
        initializer=[shape],
    )
    return _save(graph, path)


def image_model(path, *, height=32, width=32):
    """[1, 3, H, W] image in, per-channel mean out."""
    axes = numpy_helper.from_array(np.array([2, 3], np.int64), "axes")
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["x", "axes"], ["y"], keepdims=0)],
        "image",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, height, width])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])],
        initializer=[axes],
    )
    return _save(graph, path, opset=18)


def conv_net(path, *, height=16, width=16, dynamic_batch=False):
    """A small vision model, [N, 3, H, W] -> [N, 8]: Conv, Relu, GlobalAveragePool, Flatten. Opset 13, which
    furiosa-quantizer 0.10 works in."""
    rng = np.random.default_rng(1)
    weight = numpy_helper.from_array(rng.standard_normal((8, 3, 3, 3)).astype(np.float32), "W")
    bias = numpy_helper.from_array(rng.standard_normal(8).astype(np.float32), "B")
    first = "N" if dynamic_batch else 1
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["x", "W", "B"], ["c"], pads=[1, 1, 1, 1]),
            helper.make_node("Relu", ["c"], ["r"]),
            helper.make_node("GlobalAveragePool", ["r"], ["p"]),
            helper.make_node("Flatten", ["p"], ["y"]),
        ],
        "conv_net",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [first, 3, height, width])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [first, 8])],
        initializer=[weight, bias],
    )
    return _save(graph, path, opset=13)
