#!/usr/bin/python3
"""The quickstart job in PyTorch, for `./losslab bench loop`: one epoch of an MLP (or, with --model cnn, the
small CNN of losslab's registry: 3x3 'same' convolutions with ReLU, each followed by 2x2 max pooling, one
dense ReLU layer) with cross-entropy and Adam on Fashion-MNIST (standardised features, shuffled batches),
timed per epoch after a warm-up epoch.
Prints one JSON line last. Needs Debian's python3-torch and libopenblas0-pthread (without the latter torch
falls back to reference BLAS and is several times slower)."""
import argparse, gzip, json, os, statistics, struct, sys, time

def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return data[4 + 4 * ndim:], dims

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--hidden", default="256")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--model", default="mlp", choices=["mlp", "cnn"])
    ap.add_argument("--channels", default="16,32", help="cnn: output channels of each convolution")
    ap.add_argument("--kernel", type=int, default=3)
    a = ap.parse_args()
    try:
        import numpy as np
        import torch
    except ImportError as e:
        print("PyTorch is not installed: apt-get install python3-torch libopenblas0-pthread (%s)" % e)
        sys.exit(3)
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    pix, dims = idx(os.path.join(a.data, "train-images-idx3-ubyte.gz"))
    lab, _ = idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz"))
    x = np.frombuffer(pix, dtype=np.uint8).reshape(dims[0], -1).astype(np.float32) / 255.0
    x = (x - x.mean(0)) / np.maximum(x.std(0), 1e-8)
    X = torch.from_numpy(x)
    Y = torch.from_numpy(np.frombuffer(lab, dtype=np.uint8).astype(np.int64))
    hidden = [int(h) for h in a.hidden.split(",") if h]
    times = []
    for r in range(a.rounds + 1):
        layers, d = [], X.shape[1]
        if a.model == "cnn":
            layers.append(torch.nn.Unflatten(1, (1, 28, 28)))
            c, side = 1, 28
            for out in [int(v) for v in a.channels.split(",")]:
                layers += [torch.nn.Conv2d(c, out, a.kernel, padding="same"), torch.nn.ReLU(), torch.nn.MaxPool2d(2)]
                c, side = out, side // 2
            layers.append(torch.nn.Flatten())
            d = c * side * side
        for h in hidden:
            layers += [torch.nn.Linear(d, h), torch.nn.ReLU()]
            d = h
        layers.append(torch.nn.Linear(d, 10))
        model = torch.nn.Sequential(*layers)
        opt = torch.optim.Adam(model.parameters(), lr=a.lr)
        lossf = torch.nn.CrossEntropyLoss()
        perm = torch.randperm(X.shape[0])
        t0 = time.perf_counter()
        for s in range(0, X.shape[0], a.batch_size):
            idx_ = perm[s:s + a.batch_size]
            opt.zero_grad(set_to_none=True)
            loss = lossf(model(X[idx_]), Y[idx_])
            loss.backward()
            opt.step()
        if r > 0:
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    # Debian's torch calls the system libblas.so.3: report which implementation that resolves to.
    blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    print(json.dumps({"torch_version": torch.__version__, "threads": a.threads, "blas": blas,
                      "epoch_seconds": times, "median_samples_per_second": X.shape[0] / med}))

if __name__ == "__main__":
    main()
