"""Reading and writing dyad model files from Python (shared by the training scripts).

A model file is a header (magic, version, kind, payload length, checksum; see
crates/dyad-analyze/src/model_io.rs) around a payload. The accurate pipeline's
payload (kind "biaffine") is a safetensors blob: matrices as int8 with one f32
scale per row (`NAME` and `NAME.scale`), vectors as f32, and the vocabularies
in the metadata.
"""
import json
import struct

import numpy as np

MAGIC = b"DYADMODL"


def checksum(payload):
    """crates/dyad-analyze/src/hash.rs `checksum`, for the model header."""
    M = (1 << 64) - 1
    h = 0xCBF29CE484222325
    n8 = len(payload) // 8
    for (v,) in struct.iter_unpack("<Q", payload[: n8 * 8]):
        h = ((h ^ v) * 0x100000001B3) & M
        h = ((h << 29) | (h >> 35)) & M
    for b in payload[n8 * 8 :]:
        h = ((h ^ b) * 0x100000001B3) & M
    h ^= len(payload)
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & M
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & M
    h ^= h >> 33
    return h or 1


def quantise(tensors, name, x):
    """Add `x` to `tensors`: f32 if a vector, else int8 rows with f32 scales."""
    x = np.asarray(x, np.float32)
    if x.ndim == 1:
        tensors[name] = ("F32", x)
        return
    rows = x.reshape(-1, x.shape[-1])
    scale = np.abs(rows).max(1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.round(rows / scale[:, None]), -127, 127).astype(np.int8)
    tensors[name] = ("I8", q.reshape(x.shape))
    tensors[name + ".scale"] = ("F32", scale.astype(np.float32))


def write(path, kind, tensors, meta):
    """Seal `tensors` ({name: (dtype, array)}) and `meta` into a model file."""
    header, blobs, off = {"__metadata__": meta}, [], 0
    for name in sorted(tensors):
        dt, x = tensors[name]
        b = np.ascontiguousarray(x).astype("<f4" if dt == "F32" else "i1").tobytes()
        header[name] = {"dtype": dt, "shape": list(x.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    hj = json.dumps(header, separators=(",", ":")).encode()
    hj += b" " * (-len(hj) % 8)
    payload = struct.pack("<Q", len(hj)) + hj + b"".join(blobs)
    k = kind.encode()
    out = MAGIC + struct.pack("<I", 1) + struct.pack("<I", len(k)) + k
    out += struct.pack("<QQ", len(payload), checksum(payload)) + payload
    with open(path, "wb") as f:
        f.write(out)
    print(f"wrote {path} ({len(out) / 1e6:.1f} MB)", flush=True)


def read(path, kind):
    """The tensors ({name: (dtype, array)}) and metadata of a model file."""
    data = open(path, "rb").read()
    if data[:8] != MAGIC:
        raise ValueError(f"{path}: not a dyad model file")
    (klen,) = struct.unpack_from("<I", data, 12)
    got = data[16 : 16 + klen].decode()
    if got != kind:
        raise ValueError(f"{path}: a {got!r} model, expected {kind!r}")
    plen, chk = struct.unpack_from("<QQ", data, 16 + klen)
    payload = data[32 + klen : 32 + klen + plen]
    if len(payload) != plen or checksum(payload) != chk:
        raise ValueError(f"{path}: truncated or corrupt (checksum)")
    (hlen,) = struct.unpack_from("<Q", payload, 0)
    header = json.loads(payload[8 : 8 + hlen])
    meta = header.pop("__metadata__", {})
    body = payload[8 + hlen :]
    tensors = {}
    for name, t in header.items():
        a, b = t["data_offsets"]
        dt = np.dtype("<f4") if t["dtype"] == "F32" else np.dtype("i1")
        tensors[name] = (t["dtype"], np.frombuffer(body[a:b], dt).reshape(t["shape"]))
    return tensors, meta


def dequantise(tensors, name):
    """A matrix written by `quantise`, as f32."""
    _, q = tensors[name]
    _, scale = tensors[name + ".scale"]
    rows = q.reshape(-1, q.shape[-1]).astype(np.float32) * scale[:, None]
    return rows.reshape(q.shape)
