//! The PyTorch script: `nn.Sequential` of Linear layers and activations, the page's
//! initializers written out layer by layer, and an explicit training loop with the page's loss,
//! penalty and optimizer.

use std::fmt::Write;

use super::keras::wrap;
use super::python::{self, num};
use super::{Experiment, Unsupported};
use np_engine::backend::UpdateRule;
use np_engine::nn::{Activation, Init, Loss, OutputUnit};

/// Statements that initialize `w` (a Linear layer's weight, `[units, inputs]`) as the engine
/// does.
fn initializer(i: Init, w: &str) -> String {
    let fan_in = format!("{w}.shape[1]");
    match i {
        Init::Uniform { a } => format!("nn.init.uniform_({w}, {}, {})", num(-a), num(a)),
        Init::GlorotUniform => format!("nn.init.xavier_uniform_({w})"),
        Init::GlorotNormal => format!("nn.init.xavier_normal_({w})"),
        Init::HeNormal => format!("nn.init.normal_({w}, 0.0, math.sqrt(2.0 / {fan_in}))"),
        Init::HeUniform => {
            format!(
                "bound = math.sqrt(6.0 / {fan_in})\n        nn.init.uniform_({w}, -bound, bound)"
            )
        }
        Init::SmallNormal => format!("nn.init.normal_({w}, 0.0, 0.01)"),
        Init::Normal { std } => format!("nn.init.normal_({w}, 0.0, {})", num(std)),
        Init::LeCunNormal => format!("nn.init.normal_({w}, 0.0, math.sqrt(1.0 / {fan_in}))"),
        Init::Zeros => format!("nn.init.zeros_({w})"),
        Init::Constant { value } => format!("nn.init.constant_({w}, {})", num(value)),
    }
}

fn activation(a: Activation) -> String {
    match a {
        Activation::Linear => "nn.Identity()".into(),
        Activation::Sigmoid => "nn.Sigmoid()".into(),
        Activation::Tanh => "nn.Tanh()".into(),
        Activation::Relu => "nn.ReLU()".into(),
        Activation::LeakyRelu { alpha } => format!("nn.LeakyReLU(negative_slope={})", num(alpha)),
        Activation::Elu { alpha } => format!("nn.ELU(alpha={})", num(alpha)),
        Activation::Step => "Step()".into(),
    }
}

fn output_unit(o: OutputUnit) -> &'static str {
    match o {
        OutputUnit::Linear => "logits",
        OutputUnit::Sigmoid => "torch.sigmoid(logits)",
        OutputUnit::Softmax => "torch.softmax(logits, dim=1)",
        OutputUnit::Tanh => "torch.tanh(logits)",
    }
}

fn loss(l: Loss) -> Result<&'static str, Unsupported> {
    match l {
        Loss::Mse => Ok("nn.functional.mse_loss(output_unit(logits), target)"),
        Loss::SumSquares => {
            Ok("nn.functional.mse_loss(output_unit(logits), target, reduction=\"sum\")")
        }
        Loss::BinaryCrossEntropy => {
            Ok("nn.functional.binary_cross_entropy_with_logits(logits, target)")
        }
        Loss::CategoricalCrossEntropy => Ok("nn.functional.cross_entropy(logits, target)"),
    }
}

fn optimizer(rule: UpdateRule) -> String {
    match rule {
        UpdateRule::Sgd {
            lr, momentum: 0.0, ..
        } => {
            format!("torch.optim.SGD(model.parameters(), lr={})", num(lr))
        }
        UpdateRule::Sgd {
            lr,
            momentum,
            nesterov,
        } => format!(
            "torch.optim.SGD(model.parameters(), lr={}, momentum={}, nesterov={})",
            num(lr),
            num(momentum),
            if nesterov { "True" } else { "False" }
        ),
        UpdateRule::AdaGrad {
            lr,
            eps,
            initial_accumulator,
        } => format!(
            "torch.optim.Adagrad(model.parameters(), lr={}, initial_accumulator_value={}, eps={})",
            num(lr),
            num(initial_accumulator),
            num(eps)
        ),
        UpdateRule::RmsProp { lr, alpha, eps } => format!(
            "torch.optim.RMSprop(model.parameters(), lr={}, alpha={}, eps={})",
            num(lr),
            num(alpha),
            num(eps)
        ),
        UpdateRule::Adam {
            lr,
            beta1,
            beta2,
            eps,
        } => format!(
            "torch.optim.Adam(model.parameters(), lr={}, betas=({}, {}), eps={})",
            num(lr),
            num(beta1),
            num(beta2),
            num(eps)
        ),
    }
}

/// The PyTorch script, or why this experiment cannot be written for PyTorch.
pub fn pytorch_script(e: &Experiment) -> Result<String, Unsupported> {
    let loss = loss(e.train.loss)?;
    let spec = &e.train.model;
    let widths = spec.widths();
    let mut stack = String::new();
    for (l, h) in spec.hidden.iter().enumerate() {
        let _ = write!(
            stack,
            "        nn.Linear({}, {}), {},",
            widths[l],
            h.units,
            activation(h.activation)
        );
        if h.dropout > 0.0 {
            let _ = write!(stack, " nn.Dropout({}),", num(h.dropout));
        }
        stack.push('\n');
    }
    let _ = writeln!(
        stack,
        "        nn.Linear({}, {}),  # the logits",
        widths[widths.len() - 2],
        spec.outputs
    );
    let mut init = String::new();
    for l in 0..=spec.hidden.len() {
        let i = spec.init_of(l);
        let _ = writeln!(
            init,
            "        {}\n        nn.init.constant_(dense[{l}].bias, {})",
            initializer(i.weights, &format!("dense[{l}].weight")),
            num(i.bias)
        );
    }
    let r = e.train.regularization;
    let mut penalty = String::new();
    if r.l1 != 0.0 {
        let _ = writeln!(
            penalty,
            "    loss = loss + {} * sum(d.weight.abs().sum() for d in dense_layers(model))",
            num(r.l1)
        );
    }
    if r.l2 != 0.0 {
        let _ = writeln!(
            penalty,
            "    loss = loss + {} * sum(d.weight.square().sum() for d in dense_layers(model))",
            num(r.l2)
        );
    }
    let steps = spec.hidden.iter().any(|h| h.activation == Activation::Step);
    let step = if steps {
        r#"

class Step(nn.Module):
    """The page's step activation: 1 where z > 0, else 0. Its gradient is 0, as on the page, so
    the layers before it do not learn from the data."""

    def forward(self, z):
        return (z > 0).to(z.dtype)
"#
    } else {
        ""
    };
    let objective_doc = wrap(
        &format!(
            "The page's training loss on a batch: the {}{}.",
            python::loss_words(e.train.loss),
            if penalty.is_empty() {
                String::new()
            } else {
                " plus the weight penalty on every weight matrix (never on biases)".into()
            }
        ),
        88,
    )
    .join("\n    ");
    let mut out = python::heading(e, "PyTorch", "python neural-playground-pytorch.py");
    out.push_str("import copy\n\nimport torch\nfrom torch import nn\n\n");
    out.push_str(&python::constants_and_data(e));
    out.push_str(&python::page_values(e));
    out.push_str(&python::schedule_and_stopping(e));
    let _ = write!(
        out,
        r#"{step}

def build_model():
    """The page's network. Its last layer gives the logits: `output_unit` turns them into the
    page's output, and the cross-entropies take the logits themselves, as the page does."""
    model = nn.Sequential(
{stack}    )
    initialize(model)
    return model


def dense_layers(model):
    return [m for m in model if isinstance(m, nn.Linear)]


def initialize(model):
    """The page's initializers, layer by layer (PyTorch keeps a weight as [units, inputs])."""
    dense = dense_layers(model)
    with torch.no_grad():
{init}

def output_unit(logits):
    return {output}


def objective(model, logits, target):
    """{objective_doc}"""
    loss = {loss}
{penalty}    return loss


def make_optimizer(model):
    return {optimizer}


def predict(model, x):
    model.eval()
    with torch.no_grad():
        return output_unit(model(torch.from_numpy(x))).numpy()


def evaluate(model, x, t):
    """The objective over all of x at once, without dropout, as the page reports it."""
    model.eval()
    with torch.no_grad():
        return float(objective(model, model(x), t))


class EarlyStopper:
    """The page's early stopping: keep the best epoch's weights, count the epochs since, stop
    when they reach the patience."""

    def __init__(self, monitor, patience, restore_best):
        self.monitor, self.patience, self.restore_best = monitor, patience, restore_best
        self.best, self.weights, self.waited = None, None, 0

    def stop(self, model, score):
        """Whether to stop after an epoch whose monitored score (lower is better) is `score`."""
        if self.best is None or score < self.best:
            self.best, self.waited = score, 0
            self.weights = copy.deepcopy(model.state_dict())
            return False
        self.waited += 1
        if self.waited < self.patience:
            return False
        if self.restore_best:
            model.load_state_dict(self.weights)
        return True


def score(model, monitor, xs, t, x, labels, rows):
    """The monitored metric on `rows`, signed so that lower is better."""
    if monitor == "loss":
        return evaluate(model, xs[rows], t[rows])
    outputs, truth = predict(model, x[rows.numpy()]), labels[rows.numpy()]
    if monitor == "accuracy":
        return -accuracy(outputs, truth)
    return -roc_auc(outputs[:, -1], truth.astype(int) == 1)


def train(epochs, split, x, labels):
    torch.manual_seed(SEED)
    model = build_model()
    optimizer = make_optimizer(model)
    xs, t = torch.from_numpy(x), torch.from_numpy(targets(labels))
    rows = {{name: torch.from_numpy(np.flatnonzero(split == name)) for name in ("train", "val", "test")}}
    every = max(1, epochs // 10)
    watched = rows["val"] if len(rows["val"]) else rows["train"]
    stopper = EarlyStopper(**EARLY_STOPPING) if EARLY_STOPPING else None
    trained = 0
    for epoch in range(1, epochs + 1):
        trained = epoch
        if SCHEDULED:
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(epoch - 1)
        model.train()
        order = rows["train"][torch.randperm(len(rows["train"]))]
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            optimizer.zero_grad()
            loss = objective(model, model(xs[batch]), t[batch])
            loss.backward()
            optimizer.step()
        if epoch % every == 0 or epoch == epochs:
            print(f"epoch {{epoch}}: training loss {{evaluate(model, xs[rows['train']], t[rows['train']]):.4g}}")
        if stopper and stopper.stop(model, score(model, stopper.monitor, xs, t, x, labels, watched)):
            print(f"early stopping ended training at epoch {{epoch}} (best epoch {{epoch - stopper.waited}})")
            break
    for name, chosen in rows.items():
        if len(chosen):
            line = f"{{name}}: loss {{evaluate(model, xs[chosen], t[chosen]):.4g}}"
            if CLASSES > 1:
                line += f", accuracy {{accuracy(predict(model, x[chosen.numpy()]), labels[chosen.numpy()]):.3f}}"
            print(line)
    final = evaluate(model, xs[rows["train"]], t[rows["train"]])
    print(f"trained {{trained}} epochs: final training loss {{final:.4g}}")
    return model


{arguments}
def main():
    args = arguments()
    split, x, labels = load_data(args.data)
    torch.manual_seed(SEED)
    model = build_model()
    count = sum(p.numel() for p in model.parameters())
    print(f"parameters: {{count}} (the page's model summary: {{PAGE_PARAMETERS}})")
    with torch.no_grad():
        for layer, (kernel, bias) in zip(dense_layers(model), TRAINED_WEIGHTS):
            kernel = torch.tensor(kernel, dtype=torch.float32).reshape(layer.in_features, -1)
            layer.weight.copy_(kernel.T)
            layer.bias.copy_(torch.tensor(bias, dtype=torch.float32))
    compare_with_page(predict(model, x))
    if args.epochs > 0:
        train(args.epochs, split, x, labels)


if __name__ == "__main__":
    main()
"#,
        output = output_unit(spec.output),
        optimizer = optimizer(e.train.optimizer),
        arguments = python::ARGUMENTS,
    );
    Ok(out)
}
