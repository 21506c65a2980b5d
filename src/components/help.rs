//! The "?" beside every panel and group of controls: a button (`data-testid="help-<name>"`)
//! that opens a short note (`help-<name>-text`) on what the part shows and how to read it.
//! Enter or a click opens it, Escape or the close button closes it and gives the focus back to
//! the "?". The notes are one table, [`HELP`], so every one is checked by a test; hiding the
//! help (`help_hide=true`) is a class on the page, see `app.rs`.

use yew::prelude::*;

/// One note: the name in its testids, a heading, and the text (plain sentences, our own words).
pub struct Note {
    pub name: &'static str,
    pub title: &'static str,
    pub text: &'static [&'static str],
}

/// Every help note of the page.
pub const HELP: &[Note] = &[
    Note {
        name: "run",
        title: "Running the training",
        text: &[
            "Play trains epoch after epoch until you pause; an epoch is one pass over every training point. Step epoch does exactly one pass, Step batch a single update from one mini-batch, so you can watch each change.",
            "Reset puts back the very same starting weights, so a run can be repeated. New weights draws a different start. Speed sets how many epochs per second the page aims for while playing.",
            "Keys: Space plays or pauses, S steps an epoch, B a batch, R resets.",
        ],
    },
    Note {
        name: "hyper",
        title: "Hyper-parameters",
        text: &[
            "These choices shape how the network learns, not what it sees. The learning rate is the size of each step down the loss: too small crawls, too large jumps past the minimum or blows up.",
            "Regularization adds a penalty on large weights (L1 pushes weights to exactly zero, L2 shrinks them all); its rate says how much the penalty counts against the data's loss. Dropout switches off a random share of hidden units in each training step.",
            "Adam's beta 1 and beta 2 say how long its averages of the gradient and of its square remember; RMSprop's rho does the same; epsilon keeps their division finite.",
            "Changing the learning rate, these settings, the schedule, early stopping, batch size or regularization keeps the current weights; changing the activation, loss or initialization starts a new network.",
        ],
    },
    Note {
        name: "schedule",
        title: "Learning-rate schedule",
        text: &[
            "A schedule lowers the learning rate as the epochs pass: big steps early to get near a minimum quickly, small ones later to settle into it.",
            "Step multiplies the rate by the factor every so many epochs; exponential does the same smoothly; cosine glides it down along half a cosine to the given share of the start. 'Rate now' is the rate the next step uses.",
        ],
    },
    Note {
        name: "early-stop",
        title: "Early stopping",
        text: &[
            "Early stopping watches a metric on the validation share (the training share if there is none) and ends the run once it has not improved for 'patience' epochs, optionally putting back the weights of the best epoch.",
            "It guards against overfitting: training past the point where unseen data stops getting better only memorises the training points. Give it a validation share so it judges on data the network does not learn from.",
        ],
    },
    Note {
        name: "data",
        title: "The data",
        text: &[
            "Each small picture is a dataset: orange and blue points are two classes (a third colour for three classes); for regression the colour is the value to predict.",
            "The training share is what the network learns from; the rest is the test set, which it never trains on and which tells you how well it does on new points. Validation takes part of the training share to watch for overfitting during training.",
            "Noise blurs the classes into each other. The batch size is how many points each update looks at; Regenerate draws new points of the same kind.",
        ],
    },
    Note {
        name: "network",
        title: "The network",
        text: &[
            "Columns are layers, from the input features on the left to the output on the right. Each square shows what that neuron computes over the whole input plane: blue for positive, orange for negative.",
            "Lines are weights: blue positive, orange negative, thicker for larger. Hover a line, a neuron or its b (bias) to read its value; click a line or a b to type a new value.",
            "Click an input feature to switch it on or off; + and − add or remove layers and neurons.",
        ],
    },
    Note {
        name: "output",
        title: "The output",
        text: &[
            "The background is the network's answer at every point of the plane: its colour is the class it leans to, paler where it is unsure. The dots are the data, with their true colour.",
            "The losses say how wrong the predictions are (lower is better); the accuracies are the share of points put in the right class. A test loss far above the training loss means the network has learned the training points rather than the pattern.",
        ],
    },
    Note {
        name: "loss",
        title: "Training curves",
        text: &[
            "One point per epoch: the training loss, the test loss and, when there is one, the validation loss. A falling curve means learning; a test curve that turns up while training goes down is overfitting.",
            "The log scale spreads out small losses, so progress late in training stays visible.",
        ],
    },
    Note {
        name: "layer-choices",
        title: "Per-layer choices",
        text: &[
            "Each hidden layer can have its own activation and initialization, and the output layer its own initialization. Picking a shared activation or initialization above sets every layer again.",
            "For two classes the output is either one sigmoid unit (the probability of one class) or two softmax units (one probability per class).",
        ],
    },
    Note {
        name: "hidden-panel",
        title: "Hidden layer representation",
        text: &[
            "Every data point as the chosen hidden layer sees it, squeezed onto its two or three main directions (PCA). Points of different colours drifting apart means the layer makes the classes easier to separate.",
            "The slider goes back through recorded epochs, to watch the picture form.",
        ],
    },
    Note {
        name: "activation-panel",
        title: "Activation functions",
        text: &[
            "The plot shows the activation f(z) and its slope f'(z) (the legend tells the lines apart); the bars behind them count where the chosen layer's inputs z fall on the data.",
            "Where the slope is near zero, a unit learns almost nothing: saturated units sit on the flat ends of sigmoid or tanh, dead ReLU units get z <= 0 for every point. The table counts both per layer.",
        ],
    },
    Note {
        name: "health-panel",
        title: "Network health",
        text: &[
            "Histograms of one layer's weights and of their gradients, one ridge per recorded epoch, and below them the size (norm) of each layer's gradient over the epochs.",
            "Gradients that shrink towards zero in the early layers mean they have stopped learning (vanishing gradients); gradients that grow without bound mean the steps are too large.",
        ],
    },
    Note {
        name: "confusion-panel",
        title: "Confusion matrix",
        text: &[
            "Rows are the true classes, columns the predicted ones: the diagonal counts the points classified right, every other cell one kind of mistake.",
            "Switch between training and test points to see whether the mistakes are the same on data the network has not seen. For regression the panel plots predicted against true values instead.",
            "Beneath the matrix, each class's precision (of the points called this class, how many are), recall (of this class's points, how many were found) and F1 (their harmonic mean), and the balanced accuracy, the mean recall: on skewed data, such as few defaults among many loans, it shows what a high accuracy can hide.",
        ],
    },
    Note {
        name: "roc-panel",
        title: "ROC curve",
        text: &[
            "A classifier gives each point a score and calls it class 1 above some threshold. Each point of the curve is one threshold: across, the share of class-0 points wrongly let through; up, the share of class-1 points caught.",
            "The shaded area under the curve (AUC) is the chance that a random class-1 point scores higher than a random class-0 one: 0.5 is the diagonal, a coin toss, and 1 a perfect ranking. Unlike accuracy it does not change when one class is much rarer than the other, which is why credit and market models are judged by it.",
        ],
    },
    Note {
        name: "summary-panel",
        title: "Model summary",
        text: &[
            "The network as a list of layers, with the shape of each layer's output and its number of parameters: weights plus biases. The total is what training adjusts.",
        ],
    },
    Note {
        name: "export",
        title: "Export",
        text: &[
            "Downloads this experiment to take away: a Keras or PyTorch script that rebuilds the network with the weights trained here, the data and the loss history as CSV files.",
        ],
    },
    Note {
        name: "save",
        title: "Save",
        text: &[
            "The page keeps the run of every experiment you train in this browser, so reloading or coming back later picks it up at the same epoch. \"Start over\" forgets it and begins again from fresh weights.",
            "\"Download run\" writes everything needed to carry on (settings, weights, the optimizer's memory, the place in the current epoch, the curves) into one file. Open it here or on another computer and training continues with exactly the numbers it would have produced without the break.",
        ],
    },
    Note {
        name: "classroom",
        title: "Classroom",
        text: &[
            "For instructors: choose which controls students see (hide) and which they see but cannot change (lock). The choices go into the link, so sharing the link or the embed snippet shares them too.",
        ],
    },
];

/// The note named `name`.
pub fn note(name: &str) -> Option<&'static Note> {
    HELP.iter().find(|n| n.name == name)
}

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// A name of [`HELP`].
    pub name: AttrValue,
}

#[function_component(Help)]
pub fn help(props: &HelpProps) -> Html {
    let open = use_state(|| false);
    let button = use_node_ref();
    let Some(note) = note(&props.name) else {
        return Html::default();
    };
    let name = note.name;
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let close = {
        let (open, button) = (open.clone(), button.clone());
        move || {
            open.set(false);
            if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                // Back to the "?", so a keyboard user carries on where they were.
                let _ = b.focus();
            }
        }
    };
    let on_key = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                close();
            }
        })
    };
    let on_close = Callback::from(move |_: MouseEvent| close());
    let text_id = format!("help-{name}-text");
    html! {
        <span class="np-help" onkeydown={on_key}>
            <button type="button" class="np-help-button" ref={button} data-testid={format!("help-{name}")}
                aria-expanded={open.to_string()} aria-controls={text_id.clone()}
                aria-label={format!("Help: {}", note.title)} title={format!("What is this? ({})", note.title)}
                onclick={toggle}>{ "?" }</button>
            if *open {
                <div class="np-help-pop" id={text_id.clone()} data-testid={text_id} role="dialog"
                    aria-label={note.title}>
                    <strong class="np-help-title">{ note.title }</strong>
                    { for note.text.iter().map(|p| html! { <p>{ *p }</p> }) }
                    <button type="button" class="btn btn-small np-help-close" data-testid={format!("help-{name}-close")}
                        onclick={on_close}>{ "Close (Esc)" }</button>
                </div>
            }
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_note_is_named_once_and_short() {
        for (i, n) in HELP.iter().enumerate() {
            assert!(
                !HELP[..i].iter().any(|m| m.name == n.name),
                "{} twice",
                n.name
            );
            let words: usize = n.text.iter().map(|p| p.split_whitespace().count()).sum();
            // A note is read beside the panel, not instead of the lesson.
            assert!((10..=140).contains(&words), "{}: {words} words", n.name);
        }
        // The names the page's markup asks for: each has a note (a missing one would draw no
        // "?"), and each note is asked for somewhere.
        let markup = [
            include_str!("../app.rs"),
            include_str!("controls.rs"),
            include_str!("export.rs"),
            include_str!("save.rs"),
            include_str!("classroom.rs"),
            include_str!("../inspector/container.rs"),
        ]
        .concat();
        let used: Vec<&str> = markup
            .split("Help name=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        for name in &used {
            assert!(note(name).is_some(), "<Help name=\"{name}\"> has no note");
        }
        for n in HELP {
            assert!(used.contains(&n.name), "the note {} is never shown", n.name);
        }
    }
}
