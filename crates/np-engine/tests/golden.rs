//! Compare the engine with NumPy references (golden/make_golden.py -> golden/golden.json):
//! forward values and gradients of small networks, activation values, optimizer trajectories.

// Tests may unwrap: a failure should stop the test at the line that failed.

use np_engine::backend::{UnaryOp, UpdateRule, XentKind};
use np_engine::nn::Loss;
use np_engine::optim::Optimizer;
use np_engine::{Graph, Tensor};
use serde_json::Value;

fn golden() -> Value {
    serde_json::from_str(include_str!("golden/golden.json")).unwrap()
}

fn tensor(v: &Value) -> Tensor {
    let dims: Vec<usize> = v["dims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .collect();
    let data: Vec<f32> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_f64().unwrap() as f32)
        .collect();
    Tensor::new(data, &dims).unwrap()
}

fn close(what: &str, got: &[f32], want: &Tensor, tol: f32) {
    assert_eq!(got.len(), want.data().len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want.data()).enumerate() {
        assert!(
            (g - w).abs() <= tol * (1.0 + w.abs()),
            "{what}[{i}]: engine {g}, numpy {w}"
        );
    }
}

#[test]
fn networks_match_numpy_forward_and_backward() {
    let gold = golden();
    for case in gold["mlps"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let act = match case["activation"].as_str().unwrap() {
            "tanh" => UnaryOp::Tanh,
            "relu" => UnaryOp::Relu,
            "sigmoid" => UnaryOp::Sigmoid,
            _ => UnaryOp::Elu(1.0),
        };
        let mut g = Graph::cpu();
        let vars: Vec<_> = ["w1", "b1", "w2", "b2"]
            .iter()
            .map(|k| g.variable(k, &tensor(&case[*k]), true).unwrap())
            .collect();
        let x = g.constant(&tensor(&case["x"])).unwrap();
        let t = g.constant(&tensor(&case["t"])).unwrap();
        let [w1, b1, w2, b2] = [0, 1, 2, 3].map(|i| g.var(vars[i]).unwrap());
        let z1 = g.matmul(x, w1).unwrap();
        let a1 = g.bias_act(z1, b1, act).unwrap();
        let z2 = g.matmul(a1, w2).unwrap();
        let logits = g.bias_act(z2, b2, UnaryOp::Identity).unwrap();
        let loss = match case["loss"].as_str().unwrap() {
            "cce" => g.cross_entropy(XentKind::Softmax, logits, t).unwrap(),
            "bce" => g.cross_entropy(XentKind::Sigmoid, logits, t).unwrap(),
            _ => Loss::Mse.build(&mut g, logits, t).unwrap(),
        };
        g.backward(loss).unwrap();
        close(
            &format!("{name} hidden"),
            g.value(a1).unwrap().data(),
            &tensor(&case["hidden"]),
            1e-5,
        );
        close(
            &format!("{name} logits"),
            g.value(logits).unwrap().data(),
            &tensor(&case["logits"]),
            1e-5,
        );
        let value = case["value"].as_f64().unwrap() as f32;
        close(
            &format!("{name} loss"),
            g.value(loss).unwrap().data(),
            &Tensor::scalar(value),
            1e-5,
        );
        for (i, k) in ["dw1", "db1", "dw2", "db2"].iter().enumerate() {
            close(
                &format!("{name} {k}"),
                g.var_grad(vars[i]).unwrap().data(),
                &tensor(&case[*k]),
                1e-4,
            );
        }
    }
}

#[test]
fn activations_match_numpy() {
    let gold = golden();
    let a = &gold["activations"];
    let z = tensor(&a["z"]);
    let mut g = Graph::cpu();
    let zn = g.constant(&z).unwrap();
    for (key, op) in [
        ("sigmoid", UnaryOp::Sigmoid),
        ("tanh", UnaryOp::Tanh),
        ("relu", UnaryOp::Relu),
        ("leaky_relu_0.1", UnaryOp::LeakyRelu(0.1)),
        ("elu_1", UnaryOp::Elu(1.0)),
    ] {
        let y = g.unary(op, zn).unwrap();
        close(key, g.value(y).unwrap().data(), &tensor(&a[key]), 1e-6);
    }
    let row = g.reshape(zn, &[1, 13]).unwrap();
    let s = g.softmax(row).unwrap();
    close(
        "softmax",
        g.value(s).unwrap().data(),
        &tensor(&a["softmax_row"]),
        1e-6,
    );
    let ls = g.log_softmax(row).unwrap();
    close(
        "log_softmax",
        g.value(ls).unwrap().data(),
        &tensor(&a["log_softmax_row"]),
        1e-6,
    );
}

#[test]
fn optimizer_steps_match_pytorch_rules() {
    let gold = golden();
    for run in gold["optimizers"].as_array().unwrap() {
        let name = run["name"].as_str().unwrap();
        let rule: UpdateRule = serde_json::from_value(run["rule"].clone()).unwrap();
        let mut g = Graph::cpu();
        let p = g.variable("p", &tensor(&run["p0"]), true).unwrap();
        let mut opt = Optimizer::new(rule, vec![p]);
        for (step, (grad, want)) in run["grads"]
            .as_array()
            .unwrap()
            .iter()
            .zip(run["steps"].as_array().unwrap())
            .enumerate()
        {
            // loss = sum(p * grad) has gradient exactly `grad`.
            g.clear();
            g.zero_grad().unwrap();
            let pn = g.var(p).unwrap();
            let gn = g.constant(&tensor(grad)).unwrap();
            let prod = g.mul(pn, gn).unwrap();
            let l = g.sum(prod).unwrap();
            g.backward(l).unwrap();
            opt.step(&mut g).unwrap();
            close(
                &format!("{name} step {}", step + 1),
                g.var_value(p).unwrap().data(),
                &tensor(want),
                1e-5,
            );
        }
    }
}
